package policy

import (
	"time"

	"github.com/monostack/monostack/internal/auth"
)

// Creds are oslo-style credentials: "user_id", "project_id", "domain_id",
// "system_scope" ("all" or absent), "roles" ([]string), "is_admin" (bool),
// "is_admin_project" (bool), and nested maps such as "token"; values may be
// string, bool, []string, []any, map[string]any or nil.
type Creds map[string]any

// tokenTime is how Keystone renders token times.
const tokenTime = "2006-01-02T15:04:05.000000Z"

// CredsFromToken builds the credentials Keystone's RequestContext gives
// oslo.policy for a validated token; nil (anonymous) gives empty creds.
// Absent ids are nil, which Python renders "None", as upstream.
func CredsFromToken(t *auth.Token) Creds {
	if t == nil {
		return Creds{}
	}
	c := Creds{
		"user_id":           orNone(t.UserID),
		"user_domain_id":    orNone(t.UserDomain.ID),
		"project_id":        orNone(t.ProjectID()),
		"project_domain_id": nil,
		"domain_id":         orNone(t.DomainID()),
		"roles":             t.RoleNames(),
		"is_admin":          false,
		"is_admin_project":  true, // no admin project configured: every project is one
		"token":             tokenBody(t),
	}
	if t.Project != nil {
		c["project_domain_id"] = orNone(t.ProjectDomain.ID)
	}
	if t.ProjectIsAdmin != nil {
		c["is_admin_project"] = *t.ProjectIsAdmin
	}
	if t.System {
		c["system_scope"] = "all"
	}
	return c
}

func orNone(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// tokenBody is the token as Keystone renders it in a token response, so
// that paths like token.project.domain.id resolve.
func tokenBody(t *auth.Token) map[string]any {
	user := map[string]any{
		"id":     t.UserID,
		"name":   t.UserName,
		"domain": map[string]any{"id": t.UserDomain.ID, "name": t.UserDomain.Name},
	}
	if t.PasswordExpiresAt != nil {
		user["password_expires_at"] = t.PasswordExpiresAt.UTC().Format(tokenTime)
	} else {
		user["password_expires_at"] = nil
	}
	tok := map[string]any{
		"methods":    t.Methods,
		"user":       user,
		"audit_ids":  t.AuditIDs,
		"expires_at": fmtTime(t.ExpiresAt),
		"issued_at":  fmtTime(t.IssuedAt),
	}
	switch {
	case t.System:
		tok["system"] = map[string]any{"all": true}
	case t.Domain != nil:
		tok["domain"] = map[string]any{"id": t.Domain.ID, "name": t.Domain.Name}
	case t.Project != nil:
		tok["project"] = map[string]any{"id": t.Project.ID, "name": t.Project.Name,
			"domain": map[string]any{"id": t.ProjectDomain.ID, "name": t.ProjectDomain.Name}}
		tok["is_domain"] = false
		if t.ProjectIsAdmin != nil {
			tok["is_admin_project"] = *t.ProjectIsAdmin
		}
	}
	if t.Scoped() {
		roles := make([]any, len(t.Roles))
		for i, r := range t.Roles {
			roles[i] = map[string]any{"id": r.ID, "name": r.Name}
		}
		tok["roles"] = roles
	}
	if tr := t.Trust; tr != nil {
		tok["OS-TRUST:trust"] = map[string]any{"id": tr.ID, "impersonation": tr.Impersonation,
			"trustor_user": map[string]any{"id": tr.TrustorUserID},
			"trustee_user": map[string]any{"id": tr.TrusteeUserID}}
	}
	if ac := t.AppCred; ac != nil {
		body := map[string]any{"id": ac.ID, "name": ac.Name, "restricted": ac.Restricted}
		if len(ac.AccessRules) > 0 {
			rules := make([]any, len(ac.AccessRules))
			for i, r := range ac.AccessRules {
				rules[i] = map[string]any{"id": r.ID, "service": r.Service, "method": r.Method, "path": r.Path}
			}
			body["access_rules"] = rules
		}
		tok["application_credential"] = body
	}
	return tok
}

func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(tokenTime)
}
