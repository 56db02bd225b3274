package identity

import "encoding/json"

// TokenResponse is the body of POST and GET /v3/auth/tokens.
type TokenResponse struct {
	Token Token `json:"token"`
}

// Token is a token body.
type Token struct {
	Methods        []string          `json:"methods"`
	User           TokenUser         `json:"user"`
	AuditIDs       []string          `json:"audit_ids"`
	ExpiresAt      string            `json:"expires_at"`
	IssuedAt       string            `json:"issued_at"`
	Project        *ScopedRef        `json:"project,omitempty"`
	Domain         *Ref              `json:"domain,omitempty"`
	System         map[string]bool   `json:"system,omitempty"`
	IsDomain       *bool             `json:"is_domain,omitempty"`
	IsAdminProject *bool             `json:"is_admin_project,omitempty"`
	Roles          []Ref             `json:"roles,omitempty"`
	Catalog        *[]CatalogService `json:"catalog,omitempty"`
	Trust          *TokenTrust       `json:"OS-TRUST:trust,omitempty"`
	AppCred        *TokenAppCred     `json:"application_credential,omitempty"`
}

// TokenUser is the user in a token body.
type TokenUser struct {
	Domain            Ref     `json:"domain"`
	ID                string  `json:"id"`
	Name              string  `json:"name"`
	PasswordExpiresAt *string `json:"password_expires_at"`
}

// TokenTrust is the trust a token was made from.
type TokenTrust struct {
	ID            string `json:"id"`
	TrustorUser   IDRef  `json:"trustor_user"`
	TrusteeUser   IDRef  `json:"trustee_user"`
	Impersonation bool   `json:"impersonation"`
}

// IDRef names an object by id only.
type IDRef struct {
	ID string `json:"id"`
}

// TokenAppCred is the application credential a token was made from.
type TokenAppCred struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Restricted  bool         `json:"restricted"`
	AccessRules []AccessRule `json:"access_rules,omitempty"`
}

// AccessRule limits what an application credential may call.
type AccessRule struct {
	ID      string `json:"id,omitempty"`
	Service string `json:"service"`
	Method  string `json:"method"`
	Path    string `json:"path"`
}

// CatalogService is one service in a catalog.
type CatalogService struct {
	Endpoints []CatalogEndpoint `json:"endpoints"`
	ID        string            `json:"id"`
	Type      string            `json:"type"`
	Name      string            `json:"name"`
}

// CatalogEndpoint is one endpoint in a catalog.
type CatalogEndpoint struct {
	ID        string  `json:"id"`
	Interface string  `json:"interface"`
	RegionID  *string `json:"region_id"`
	URL       string  `json:"url"`
	Region    *string `json:"region"`
}

// AuthRequest is the body of POST /v3/auth/tokens.
type AuthRequest struct {
	Auth *Auth `json:"auth"`
}

// Auth is the "auth" object: who and, optionally, which scope.
type Auth struct {
	Identity *AuthIdentity    `json:"identity"`
	Scope    *json.RawMessage `json:"scope"`
}

// AuthIdentity lists the methods and their proofs.
type AuthIdentity struct {
	Methods               []string       `json:"methods"`
	Password              *PasswordAuth  `json:"password"`
	Token                 *TokenAuth     `json:"token"`
	ApplicationCredential *AppCredAuth   `json:"application_credential"`
	TOTP                  map[string]any `json:"totp"`
}

// PasswordAuth is the password method's proof.
type PasswordAuth struct {
	User *AuthUser `json:"user"`
}

// AuthUser names a user by id, or by name and domain, with a password.
type AuthUser struct {
	ID       *string   `json:"id"`
	Name     *string   `json:"name"`
	Domain   *NameOrID `json:"domain"`
	Password *string   `json:"password"`
}

// NameOrID names a domain or project by id or by name.
type NameOrID struct {
	ID     *string   `json:"id"`
	Name   *string   `json:"name"`
	Domain *NameOrID `json:"domain"`
}

// TokenAuth is the token method's proof.
type TokenAuth struct {
	ID *string `json:"id"`
}

// AppCredAuth is the application_credential method's proof.
type AppCredAuth struct {
	ID     *string   `json:"id"`
	Name   *string   `json:"name"`
	Secret *string   `json:"secret"`
	User   *AuthUser `json:"user"`
}

// AuthScope is the requested scope.
type AuthScope struct {
	Project *NameOrID       `json:"project"`
	Domain  *NameOrID       `json:"domain"`
	System  map[string]bool `json:"system"`
	Trust   *IDRef          `json:"OS-TRUST:trust"`
}
