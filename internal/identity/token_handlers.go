package identity

import (
	"net/http"
	"time"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// allowExpiredWindow is how long past expiry ?allow_expired=1 still
// validates a token (upstream's allow_expired_window).
const allowExpiredWindow = 48 * time.Hour

// subjectToken validates X-Subject-Token; any problem is a 404.
func (s *Service) subjectToken(r *http.Request, allowExpired bool) (string, *tokenPayload, *auth.Token, error) {
	raw := r.Header.Get("X-Subject-Token")
	if raw == "" {
		return "", nil, nil, errs.NotFoundf("No token in the request")
	}
	p := s.decodeToken(raw)
	if p == nil {
		return "", nil, nil, errs.NotFoundf("Could not recognize Fernet token")
	}
	failed := errs.NotFoundf("Failed to validate token")
	deadline := p.ExpiresAt
	if allowExpired {
		deadline = deadline.Add(allowExpiredWindow)
	}
	if !s.now().Before(deadline) {
		return "", nil, nil, failed
	}
	tok, err := s.resolveCached(r.Context(), raw, p)
	if err != nil {
		if errs.Is(err, errs.Unauthorized) || errs.Is(err, errs.NotFound) {
			return "", nil, nil, failed
		}
		return "", nil, nil, err
	}
	// A service that does not say it enforces access rules may not accept
	// a token limited by them (keystonemiddleware sends this header).
	if tok.AppCred != nil && len(tok.AppCred.AccessRules) > 0 && r.Header.Get("OpenStack-Identity-Access-Rules") == "" {
		return "", nil, nil, failed
	}
	return raw, p, tok, nil
}

func tokenTarget(subject *auth.Token) map[string]any {
	return map[string]any{"target": map[string]any{"token": map[string]any{
		"user_id": subject.UserID, "user": map[string]any{"id": subject.UserID, "domain": map[string]any{"id": subject.UserDomain.ID}}}}}
}

func (s *Service) validateTokenHandler(w http.ResponseWriter, r *http.Request) error {
	allow := httpx.ParseBool(r.URL.Query().Get("allow_expired")) && r.URL.Query().Get("allow_expired") != ""
	// As upstream, an invalid subject token is a 404 before any policy.
	raw, _, tok, err := s.subjectToken(r, allow)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "identity:validate_token", tokenTarget(tok)); err != nil {
		return err
	}
	return s.writeToken(w, r, http.StatusOK, raw, tok)
}

func (s *Service) checkTokenHandler(w http.ResponseWriter, r *http.Request) error {
	raw, _, tok, err := s.subjectToken(r, false)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "identity:check_token", tokenTarget(tok)); err != nil {
		return err
	}
	w.Header().Set("X-Subject-Token", raw)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) revokeTokenHandler(w http.ResponseWriter, r *http.Request) error {
	_, p, tok, err := s.subjectToken(r, false)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "identity:revoke_token", tokenTarget(tok)); err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		return s.revoke(tx, revocation{AuditID: p.AuditIDs[0]})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// authProjects is GET /v3/auth/projects: the enabled projects the caller
// has a role on.
func (s *Service) authProjects(w http.ResponseWriter, r *http.Request) error {
	t := caller(r)
	var list []*project
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = projectsWithRoles(tx, t.UserID, false)
		return err
	})
	if err != nil {
		return err
	}
	out := make([]api.Project, 0, len(list))
	for _, p := range list {
		if p.Enabled {
			out = append(out, s.projectView(r, p))
		}
	}
	return s.writeCollection(w, r, "projects", out, "", false)
}

// authDomains is GET /v3/auth/domains: the enabled domains the caller has
// a role on.
func (s *Service) authDomains(w http.ResponseWriter, r *http.Request) error {
	t := caller(r)
	var list []*project
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = projectsWithRoles(tx, t.UserID, true)
		return err
	})
	if err != nil {
		return err
	}
	out := make([]api.Domain, 0, len(list))
	for _, d := range list {
		if d.Enabled {
			out = append(out, s.domainView(r, d))
		}
	}
	return s.writeCollection(w, r, "domains", out, "", false)
}

// authSystem is GET /v3/auth/system: [{"all": true}] when the caller has
// a role on the system.
func (s *Service) authSystem(w http.ResponseWriter, r *http.Request) error {
	t := caller(r)
	var roles []string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		roles, err = directRoleIDs(tx, t.UserID, scopeSystem, "")
		return err
	})
	if err != nil {
		return err
	}
	system := []map[string]bool{}
	if len(roles) > 0 {
		system = append(system, map[string]bool{"all": true})
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"system": system,
		"links": map[string]any{"self": httpx.SelfURL(r, s.baseURL(r)), "previous": nil, "next": nil}})
}

// authCatalog is GET /v3/auth/catalog: the catalog of the caller's scope.
func (s *Service) authCatalog(w http.ResponseWriter, r *http.Request) error {
	t := caller(r)
	if !t.Scoped() {
		return errs.Forbiddenf("You are not authorized to perform the requested action: get the catalog with an unscoped token.")
	}
	var cat []api.CatalogService
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		cat, err = catalogFor(tx, t)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"catalog": cat,
		"links": map[string]any{"self": httpx.SelfURL(r, s.baseURL(r)), "previous": nil, "next": nil}})
}
