package auth

import (
	"context"
	"slices"
	"time"
)

// Ref names an identity object by id and name.
type Ref struct {
	ID   string
	Name string
}

// Token is what a service knows about the caller once its token is valid.
type Token struct {
	UserID            string
	UserName          string
	UserDomain        Ref
	PasswordExpiresAt *time.Time
	Methods           []string
	AuditIDs          []string
	IssuedAt          time.Time
	ExpiresAt         time.Time

	// At most one of Project, Domain and System is set; none means unscoped.
	Project        *Ref
	ProjectDomain  Ref
	ProjectIsAdmin *bool // is_admin_project, when an admin project is configured
	Domain         *Ref
	System         bool

	Roles []Ref

	// Delegation facts: tokens from these are restricted.
	AppCred *AppCred
	Trust   *Trust
}

// AppCred is the application credential a token was made from.
type AppCred struct {
	ID          string
	Name        string
	Restricted  bool
	AccessRules []AccessRule
}

// AccessRule limits the requests an application credential may make.
type AccessRule struct {
	ID      string `json:"id,omitempty"`
	Service string `json:"service"`
	Method  string `json:"method"`
	Path    string `json:"path"`
}

// Trust is the trust a token was made from.
type Trust struct {
	ID            string
	TrustorUserID string
	TrusteeUserID string
	Impersonation bool
}

// Scoped reports whether the token carries any scope.
func (t *Token) Scoped() bool { return t.Project != nil || t.Domain != nil || t.System }

// ProjectID is the scoped project's id, or "".
func (t *Token) ProjectID() string {
	if t.Project == nil {
		return ""
	}
	return t.Project.ID
}

// DomainID is the scoped domain's id, or "".
func (t *Token) DomainID() string {
	if t.Domain == nil {
		return ""
	}
	return t.Domain.ID
}

// RoleNames lists the names of the token's roles.
func (t *Token) RoleNames() []string {
	names := make([]string, len(t.Roles))
	for i, r := range t.Roles {
		names[i] = r.Name
	}
	return names
}

// HasRole reports whether the token carries the named role.
func (t *Token) HasRole(name string) bool {
	return slices.ContainsFunc(t.Roles, func(r Ref) bool { return r.Name == name })
}

// Delegated reports whether the token came from a delegation (application
// credential, trust or EC2 credential), which may not mint further
// delegations.
func (t *Token) Delegated() bool {
	return t.AppCred != nil || t.Trust != nil || slices.Contains(t.Methods, "ec2credential")
}

// Validator checks a token string and returns its facts.
type Validator interface {
	Validate(ctx context.Context, token string) (*Token, error)
}

type ctxKey struct{}

// WithToken returns a context carrying the caller's token.
func WithToken(ctx context.Context, t *Token) context.Context {
	return context.WithValue(ctx, ctxKey{}, t)
}

// FromContext returns the caller's token, or nil for anonymous requests.
func FromContext(ctx context.Context) *Token {
	t, _ := ctx.Value(ctxKey{}).(*Token)
	return t
}
