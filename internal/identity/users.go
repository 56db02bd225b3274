package identity

import (
	"net/http"
	"time"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// userInput is the body of user create and update.
type userInput struct {
	Name             *string         `json:"name"`
	DomainID         *string         `json:"domain_id"`
	Enabled          *bool           `json:"enabled"`
	Password         *string         `json:"password"`
	DefaultProjectID *string         `json:"default_project_id"`
	Description      *string         `json:"description"`
	Options          *map[string]any `json:"options"`
	ID               *string         `json:"id"`
}

// keystoneTime formats times as upstream does in resource bodies.
func keystoneTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000000")
	return &s
}

func (s *Service) userView(r *http.Request, u *user) api.User {
	return api.User{ID: u.ID, Name: u.Name, DomainID: u.DomainID, Enabled: u.Enabled,
		PasswordExpiresAt: keystoneTime(u.PasswordExpiresAt), DefaultProjectID: u.DefaultProjectID,
		Description: u.Description, Options: optionsOf(u.Extra), Extra: withoutOptions(u.Extra),
		Links: api.Links{Self: s.selfLink(r, "/v3/users/"+u.ID)}}
}

func userTarget(u *user) map[string]any {
	return map[string]any{"user_id": u.ID, "target": map[string]any{"user": map[string]any{
		"id": u.ID, "name": u.Name, "domain_id": u.DomainID, "enabled": u.Enabled,
		"default_project_id": u.DefaultProjectID}}}
}

func (s *Service) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	extra, err := decodeEntity(r, "user", &in)
	if err != nil {
		if perr := s.enforce(r, "identity:create_user", nil); perr != nil {
			return perr
		}
		return err
	}
	domainID := stringOr(in.DomainID, "")
	if domainID == "" {
		domainID = s.callerDomainOrDefault(r)
	}
	if err := s.enforce(r, "identity:create_user", map[string]any{"target": map[string]any{"user": map[string]any{"domain_id": domainID}}}); err != nil {
		return err
	}
	if err := checkName("name", in.Name, 255); err != nil {
		return err
	}
	if extra, err = applyOptions("user", extra, in.Options); err != nil {
		return err
	}
	u := &user{ID: s.newID(), DomainID: domainID, Name: *in.Name, Enabled: boolOr(in.Enabled, true),
		DefaultProjectID: stringOr(in.DefaultProjectID, ""), Description: in.Description, Extra: extra, CreatedAt: s.now()}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getDomain(tx, u.DomainID); err != nil {
			return err // a 404, as upstream (projects answer 400)
		}
		if err := checkDefaultProject(tx, u.DefaultProjectID); err != nil {
			return err
		}
		if err := insertUser(tx, u); err != nil {
			return err
		}
		if in.Password != nil {
			return s.setPassword(tx, u, *in.Password, false)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"user": s.userView(r, u)})
}

// callerDomainOrDefault is the domain a new user or group lands in when
// none is given: the caller's domain scope, else Default.
func (s *Service) callerDomainOrDefault(r *http.Request) string {
	if t := caller(r); t != nil && t.Domain != nil {
		return t.Domain.ID
	}
	return defaultDomainID
}

// checkDefaultProject refuses a default project that is a domain.
func checkDefaultProject(tx *db.Tx, id string) error {
	if id == "" {
		return nil
	}
	p, err := findProjectRow(tx, id)
	if err != nil {
		return err
	}
	if p != nil && p.IsDomain {
		return errs.BadRequestf("User's default project ID cannot be a domain ID: %s", id)
	}
	return nil
}

func (s *Service) getUserHandler(w http.ResponseWriter, r *http.Request) error {
	var u *user
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		u, err = getUser(tx, r.PathValue("user_id"))
		return err
	})
	if err != nil {
		if perr := s.enforce(r, "identity:get_user", map[string]any{"user_id": r.PathValue("user_id")}); perr != nil {
			return perr
		}
		return err
	}
	if err := s.enforce(r, "identity:get_user", userTarget(u)); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"user": s.userView(r, u)})
}

func (s *Service) listUsers(w http.ResponseWriter, r *http.Request) error {
	query := r.URL.Query()
	domainID := query.Get("domain_id")
	if t := caller(r); domainID == "" && t != nil && t.Domain != nil {
		domainID = t.Domain.ID
	}
	if err := s.enforce(r, "identity:list_users", map[string]any{"domain_id": domainID,
		"target": map[string]any{"domain_id": domainID}}); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + userColumns + userFrom)
	if domainID != "" {
		q.Where("u.domain_id = ?", domainID)
	}
	for _, f := range httpx.ParseFilters(query, []string{"name"}, []string{"name"}) {
		q.Match("u.name", string(f.Op), f.Value)
	}
	if v, ok := query["enabled"]; ok {
		q.Where("u.enabled = ?", httpx.ParseBool(v[0]))
	}
	if err := passwordExpiryFilter(q, query.Get("password_expires_at")); err != nil {
		return err
	}
	page, err := s.listPageBy(r, q, "u.id")
	if err != nil {
		return err
	}
	var list []*user
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryUsers(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(u *user) string { return u.ID })
	out := make([]api.User, len(list))
	for i, u := range list {
		out[i] = s.userView(r, u)
	}
	return s.writeCollection(w, r, "users", out, next, truncated)
}

// passwordExpiryFilter handles password_expires_at={lt,lte,gt,gte,eq,neq}:TIME.
func passwordExpiryFilter(q *db.Query, v string) error {
	if v == "" {
		return nil
	}
	op, ts := "eq", v
	if i := indexColon(v); i > 0 && i <= 3 {
		op, ts = v[:i], v[i+1:]
	}
	t, err := parseKeystoneTime(ts)
	if err != nil {
		return errs.BadRequestf("Invalid password_expires_at filter %q.", v)
	}
	sqlOp := map[string]string{"lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "eq": "=", "neq": "<>"}[op]
	if sqlOp == "" {
		return errs.BadRequestf("Invalid password_expires_at operator %q.", op)
	}
	q.Where("p.expires_at "+sqlOp+" ?", t.UnixMicro())
	return nil
}

func indexColon(s string) int {
	for i := range len(s) {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}

// parseKeystoneTime reads the ISO 8601 forms clients send.
func parseKeystoneTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999Z", "2006-01-02T15:04:05.999999", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errs.BadRequestf("Invalid time %q.", s)
}

func (s *Service) updateUserHandler(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	extra, err := decodeEntity(r, "user", &in)
	if err != nil {
		return err
	}
	var u *user
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if u, err = getUser(tx, r.PathValue("user_id")); err != nil {
			return err
		}
		if err := s.enforce(r, "identity:update_user", userTarget(u)); err != nil {
			return err
		}
		return s.applyUserUpdate(tx, u, &in, extra)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"user": s.userView(r, u)})
}

func (s *Service) applyUserUpdate(tx *db.Tx, u *user, in *userInput, extra map[string]any) error {
	if in.DomainID != nil && *in.DomainID != u.DomainID {
		return errs.BadRequestf("Cannot change Domain ID")
	}
	if in.ID != nil && *in.ID != u.ID {
		return errs.BadRequestf("Cannot change user ID")
	}
	wasEnabled := u.Enabled
	if in.Name != nil {
		if err := checkName("name", in.Name, 255); err != nil {
			return err
		}
		u.Name = *in.Name
	}
	if in.Enabled != nil {
		u.Enabled = *in.Enabled
	}
	if in.DefaultProjectID != nil {
		if err := checkDefaultProject(tx, *in.DefaultProjectID); err != nil {
			return err
		}
		u.DefaultProjectID = *in.DefaultProjectID
	}
	if in.Description != nil {
		u.Description = in.Description
	}
	merged, err := applyOptions("user", mergeExtra(u.Extra, extra), in.Options)
	if err != nil {
		return err
	}
	u.Extra = merged
	if err := updateUserRow(tx, u); err != nil {
		return err
	}
	if in.Password != nil {
		if err := s.setPassword(tx, u, *in.Password, false); err != nil {
			return err
		}
	}
	if wasEnabled && !u.Enabled {
		if err := deleteAppCredsOfUser(tx, u.ID); err != nil {
			return err
		}
	}
	if (wasEnabled && !u.Enabled) || in.Password != nil {
		return s.revoke(tx, revocation{UserID: u.ID})
	}
	return nil
}

func (s *Service) deleteUserHandler(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		u, err := getUser(tx, r.PathValue("user_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "identity:delete_user", userTarget(u)); err != nil {
			return err
		}
		return s.deleteUserRow(tx, u.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteUserRow removes a user with everything that belongs to it and
// revokes its tokens.
func (s *Service) deleteUserRow(tx *db.Tx, id string) error {
	if err := deleteAppCredsOfUser(tx, id); err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM identity_assignments WHERE actor_id = ? AND type IN ('UserProject', 'UserDomain', 'UserSystem')",
		"DELETE FROM identity_credentials WHERE user_id = ?",
		"DELETE FROM identity_trusts WHERE trustor_user_id = ? OR trustee_user_id = ?",
		"DELETE FROM identity_group_members WHERE user_id = ?",
		"DELETE FROM identity_passwords WHERE user_id = ?",
		"DELETE FROM identity_users WHERE id = ?",
	} {
		args := []any{id}
		if n := countMarks(q); n == 2 {
			args = append(args, id)
		}
		if _, err := tx.Exec(q, args...); err != nil {
			return err
		}
	}
	return s.revoke(tx, revocation{UserID: id})
}

func countMarks(q string) int {
	n := 0
	for i := range len(q) {
		if q[i] == '?' {
			n++
		}
	}
	return n
}

// changePassword is the self-service POST /v3/users/{id}/password: it
// needs no token (an expired password must still be changeable), only the
// original password.
func (s *Service) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password         *string `json:"password"`
		OriginalPassword *string `json:"original_password"`
	}
	if _, err := decodeEntity(r, "user", &in); err != nil {
		return err
	}
	if in.Password == nil || in.OriginalPassword == nil {
		return errs.BadRequestf("Invalid input for field 'user': 'password' and 'original_password' are required properties.")
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		u, err := getUser(tx, r.PathValue("user_id"))
		if err != nil {
			return err
		}
		if err := s.checkSelfServicePassword(tx, u, *in.OriginalPassword); err != nil {
			return err
		}
		if err := s.setPassword(tx, u, *in.Password, true); err != nil {
			return err
		}
		return s.revoke(tx, revocation{UserID: u.ID})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkSelfServicePassword verifies the original password of a
// self-service change; a locked password may not be changed by its user.
func (s *Service) checkSelfServicePassword(tx *db.Tx, u *user, original string) error {
	if optionsOf(u.Extra)["lock_password"] == true {
		return errs.Forbiddenf("You cannot change your password at this time due to password policy disallowing password changes. Please contact your administrator to reset your password.")
	}
	recent, err := recentPasswords(tx, u.ID, 1)
	if err != nil {
		return err
	}
	if len(recent) == 0 || !checkPassword(recent[0].Hash, original) {
		return errs.Unauthorizedf("The request you have made requires authentication.")
	}
	return nil
}
