package identity

import (
	"database/sql"
	"errors"
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// group is a row of identity_groups.
type group struct {
	ID          string
	DomainID    string
	Name        string
	Description string
	Extra       map[string]any
}

type groupInput struct {
	Name        *string `json:"name"`
	DomainID    *string `json:"domain_id"`
	Description *string `json:"description"`
	ID          *string `json:"id"`
}

const groupColumns = "id, domain_id, name, description, extra"

func scanGroup(sc interface{ Scan(...any) error }) (*group, error) {
	var g group
	var extra string
	if err := sc.Scan(&g.ID, &g.DomainID, &g.Name, &g.Description, &extra); err != nil {
		return nil, err
	}
	g.Extra = unmarshalExtra(extra)
	return &g, nil
}

func getGroup(tx *db.Tx, id string) (*group, error) {
	g, err := scanGroup(tx.QueryRow("SELECT "+groupColumns+" FROM identity_groups WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find group: %s.", id)
	}
	return g, err
}

func queryGroups(tx *db.Tx, q *db.Query) ([]*group, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func deleteGroupRow(tx *db.Tx, id string) error {
	for _, q := range []string{
		"DELETE FROM identity_assignments WHERE actor_id = ? AND type IN ('GroupProject', 'GroupDomain', 'GroupSystem')",
		"DELETE FROM identity_group_members WHERE group_id = ?",
		"DELETE FROM identity_groups WHERE id = ?",
	} {
		if _, err := tx.Exec(q, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) groupView(r *http.Request, g *group) api.Group {
	return api.Group{ID: g.ID, Name: g.Name, DomainID: g.DomainID, Description: g.Description, Extra: g.Extra,
		Links: api.Links{Self: s.selfLink(r, "/v3/groups/"+g.ID)}}
}

func groupTarget(g *group) map[string]any {
	return map[string]any{"group_id": g.ID, "target": map[string]any{"group": map[string]any{
		"id": g.ID, "name": g.Name, "domain_id": g.DomainID}}}
}

func (s *Service) createGroup(w http.ResponseWriter, r *http.Request) error {
	var in groupInput
	extra, err := decodeEntity(r, "group", &in)
	if err != nil {
		if perr := s.enforce(r, "identity:create_group", nil); perr != nil {
			return perr
		}
		return err
	}
	domainID := stringOr(in.DomainID, "")
	if domainID == "" {
		domainID = s.callerDomainOrDefault(r)
	}
	if err := s.enforce(r, "identity:create_group", map[string]any{"target": map[string]any{"group": map[string]any{"domain_id": domainID}}}); err != nil {
		return err
	}
	if err := checkName("name", in.Name, 64); err != nil {
		return err
	}
	g := &group{ID: s.newID(), DomainID: domainID, Name: *in.Name, Description: stringOr(in.Description, ""), Extra: extra}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getDomain(tx, domainID); err != nil {
			return err // a 404, as for users
		}
		_, err := tx.Exec("INSERT INTO identity_groups ("+groupColumns+") VALUES (?, ?, ?, ?, ?)",
			g.ID, g.DomainID, g.Name, g.Description, marshalExtra(g.Extra))
		if errors.Is(err, db.ErrConflict) {
			return errs.Conflictf("Conflict occurred attempting to store group - Duplicate entry found with name %s at domain ID %s.", g.Name, g.DomainID)
		}
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"group": s.groupView(r, g)})
}

func (s *Service) getGroupHandler(w http.ResponseWriter, r *http.Request) error {
	var g *group
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		g, err = getGroup(tx, r.PathValue("group_id"))
		return err
	})
	if err != nil {
		if perr := s.enforce(r, "identity:get_group", map[string]any{"group_id": r.PathValue("group_id")}); perr != nil {
			return perr
		}
		return err
	}
	if err := s.enforce(r, "identity:get_group", groupTarget(g)); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"group": s.groupView(r, g)})
}

func (s *Service) listGroups(w http.ResponseWriter, r *http.Request) error {
	query := r.URL.Query()
	domainID := query.Get("domain_id")
	if t := caller(r); domainID == "" && t != nil && t.Domain != nil {
		domainID = t.Domain.ID
	}
	if err := s.enforce(r, "identity:list_groups", map[string]any{"domain_id": domainID,
		"target": map[string]any{"domain_id": domainID}}); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + groupColumns + " FROM identity_groups")
	if domainID != "" {
		q.Where("domain_id = ?", domainID)
	}
	for _, f := range httpx.ParseFilters(query, []string{"name"}, []string{"name"}) {
		q.Match("name", string(f.Op), f.Value)
	}
	return s.writeGroups(w, r, q, "groups")
}

func (s *Service) writeGroups(w http.ResponseWriter, r *http.Request, q *db.Query, name string) error {
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*group
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryGroups(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(g *group) string { return g.ID })
	out := make([]api.Group, len(list))
	for i, g := range list {
		out[i] = s.groupView(r, g)
	}
	return s.writeCollection(w, r, name, out, next, truncated)
}

func (s *Service) updateGroupHandler(w http.ResponseWriter, r *http.Request) error {
	var in groupInput
	extra, err := decodeEntity(r, "group", &in)
	if err != nil {
		return err
	}
	var g *group
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if g, err = getGroup(tx, r.PathValue("group_id")); err != nil {
			return err
		}
		if err := s.enforce(r, "identity:update_group", groupTarget(g)); err != nil {
			return err
		}
		if in.DomainID != nil && *in.DomainID != g.DomainID {
			return errs.BadRequestf("Cannot change Domain ID")
		}
		if in.Name != nil {
			if err := checkName("name", in.Name, 64); err != nil {
				return err
			}
			g.Name = *in.Name
		}
		if in.Description != nil {
			g.Description = *in.Description
		}
		g.Extra = mergeExtra(g.Extra, extra)
		_, err := tx.Exec("UPDATE identity_groups SET name = ?, description = ?, extra = ? WHERE id = ?",
			g.Name, g.Description, marshalExtra(g.Extra), g.ID)
		if errors.Is(err, db.ErrConflict) {
			return errs.Conflictf("Conflict occurred attempting to store group - Duplicate entry found with name %s at domain ID %s.", g.Name, g.DomainID)
		}
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"group": s.groupView(r, g)})
}

func (s *Service) deleteGroupHandler(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		g, err := getGroup(tx, r.PathValue("group_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "identity:delete_group", groupTarget(g)); err != nil {
			return err
		}
		return deleteGroupRow(tx, g.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// withUserAndGroup loads the path's user and group and checks rule.
func (s *Service) withUserAndGroup(r *http.Request, rule string, write bool, fn func(tx *db.Tx, u *user, g *group) error) error {
	run := s.db.Read
	if write {
		run = s.db.Write
	}
	return run(r.Context(), func(tx *db.Tx) error {
		g, err := getGroup(tx, r.PathValue("group_id"))
		if err != nil {
			return err
		}
		u, err := getUser(tx, r.PathValue("user_id"))
		if err != nil {
			return err
		}
		target := map[string]any{"group_id": g.ID, "user_id": u.ID, "target": map[string]any{
			"group": groupTarget(g)["target"].(map[string]any)["group"],
			"user":  userTarget(u)["target"].(map[string]any)["user"]}}
		if err := s.enforce(r, rule, target); err != nil {
			return err
		}
		return fn(tx, u, g)
	})
}

func (s *Service) addUserToGroup(w http.ResponseWriter, r *http.Request) error {
	err := s.withUserAndGroup(r, "identity:add_user_to_group", true, func(tx *db.Tx, u *user, g *group) error {
		_, err := tx.Exec("INSERT INTO identity_group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", g.ID, u.ID)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) checkUserInGroup(w http.ResponseWriter, r *http.Request) error {
	err := s.withUserAndGroup(r, "identity:check_user_in_group", false, func(tx *db.Tx, u *user, g *group) error {
		ok, err := tx.Exists("SELECT 1 FROM identity_group_members WHERE group_id = ? AND user_id = ?", g.ID, u.ID)
		if err == nil && !ok {
			return errs.NotFoundf("%s is not a member of group %s.", u.ID, g.ID)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) removeUserFromGroup(w http.ResponseWriter, r *http.Request) error {
	err := s.withUserAndGroup(r, "identity:remove_user_from_group", true, func(tx *db.Tx, u *user, g *group) error {
		n, err := tx.ExecAffected("DELETE FROM identity_group_members WHERE group_id = ? AND user_id = ?", g.ID, u.ID)
		if err == nil && n == 0 {
			return errs.NotFoundf("%s is not a member of group %s.", u.ID, g.ID)
		}
		if err != nil {
			return err
		}
		// As upstream, leaving a group revokes the user's tokens.
		return s.revoke(tx, revocation{UserID: u.ID})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) listUsersInGroup(w http.ResponseWriter, r *http.Request) error {
	var g *group
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		g, err = getGroup(tx, r.PathValue("group_id"))
		return err
	})
	if err != nil {
		return err
	}
	if err := s.enforce(r, "identity:list_users_in_group", groupTarget(g)); err != nil {
		return err
	}
	q := db.NewQuery("SELECT "+userColumns+userFrom).
		Where("u.id IN (SELECT user_id FROM identity_group_members WHERE group_id = ?)", g.ID)
	if v, ok := r.URL.Query()["password_expires_at"]; ok {
		if err := passwordExpiryFilter(q, v[0]); err != nil {
			return err
		}
	}
	var list []*user
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryUsers(tx, q.OrderBy("u.id"))
		return err
	})
	if err != nil {
		return err
	}
	out := make([]api.User, len(list))
	for i, u := range list {
		out[i] = s.userView(r, u)
	}
	return s.writeCollection(w, r, "users", out, "", false)
}

func (s *Service) listGroupsForUser(w http.ResponseWriter, r *http.Request) error {
	var u *user
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		u, err = getUser(tx, r.PathValue("user_id"))
		return err
	})
	if err != nil {
		return err
	}
	if err := s.enforce(r, "identity:list_groups_for_user", userTarget(u)); err != nil {
		return err
	}
	q := db.NewQuery("SELECT "+groupColumns+" FROM identity_groups").
		Where("id IN (SELECT group_id FROM identity_group_members WHERE user_id = ?)", u.ID)
	return s.writeGroups(w, r, q, "groups")
}
