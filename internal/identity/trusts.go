package identity

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// trustInput is the body of a trust create. allow_redelegation and
// redelegation_count are stored as upstream, but no trust is redelegated.
type trustInput struct {
	TrustorUserID     *string           `json:"trustor_user_id"`
	TrusteeUserID     *string           `json:"trustee_user_id"`
	Impersonation     *bool             `json:"impersonation"`
	ProjectID         *string           `json:"project_id"`
	RemainingUses     *int              `json:"remaining_uses"`
	ExpiresAt         *string           `json:"expires_at"`
	AllowRedelegation *bool             `json:"allow_redelegation"`
	RedelegationCount *int              `json:"redelegation_count"`
	Roles             *[]map[string]any `json:"roles"`

	// Set by the server; never taken from the body nor kept as extras.
	ID                 any `json:"id"`
	DeletedAt          any `json:"deleted_at"`
	RedelegatedTrustID any `json:"redelegated_trust_id"`
}

// trustRequest is a validated create request.
type trustRequest struct {
	trust *trust
	roles []roleRef
}

func (s *Service) createTrust(w http.ResponseWriter, r *http.Request) error {
	var in trustInput
	extra, err := s.decodeEnforced(r, "trust", &in, "identity:create_trust", createTrustTarget)
	if err != nil {
		return err
	}
	req, err := s.newTrustRequest(&in, extra, caller(r))
	if err != nil {
		return err
	}
	var view api.Trust
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := insertTrust(tx, req, caller(r)); err != nil {
			return err
		}
		view, err = s.trustViewWithRoles(tx, r, req.trust)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"trust": view})
}

// createTrustTarget is the create_trust policy target: upstream checks
// the body's trustor_user_id, read here leniently so that a body with bad
// values is still judged by policy first.
func createTrustTarget(body []byte) map[string]any {
	var env struct {
		Trust struct {
			TrustorUserID any `json:"trustor_user_id"`
		} `json:"trust"`
	}
	_ = json.Unmarshal(body, &env)
	trustor, _ := env.Trust.TrustorUserID.(string)
	return map[string]any{"trust": map[string]any{"trustor_user_id": trustor}}
}

// newTrustRequest validates a create body and the caller's right to
// create the trust, in upstream's order.
func (s *Service) newTrustRequest(in *trustInput, extra map[string]any, tok *auth.Token) (*trustRequest, error) {
	if err := checkTrustBody(in); err != nil {
		return nil, err
	}
	roles := []roleRef{}
	if in.Roles != nil {
		var err error
		if roles, err = parseRoleRefs(*in.Roles); err != nil {
			return nil, err
		}
	}
	expires, err := parseExpiresAt(in.ExpiresAt, s.now())
	if err != nil {
		return nil, err
	}
	if err := mayCreateTrust(in, tok, len(roles) > 0); err != nil {
		return nil, err
	}
	count, err := redelegationCount(in)
	if err != nil {
		return nil, err
	}
	t := &trust{ID: s.newID(), TrustorUserID: *in.TrustorUserID, TrusteeUserID: *in.TrusteeUserID,
		ProjectID: stringOr(in.ProjectID, ""), Impersonation: *in.Impersonation, ExpiresAt: expires,
		RemainingUses: in.RemainingUses, RedelegationCount: &count, Extra: extra}
	return &trustRequest{trust: t, roles: roles}, nil
}

// checkTrustBody applies upstream's trust schema.
func checkTrustBody(in *trustInput) error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"trustor_user_id", in.TrustorUserID}, {"trustee_user_id", in.TrusteeUserID}} {
		if f.v == nil {
			return errs.BadRequestf("Invalid input for field '%s': '%s' is a required property.", f.name, f.name)
		}
		if err := checkString(f.name, *f.v, 1, 64); err != nil {
			return err
		}
	}
	if in.Impersonation == nil {
		return errs.BadRequestf("Invalid input for field 'impersonation': 'impersonation' is a required property.")
	}
	if in.ProjectID != nil {
		if err := checkIDString("project_id", *in.ProjectID); err != nil {
			return err
		}
	}
	if in.RemainingUses != nil && *in.RemainingUses < 1 {
		return errs.BadRequestf("Invalid input for field 'remaining_uses': %d is less than the minimum of 1.", *in.RemainingUses)
	}
	if in.RedelegationCount != nil && *in.RedelegationCount < 0 {
		return errs.BadRequestf("Invalid input for field 'redelegation_count': %d is less than the minimum of 0.", *in.RedelegationCount)
	}
	return nil
}

// mayCreateTrust applies upstream's rules on who may create a trust. A
// trust's own token may not: monostack does not redelegate trusts.
func mayCreateTrust(in *trustInput, tok *auth.Token, hasRoles bool) error {
	if err := refuseRestrictedAppCred(tok, "trusts"); err != nil {
		return err
	}
	if tok.Trust != nil {
		return errs.Forbiddenf("You are not authorized to perform the requested action: Creating a trust with a trust-scoped token (redelegation) is not supported.")
	}
	if in.ProjectID != nil && !hasRoles {
		return errs.Forbiddenf("You are not authorized to perform the requested action: At least one role should be specified.")
	}
	if tok.UserID != *in.TrustorUserID {
		return errs.Forbiddenf("You are not authorized to perform the requested action: The authenticated user should match the trustor.")
	}
	return nil
}

// redelegationCount is the count stored for a new trust, as upstream:
// 0 unless redelegation is allowed, then the requested depth (at most
// maxRedelegationCount, which is the default) without remaining_uses.
func redelegationCount(in *trustInput) (int, error) {
	requested := in.RedelegationCount
	if !boolOr(in.AllowRedelegation, false) || (requested != nil && *requested == 0) {
		return 0, nil
	}
	if requested != nil && *requested > maxRedelegationCount {
		return 0, errs.Forbiddenf("Requested redelegation depth of %d is greater than allowed %d", *requested, maxRedelegationCount)
	}
	if in.RemainingUses != nil {
		return 0, errs.BadRequestf("remaining_uses must not be set if redelegation is allowed")
	}
	if requested == nil {
		return maxRedelegationCount, nil
	}
	return *requested, nil
}

// maxRedelegationCount is upstream's [trust] max_redelegation_count default.
const maxRedelegationCount = 3

// insertTrust checks the trustee, the project and the trustor's roles on
// it, then stores the trust and its roles.
func insertTrust(tx *db.Tx, req *trustRequest, tok *auth.Token) error {
	t := req.trust
	if _, err := getUser(tx, t.TrusteeUserID); err != nil {
		return err
	}
	roles, err := resolveRoleRefs(tx, req.roles)
	if err != nil {
		return err
	}
	if err := requireTrustorRoles(tx, t, roles); err != nil {
		return err
	}
	if err := withinAppCred(tok, t.ProjectID, roles); err != nil {
		return err
	}
	t.RoleIDs = slices.Sorted(slices.Values(roles))
	_, err = tx.Exec(`INSERT INTO identity_trusts (id, trustor_user_id, trustee_user_id, project_id, impersonation, expires_at,
		remaining_uses, redelegated_trust_id, redelegation_count, deleted_at, extra) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?)`,
		t.ID, t.TrustorUserID, t.TrusteeUserID, nullString(t.ProjectID), t.Impersonation, microOrNil(t.ExpiresAt),
		t.RemainingUses, *t.RedelegationCount, marshalExtra(t.Extra))
	if err != nil {
		return err
	}
	for _, id := range t.RoleIDs {
		if _, err := tx.Exec("INSERT INTO identity_trust_roles (trust_id, role_id) VALUES (?, ?)", t.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// withinAppCred keeps a trust made with an (unrestricted) application
// credential's token within that credential: its project and its roles.
// Upstream lets such a trust delegate any role of the trustor.
func withinAppCred(tok *auth.Token, projectID string, roles []string) error {
	if tok.AppCred == nil {
		return nil
	}
	for _, id := range roles {
		if projectID != tok.ProjectID() || !slices.ContainsFunc(tok.Roles, func(ro auth.Ref) bool { return ro.ID == id }) {
			return errs.Forbiddenf("You are not authorized to perform the requested action: A trust made with an application credential may only delegate the credential's roles on its project.")
		}
	}
	return nil
}

// requireTrustorRoles checks the trust's project exists and the trustor
// holds every delegated role on it (404 for the first that is not held).
func requireTrustorRoles(tx *db.Tx, t *trust, roles []string) error {
	var held []string
	if t.ProjectID != "" {
		p, err := getProject(tx, t.ProjectID)
		if err == nil && p.IsDomain {
			err = errs.NotFoundf("Could not find project: %s.", t.ProjectID)
		}
		if err != nil {
			return err
		}
		if held, err = heldRoleIDs(tx, t.TrustorUserID, t.ProjectID); err != nil {
			return err
		}
	}
	for _, id := range roles {
		if !slices.Contains(held, id) {
			return errs.NotFoundf("Could not find role: %s.", id)
		}
	}
	return nil
}

func (s *Service) listTrusts(w http.ResponseWriter, r *http.Request) error {
	query := r.URL.Query()
	q := db.NewQuery("SELECT " + trustColumns + " FROM identity_trusts").Where("deleted_at IS NULL")
	var err error
	switch trustor, trustee := query.Get("trustor_user_id"), query.Get("trustee_user_id"); {
	case trustor != "":
		err = s.enforce(r, "identity:list_trusts_for_trustor", trustTarget(map[string]any{"trustor_user_id": trustor}))
		q.Where("trustor_user_id = ?", trustor)
	case trustee != "":
		err = s.enforce(r, "identity:list_trusts_for_trustee", trustTarget(map[string]any{"trustee_user_id": trustee}))
		q.Where("trustee_user_id = ?", trustee)
	default:
		err = s.enforce(r, "identity:list_trusts", nil)
	}
	if err != nil {
		return err
	}
	q.OrderBy("id")
	var list []*trust
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryTrusts(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	out := make([]api.Trust, len(list))
	for i, t := range list {
		out[i] = s.trustView(r, t)
	}
	return s.writeCollection(w, r, "trusts", out, "", false)
}

func queryTrusts(tx *db.Tx, q *db.Query) ([]*trust, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*trust
	for rows.Next() {
		t, err := scanTrust(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Service) getTrustHandler(w http.ResponseWriter, r *http.Request) error {
	var view api.Trust
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		t, err := s.enforcedTrust(tx, r, "identity:get_trust")
		if err != nil {
			return err
		}
		view, err = s.trustViewWithRoles(tx, r, t)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"trust": view})
}

func (s *Service) deleteTrust(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		t, err := s.enforcedTrust(tx, r, "identity:delete_trust")
		if err != nil {
			return err
		}
		if err := refuseRestrictedAppCred(caller(r), "trusts"); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE identity_trusts SET deleted_at = ? WHERE id = ?", s.now().UnixMicro(), t.ID); err != nil {
			return err
		}
		return s.revoke(tx, revocation{TrustID: t.ID})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) listTrustRoles(w http.ResponseWriter, r *http.Request) error {
	var roles []api.Role
	var t *trust
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if t, err = s.enforcedTrust(tx, r, "identity:list_roles_for_trust"); err != nil {
			return err
		}
		roles, err = s.trustRoles(tx, r, t)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"roles": roles, "links": s.trustRolesLinks(r, t)})
}

// getTrustRole is GET and HEAD of one role a trust delegates.
func (s *Service) getTrustRole(w http.ResponseWriter, r *http.Request) error {
	var view api.Role
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		t, err := s.enforcedTrust(tx, r, "identity:get_role_for_trust")
		if err != nil {
			return err
		}
		id := r.PathValue("role_id")
		if !slices.Contains(t.RoleIDs, id) {
			return errs.NotFoundf("Could not find role: %s.", id)
		}
		ro, err := getRole(tx, id)
		if err != nil {
			return err
		}
		view = s.roleView(r, ro)
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"role": view})
}

// enforcedTrust loads the path's trust (404 before policy, as upstream)
// and enforces rule on it.
func (s *Service) enforcedTrust(tx *db.Tx, r *http.Request, rule string) (*trust, error) {
	t, err := s.visibleTrust(tx, r.PathValue("trust_id"))
	if err != nil {
		return nil, err
	}
	return t, s.enforce(r, rule, trustTarget(trustAttrs(t)))
}

// visibleTrust loads a trust the API shows: not deleted, not expired and
// not used up; anything else is not found, as upstream.
func (s *Service) visibleTrust(tx *db.Tx, id string) (*trust, error) {
	t, err := getTrust(tx, id)
	if err != nil {
		return nil, err
	}
	if trustExpired(t, s.now()) || (t.RemainingUses != nil && *t.RemainingUses <= 0) {
		return nil, errs.NotFoundf("Could not find trust: %s.", id)
	}
	return t, nil
}

func trustExpired(t *trust, now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// trustTarget wraps trust attributes as a policy target.
func trustTarget(attrs map[string]any) map[string]any {
	return map[string]any{"target": map[string]any{"trust": attrs}}
}

func trustAttrs(t *trust) map[string]any {
	return map[string]any{"id": t.ID, "trustor_user_id": t.TrustorUserID, "trustee_user_id": t.TrusteeUserID,
		"project_id": nullString(t.ProjectID), "impersonation": t.Impersonation}
}

// trustView renders a trust as upstream's lists do.
func (s *Service) trustView(r *http.Request, t *trust) api.Trust {
	v := api.Trust{ID: t.ID, TrustorUserID: t.TrustorUserID, TrusteeUserID: t.TrusteeUserID,
		Impersonation: t.Impersonation, RemainingUses: t.RemainingUses, Extra: t.Extra,
		Links: api.Links{Self: s.selfLink(r, "/v3/OS-TRUST/trusts/"+t.ID)}}
	if t.ProjectID != "" {
		v.ProjectID = &t.ProjectID
	}
	if t.ExpiresAt != nil {
		e := tokenTime(*t.ExpiresAt)
		v.ExpiresAt = &e
	}
	if t.RedelegatedTrustID != "" {
		v.RedelegatedTrustID = &t.RedelegatedTrustID
	}
	if t.RedelegationCount != nil {
		v.RedelegationCount = *t.RedelegationCount
	}
	return v
}

// trustViewWithRoles renders a single trust with its roles.
func (s *Service) trustViewWithRoles(tx *db.Tx, r *http.Request, t *trust) (api.Trust, error) {
	v := s.trustView(r, t)
	roles, err := s.trustRoles(tx, r, t)
	if err != nil {
		return v, err
	}
	links := s.trustRolesLinks(r, t)
	v.Roles, v.RolesLinks = &roles, &links
	return v, nil
}

func (s *Service) trustRoles(tx *db.Tx, r *http.Request, t *trust) ([]api.Role, error) {
	roles, err := rolesByID(tx, t.RoleIDs)
	if err != nil {
		return nil, err
	}
	out := make([]api.Role, len(roles))
	for i, ro := range roles {
		out[i] = s.roleView(r, ro)
	}
	return out, nil
}

// trustRolesLinks is upstream's roles_links, whose self link (sic) lacks
// the /OS-TRUST/trusts part.
func (s *Service) trustRolesLinks(r *http.Request, t *trust) api.CollectionLinks {
	return api.CollectionLinks{Self: s.selfLink(r, "/v3/"+t.ID+"/roles")}
}
