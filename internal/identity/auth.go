package identity

import (
	"encoding/json"
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// issueToken is POST /v3/auth/tokens.
func (s *Service) issueToken(w http.ResponseWriter, r *http.Request) error {
	var req api.AuthRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Auth == nil || req.Auth.Identity == nil {
		return errs.BadRequestf("Expecting to find identity in auth. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	who, err := s.authenticate(r.Context(), req.Auth.Identity)
	if err != nil {
		return err
	}
	if err := checkMFA(who); err != nil {
		return err
	}
	scope, err := parseScope(req.Auth.Scope)
	if err != nil {
		return err
	}
	raw, tok, err := s.mint(r, who, scope)
	if err != nil {
		return err
	}
	return s.writeToken(w, r, http.StatusCreated, raw, tok)
}

// requestedScope is the scope an auth request asks for.
type requestedScope struct {
	explicitUnscoped bool
	body             *api.AuthScope
}

func parseScope(raw *json.RawMessage) (requestedScope, error) {
	if raw == nil || string(*raw) == "null" {
		return requestedScope{}, nil
	}
	var word string
	if json.Unmarshal(*raw, &word) == nil {
		if word == "unscoped" {
			return requestedScope{explicitUnscoped: true}, nil
		}
		return requestedScope{}, errs.BadRequestf("Invalid input for field 'scope': %q is not a valid scope.", word)
	}
	var sc api.AuthScope
	if err := httpx.Unmarshal(*raw, &sc); err != nil {
		return requestedScope{}, err
	}
	n := 0
	for _, set := range []bool{sc.Project != nil, sc.Domain != nil, sc.System != nil, sc.Trust != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return requestedScope{}, errs.BadRequestf("Specifying more than one of project, domain, system and trust in a scope is not allowed.")
	}
	if n == 0 {
		return requestedScope{}, nil
	}
	return requestedScope{body: &sc}, nil
}

// mint turns an authenticated identity and a requested scope into a
// token: the payload is built, then resolved exactly as validation would,
// so issue and validate can never disagree.
func (s *Service) mint(r *http.Request, who *authenticated, sc requestedScope) (string, *auth.Token, error) {
	now := s.now()
	p := &tokenPayload{UserID: who.user.ID, Methods: who.methods, IssuedAt: now,
		ExpiresAt: now.Add(s.opts.TokenExpiration), AuditIDs: []string{newAuditID()}}
	if who.expiresAt != nil {
		p.ExpiresAt = *who.expiresAt
	}
	if who.parentAudit != "" {
		p.AuditIDs = append(p.AuditIDs, who.parentAudit)
	}
	var tok *auth.Token
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := s.pickScope(tx, who, sc, p); err != nil {
			return err
		}
		var err error
		if tok, _, err = s.resolveToken(tx, p); err != nil {
			return err
		}
		if p.TrustID != "" {
			return consumeTrustUse(tx, p.TrustID)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	raw, err := s.encodeToken(p)
	return raw, tok, err
}

// pickScope fills the payload's scope from the request, the application
// credential, or the user's default project.
func (s *Service) pickScope(tx *db.Tx, who *authenticated, sc requestedScope, p *tokenPayload) error {
	if who.appCred != nil {
		if sc.body != nil {
			return visible401("Error authenticating with application credential: Application credentials cannot request a scope.")
		}
		p.AppCredID, p.Scope, p.ScopeID = who.appCred.ID, scopeProject, who.appCred.ProjectID
		return nil
	}
	if who.parent != nil && who.parent.Scope == scopeSystem && sc.body != nil && (sc.body.Project != nil || sc.body.Domain != nil) {
		return errs.Forbiddenf("You are not authorized to perform the requested action: Using a system-scoped token to create a project-scoped or domain-scoped token is not allowed..")
	}
	switch {
	case sc.explicitUnscoped:
		return nil
	case sc.body == nil:
		return s.defaultScope(tx, who.user, p)
	case sc.body.Project != nil:
		pr, err := findProjectRef(tx, sc.body.Project)
		if err != nil {
			return errAuthScope(err)
		}
		p.Scope, p.ScopeID = scopeProject, pr.ID
	case sc.body.Domain != nil:
		d, err := findDomainRef(tx, sc.body.Domain)
		if err != nil {
			return errAuthScope(err)
		}
		p.Scope, p.ScopeID = scopeDomain, d.ID
	case sc.body.System != nil:
		if !sc.body.System["all"] {
			return errs.BadRequestf("Invalid input for field 'scope/system': only {\"all\": true} is supported.")
		}
		p.Scope = scopeSystem
	case sc.body.Trust != nil:
		t, err := s.liveTrust(tx, sc.body.Trust.ID)
		if err != nil {
			return err
		}
		if t.TrusteeUserID != who.user.ID {
			return errs.Forbiddenf("You are not authorized to perform the requested action: user %s is not the trustee of trust %s.", who.user.ID, t.ID)
		}
		p.TrustID = t.ID
		if t.ProjectID != "" {
			p.Scope, p.ScopeID = scopeProject, t.ProjectID
		}
	}
	return nil
}

// errAuthScope hides which scope lookups failed behind a 401, as upstream.
func errAuthScope(err error) error {
	if errs.Is(err, errs.NotFound) {
		return errs.Unauthorizedf("%s", errs.As(err).Message)
	}
	return err
}

// defaultScope scopes to the user's default project when it is usable.
func (s *Service) defaultScope(tx *db.Tx, u *user, p *tokenPayload) error {
	if u.DefaultProjectID == "" {
		return nil
	}
	pr, err := findProjectRow(tx, u.DefaultProjectID)
	if err != nil || pr == nil || pr.IsDomain || !pr.Enabled {
		return err
	}
	roles, err := directRoleIDs(tx, u.ID, scopeProject, pr.ID)
	if err != nil || len(roles) == 0 {
		return err
	}
	p.Scope, p.ScopeID = scopeProject, pr.ID
	return nil
}

// findProjectRef resolves {"id"} or {"name", "domain": {...}} to a project.
func findProjectRef(tx *db.Tx, ref *api.NameOrID) (*project, error) {
	if ref.ID != nil {
		p, err := getProject(tx, *ref.ID)
		if err == nil && p.IsDomain {
			return nil, errs.NotFoundf("Could not find project: %s.", *ref.ID)
		}
		return p, err
	}
	if ref.Name == nil || ref.Domain == nil {
		return nil, errs.BadRequestf("Expecting to find domain in project. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	d, err := findDomainRef(tx, ref.Domain)
	if err != nil {
		return nil, err
	}
	return getProjectByName(tx, d.ID, *ref.Name)
}

// consumeTrustUse counts one use of a trust with limited uses.
func consumeTrustUse(tx *db.Tx, id string) error {
	n, err := tx.ExecAffected("UPDATE identity_trusts SET remaining_uses = remaining_uses - 1 WHERE id = ? AND remaining_uses IS NOT NULL AND remaining_uses > 0", id)
	if err != nil || n > 0 {
		return err
	}
	used, err := tx.Exists("SELECT 1 FROM identity_trusts WHERE id = ? AND remaining_uses IS NOT NULL AND remaining_uses <= 0", id)
	if err == nil && used {
		return errs.Unauthorizedf("Trust %s has no remaining uses.", id)
	}
	return err
}

// writeToken writes a token body with X-Subject-Token.
func (s *Service) writeToken(w http.ResponseWriter, r *http.Request, status int, raw string, tok *auth.Token) error {
	body := s.tokenBody(tok)
	if _, no := r.URL.Query()["nocatalog"]; !no && tok.Scoped() {
		var cat []api.CatalogService
		err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
			cat, err = catalogFor(tx, tok)
			return err
		})
		if err != nil {
			return err
		}
		body.Catalog = &cat
	}
	w.Header().Set("X-Subject-Token", raw)
	return httpx.WriteJSON(w, status, api.TokenResponse{Token: body})
}

// tokenBody renders a token's facts as upstream's token body.
func (s *Service) tokenBody(t *auth.Token) api.Token {
	b := api.Token{Methods: t.Methods, AuditIDs: t.AuditIDs, ExpiresAt: tokenTime(t.ExpiresAt), IssuedAt: tokenTime(t.IssuedAt),
		User: api.TokenUser{Domain: api.Ref{ID: t.UserDomain.ID, Name: t.UserDomain.Name}, ID: t.UserID, Name: t.UserName,
			PasswordExpiresAt: keystoneTime(t.PasswordExpiresAt)}}
	switch {
	case t.Project != nil:
		b.Project = &api.ScopedRef{Domain: api.Ref{ID: t.ProjectDomain.ID, Name: t.ProjectDomain.Name}, ID: t.Project.ID, Name: t.Project.Name}
		if t.Trust == nil {
			f := false
			b.IsDomain = &f
		}
	case t.Domain != nil:
		b.Domain = &api.Ref{ID: t.Domain.ID, Name: t.Domain.Name}
	case t.System:
		b.System = map[string]bool{"all": true}
	}
	if t.Scoped() {
		b.Roles = make([]api.Ref, len(t.Roles))
		for i, ro := range t.Roles {
			b.Roles[i] = api.Ref{ID: ro.ID, Name: ro.Name}
		}
	}
	if t.Trust != nil {
		b.Trust = &api.TokenTrust{ID: t.Trust.ID, TrustorUser: api.IDRef{ID: t.Trust.TrustorUserID},
			TrusteeUser: api.IDRef{ID: t.Trust.TrusteeUserID}, Impersonation: t.Trust.Impersonation}
	}
	if t.AppCred != nil {
		b.AppCred = &api.TokenAppCred{ID: t.AppCred.ID, Name: t.AppCred.Name, Restricted: t.AppCred.Restricted}
		for _, ar := range t.AppCred.AccessRules {
			b.AppCred.AccessRules = append(b.AppCred.AccessRules, api.AccessRule(ar))
		}
	}
	return b
}
