package identity

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// appCredInput is the body of an application credential create.
type appCredInput struct {
	Name         *string           `json:"name"`
	Description  *string           `json:"description"`
	Secret       *string           `json:"secret"`
	ExpiresAt    *string           `json:"expires_at"`
	Roles        *[]map[string]any `json:"roles"`
	Unrestricted *bool             `json:"unrestricted"`
	AccessRules  *[]map[string]any `json:"access_rules"`
}

// appCredRequest is a validated create request.
type appCredRequest struct {
	cred  *appCred
	roles []roleRef
	rules []accessRuleRef
}

func (s *Service) createAppCred(w http.ResponseWriter, r *http.Request) error {
	userID := r.PathValue("user_id")
	var in appCredInput
	target := func([]byte) map[string]any { return map[string]any{"user_id": userID} }
	if _, err := s.decodeEnforced(r, "application_credential", &in, "identity:create_application_credential", target); err != nil {
		return err
	}
	tok := caller(r)
	if err := mayCreateAppCred(tok, userID); err != nil {
		return err
	}
	req, secret, err := s.newAppCredRequest(&in, tok)
	if err != nil {
		return err
	}
	var view api.AppCred
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := s.insertAppCred(tx, req, tok); err != nil {
			return err
		}
		view, err = s.appCredView(tx, r, req.cred)
		return err
	})
	if err != nil {
		return err
	}
	view.Secret = secret
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"application_credential": view})
}

// mayCreateAppCred applies upstream's rules on who may create an
// application credential, plus monostack's: a trust's token may not mint
// a further delegation, and the credential needs a project.
func mayCreateAppCred(tok *auth.Token, userID string) error {
	if err := refuseRestrictedAppCred(tok, "additional application credentials"); err != nil {
		return err
	}
	if tok.Trust != nil {
		return errs.Forbiddenf("You are not authorized to perform the requested action: Using a trust-scoped token to create an application credential is not allowed.")
	}
	if tok.UserID != userID {
		return errs.Forbiddenf("You are not authorized to perform the requested action: Cannot create an application credential for another user..")
	}
	if tok.Project == nil {
		return errs.Forbiddenf("You are not authorized to perform the requested action: An application credential can only be created with a project-scoped token.")
	}
	return nil
}

// refuseRestrictedAppCred refuses a token made from a restricted
// application credential, which may not manage delegations.
func refuseRestrictedAppCred(tok *auth.Token, what string) error {
	if tok != nil && tok.AppCred != nil && tok.AppCred.Restricted {
		return errs.Forbiddenf("You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing %s..", what)
	}
	return nil
}

// newAppCredRequest validates a create body and hashes the secret (outside
// any transaction: bcrypt is slow). It returns the secret to show once.
func (s *Service) newAppCredRequest(in *appCredInput, tok *auth.Token) (*appCredRequest, string, error) {
	if err := checkEntityName("name", in.Name); err != nil {
		return nil, "", err
	}
	if in.ExpiresAt != nil && *in.ExpiresAt == "" {
		in.ExpiresAt = nil // upstream takes an empty expires_at as none
	}
	expires, err := parseExpiresAt(in.ExpiresAt, s.now())
	if err != nil {
		return nil, "", err
	}
	req := &appCredRequest{cred: &appCred{ID: s.newID(), Name: *in.Name, Description: in.Description, UserID: tok.UserID,
		ProjectID: tok.Project.ID, ExpiresAt: expires, Unrestricted: boolOr(in.Unrestricted, false), CreatedAt: s.now()}}
	if in.Roles != nil {
		if req.roles, err = parseRoleRefs(*in.Roles); err != nil {
			return nil, "", err
		}
	}
	if in.AccessRules != nil {
		if req.rules, err = parseAccessRules(*in.AccessRules); err != nil {
			return nil, "", err
		}
	}
	secret := stringOr(in.Secret, "")
	if secret == "" {
		secret = newAppCredSecret()
	}
	if req.cred.SecretHash, err = hashPassword(secret, s.opts.BcryptCost); err != nil {
		return nil, "", errs.Wrap(errs.Internal, err, "hash secret")
	}
	return req, secret, nil
}

// newAppCredSecret is upstream's generated secret: 64 random bytes in
// unpadded URL-safe base64 (86 characters).
func newAppCredSecret() string {
	var b [64]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// insertAppCred stores a validated credential with its roles and rules.
func (s *Service) insertAppCred(tx *db.Tx, req *appCredRequest, tok *auth.Token) error {
	a := req.cred
	roles, err := appCredRoleIDs(tx, req.roles, tok)
	if err != nil {
		return err
	}
	if err := requireProjectRoles(tx, a.UserID, a.ProjectID, roles); err != nil {
		return err
	}
	a.RoleIDs = slices.Sorted(slices.Values(roles))
	taken, err := tx.Exists("SELECT 1 FROM identity_app_creds WHERE user_id = ? AND name = ?", a.UserID, a.Name)
	if err != nil {
		return err
	}
	if taken {
		return errAppCredConflict(a.Name)
	}
	_, err = tx.Exec(`INSERT INTO identity_app_creds (id, name, secret_hash, description, user_id, project_id, expires_at, unrestricted, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Name, a.SecretHash, a.Description, a.UserID, a.ProjectID,
		microOrNil(a.ExpiresAt), a.Unrestricted, a.CreatedAt.UnixMicro())
	if errors.Is(err, db.ErrConflict) {
		return errAppCredConflict(a.Name)
	}
	if err != nil {
		return err
	}
	for _, id := range a.RoleIDs {
		if _, err := tx.Exec("INSERT INTO identity_app_cred_roles (app_cred_id, role_id) VALUES (?, ?)", a.ID, id); err != nil {
			return err
		}
	}
	return s.linkAccessRules(tx, a, req.rules)
}

func errAppCredConflict(name string) error {
	return errs.Conflictf("Conflict occurred attempting to store application_credential - Duplicate entry found with name %s.", name)
}

// appCredRoleIDs picks the credential's roles: the requested ones, each of
// which the caller's token must carry, or else all of the token's roles.
func appCredRoleIDs(tx *db.Tx, refs []roleRef, tok *auth.Token) ([]string, error) {
	tokenRoles := make([]string, len(tok.Roles))
	for i, ro := range tok.Roles {
		tokenRoles[i] = ro.ID
	}
	if len(refs) == 0 {
		return tokenRoles, nil
	}
	ids, err := resolveRoleRefs(tx, refs)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.Contains(tokenRoles, id) {
			return nil, errs.BadRequestf("Invalid application credential: Cannot create an application credential with unassigned role")
		}
	}
	return ids, nil
}

// requireProjectRoles checks the user still holds every role on the
// project (effective: groups, inheritance, implied roles).
func requireProjectRoles(tx *db.Tx, userID, projectID string, roles []string) error {
	held, err := heldRoleIDs(tx, userID, projectID)
	if err != nil {
		return err
	}
	for _, id := range roles {
		if !slices.Contains(held, id) {
			return errs.BadRequestf("Invalid application credential: Could not find role assignment with role: %s, user or group: %s, project, domain, or system: %s.", id, userID, projectID)
		}
	}
	return nil
}

// heldRoleIDs lists the roles a user effectively holds on a project,
// domain-specific roles included.
func heldRoleIDs(tx *db.Tx, userID, projectID string) ([]string, error) {
	direct, err := directRoleIDs(tx, userID, scopeProject, projectID)
	if err != nil || len(direct) == 0 {
		return nil, err
	}
	rules, err := impliedRules(tx)
	if err != nil {
		return nil, err
	}
	return expandImplied(direct, rules), nil
}

func (s *Service) listAppCreds(w http.ResponseWriter, r *http.Request) error {
	userID := r.PathValue("user_id")
	if err := s.enforce(r, "identity:list_application_credentials", map[string]any{"user_id": userID}); err != nil {
		return err
	}
	q := db.NewQuery("SELECT "+appCredColumns+" FROM identity_app_creds").Where("user_id = ?", userID)
	for _, f := range httpx.ParseFilters(r.URL.Query(), []string{"name"}, []string{"name"}) {
		q.Match(f.Key, string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var views []api.AppCred
	var next string
	var truncated bool
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		list, err := queryAppCreds(tx, q)
		if err != nil {
			return err
		}
		list, next, truncated = cutPage(r, s, page, list, func(a *appCred) string { return a.ID })
		views = make([]api.AppCred, len(list))
		for i, a := range list {
			if views[i], err = s.appCredView(tx, r, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.writeCollection(w, r, "application_credentials", views, next, truncated)
}

// queryAppCreds runs an application credential query and loads each
// one's roles and access rules.
func queryAppCreds(tx *db.Tx, q *db.Query) ([]*appCred, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	var out []*appCred
	for rows.Next() {
		a, err := scanAppCred(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, a := range out {
		if err := loadAppCredDetails(tx, a); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) getAppCredHandler(w http.ResponseWriter, r *http.Request) error {
	var view api.AppCred
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		a, err := s.ownedAppCred(tx, r, "identity:get_application_credential")
		if err != nil {
			return err
		}
		view, err = s.appCredView(tx, r, a)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"application_credential": view})
}

func (s *Service) deleteAppCred(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		a, err := s.ownedAppCred(tx, r, "identity:delete_application_credential")
		if err != nil {
			return err
		}
		if err := refuseRestrictedAppCred(caller(r), "additional application credentials"); err != nil {
			return err
		}
		for _, q := range []string{
			"DELETE FROM identity_app_cred_access_rules WHERE app_cred_id = ?",
			"DELETE FROM identity_app_cred_roles WHERE app_cred_id = ?",
			"DELETE FROM identity_app_creds WHERE id = ?",
		} {
			if _, err := tx.Exec(q, a.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ownedAppCred loads the credential of the path and enforces rule with
// the credential's owner as the target user (as upstream: never the
// path's). A credential of another user than the path's is not found.
func (s *Service) ownedAppCred(tx *db.Tx, r *http.Request, rule string) (*appCred, error) {
	userID, id := r.PathValue("user_id"), r.PathValue("application_credential_id")
	a, err := getAppCred(tx, id)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	owner := userID
	if a != nil {
		owner = a.UserID
	}
	if perr := s.enforce(r, rule, map[string]any{"user_id": owner}); perr != nil {
		return nil, perr
	}
	if a == nil || a.UserID != userID {
		return nil, errs.NotFoundf("Could not find Application Credential: %s.", id)
	}
	return a, nil
}

// appCredView renders a credential as upstream (without its secret).
func (s *Service) appCredView(tx *db.Tx, r *http.Request, a *appCred) (api.AppCred, error) {
	roles, err := rolesByID(tx, a.RoleIDs)
	if err != nil {
		return api.AppCred{}, err
	}
	v := api.AppCred{ID: a.ID, Name: a.Name, Description: a.Description, UserID: a.UserID,
		ExpiresAt: keystoneTime(a.ExpiresAt), Unrestricted: a.Unrestricted, Roles: make([]api.DelegatedRole, len(roles)),
		Links: api.Links{Self: s.selfLink(r, "/v3/application_credentials/"+a.ID)}}
	if a.ProjectID != "" {
		v.ProjectID = &a.ProjectID
	}
	for i, ro := range roles {
		rv := s.roleView(r, ro)
		v.Roles[i] = api.DelegatedRole{ID: rv.ID, Name: rv.Name, DomainID: rv.DomainID, Description: rv.Description,
			Options: rv.Options, Extra: rv.Extra}
	}
	for _, ar := range a.AccessRules {
		v.AccessRules = append(v.AccessRules, api.AccessRule(ar))
	}
	return v, nil
}
