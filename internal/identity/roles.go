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

// nullDomainID is the domain_id stored for global roles, as upstream.
const nullDomainID = "<<null>>"

// role is a row of identity_roles.
type role struct {
	ID          string
	Name        string
	DomainID    string // "" for a global role
	Description *string
	Extra       map[string]any
}

type roleInput struct {
	Name        *string         `json:"name"`
	DomainID    *string         `json:"domain_id"`
	Description *string         `json:"description"`
	Options     *map[string]any `json:"options"`
	ID          *string         `json:"id"`
}

const roleColumns = "id, name, domain_id, description, extra"

func scanRole(sc interface{ Scan(...any) error }) (*role, error) {
	var ro role
	var desc sql.NullString
	var extra string
	if err := sc.Scan(&ro.ID, &ro.Name, &ro.DomainID, &desc, &extra); err != nil {
		return nil, err
	}
	if ro.DomainID == nullDomainID {
		ro.DomainID = ""
	}
	if desc.Valid {
		ro.Description = &desc.String
	}
	ro.Extra = unmarshalExtra(extra)
	return &ro, nil
}

func getRole(tx *db.Tx, id string) (*role, error) {
	ro, err := scanRole(tx.QueryRow("SELECT "+roleColumns+" FROM identity_roles WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find role: %s.", id)
	}
	return ro, err
}

func queryRoles(tx *db.Tx, q *db.Query) ([]*role, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*role
	for rows.Next() {
		ro, err := scanRole(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ro)
	}
	return out, rows.Err()
}

func deleteRoleRow(tx *db.Tx, id string) error {
	if err := deleteAppCredsForRole(tx, id); err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM identity_assignments WHERE role_id = ?",
		"DELETE FROM identity_implied_roles WHERE prior_role_id = ? OR implied_role_id = ?",
		"DELETE FROM identity_app_cred_roles WHERE role_id = ?",
		"DELETE FROM identity_trust_roles WHERE role_id = ?",
		"DELETE FROM identity_roles WHERE id = ?",
	} {
		args := []any{id}
		if countMarks(q) == 2 {
			args = append(args, id)
		}
		if _, err := tx.Exec(q, args...); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) roleView(r *http.Request, ro *role) api.Role {
	v := api.Role{ID: ro.ID, Name: ro.Name, Description: ro.Description, Options: optionsOf(ro.Extra),
		Extra: withoutOptions(ro.Extra), Links: api.Links{Self: s.selfLink(r, "/v3/roles/"+ro.ID)}}
	if ro.DomainID != "" {
		d := ro.DomainID
		v.DomainID = &d
	}
	return v
}

// roleRule picks the rule for a role action: domain-specific roles have
// their own rules upstream.
func roleRule(action string, domainSpecific bool) string {
	suffix := "_role"
	if domainSpecific {
		suffix = "_domain_role"
	}
	if action == "list" {
		suffix += "s"
	}
	return "identity:" + action + suffix
}

func roleTarget(ro *role) map[string]any {
	var dom any
	if ro.DomainID != "" {
		dom = ro.DomainID
	}
	return map[string]any{"role_id": ro.ID, "target": map[string]any{"role": map[string]any{
		"id": ro.ID, "name": ro.Name, "domain_id": dom}}}
}

func (s *Service) createRole(w http.ResponseWriter, r *http.Request) error {
	var in roleInput
	extra, err := decodeEntity(r, "role", &in)
	if err != nil {
		if perr := s.enforce(r, "identity:create_role", nil); perr != nil {
			return perr
		}
		return err
	}
	domainID := stringOr(in.DomainID, "")
	rule := roleRule("create", domainID != "")
	if err := s.enforce(r, rule, map[string]any{"target": map[string]any{"role": map[string]any{"domain_id": domainID}}}); err != nil {
		return err
	}
	if err := checkName("name", in.Name, 255); err != nil {
		return err
	}
	if extra, err = applyOptions("role", extra, in.Options); err != nil {
		return err
	}
	ro := &role{ID: s.newID(), Name: *in.Name, DomainID: domainID, Description: in.Description, Extra: extra}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if domainID != "" {
			if _, err := getDomain(tx, domainID); err != nil {
				return errs.BadRequestf("%s", errs.As(err).Message)
			}
		}
		return insertRole(tx, ro)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"role": s.roleView(r, ro)})
}

func insertRole(tx *db.Tx, ro *role) error {
	dom := ro.DomainID
	if dom == "" {
		dom = nullDomainID
	}
	_, err := tx.Exec("INSERT INTO identity_roles ("+roleColumns+") VALUES (?, ?, ?, ?, ?)",
		ro.ID, ro.Name, dom, ro.Description, marshalExtra(ro.Extra))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Conflict occurred attempting to store role - Duplicate entry found with name %s.", ro.Name)
	}
	return err
}

func (s *Service) getRoleHandler(w http.ResponseWriter, r *http.Request) error {
	var ro *role
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		ro, err = getRole(tx, r.PathValue("role_id"))
		return err
	})
	if err != nil {
		if perr := s.enforce(r, "identity:get_role", map[string]any{"role_id": r.PathValue("role_id")}); perr != nil {
			return perr
		}
		return err
	}
	if err := s.enforce(r, roleRule("get", ro.DomainID != ""), roleTarget(ro)); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"role": s.roleView(r, ro)})
}

func (s *Service) listRoles(w http.ResponseWriter, r *http.Request) error {
	query := r.URL.Query()
	domainID := query.Get("domain_id")
	if err := s.enforce(r, roleRule("list", domainID != ""), map[string]any{"domain_id": domainID,
		"target": map[string]any{"domain_id": domainID}}); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + roleColumns + " FROM identity_roles")
	if domainID != "" {
		q.Where("domain_id = ?", domainID)
	} else {
		q.Where("domain_id = ?", nullDomainID)
	}
	for _, f := range httpx.ParseFilters(query, []string{"name"}, []string{"name"}) {
		q.Match("name", string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*role
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryRoles(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(ro *role) string { return ro.ID })
	out := make([]api.Role, len(list))
	for i, ro := range list {
		out[i] = s.roleView(r, ro)
	}
	return s.writeCollection(w, r, "roles", out, next, truncated)
}

func (s *Service) updateRoleHandler(w http.ResponseWriter, r *http.Request) error {
	var in roleInput
	extra, err := decodeEntity(r, "role", &in)
	if err != nil {
		return err
	}
	var ro *role
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if ro, err = getRole(tx, r.PathValue("role_id")); err != nil {
			return err
		}
		if err := s.enforce(r, roleRule("update", ro.DomainID != ""), roleTarget(ro)); err != nil {
			return err
		}
		if err := checkImmutable("role", ro.ID, ro.Extra, in.Options); err != nil {
			return err
		}
		if in.DomainID != nil && *in.DomainID != ro.DomainID {
			return errs.BadRequestf("Cannot change Domain ID")
		}
		if in.Name != nil {
			if err := checkName("name", in.Name, 255); err != nil {
				return err
			}
			ro.Name = *in.Name
		}
		if in.Description != nil {
			ro.Description = in.Description
		}
		merged, err := applyOptions("role", mergeExtra(ro.Extra, extra), in.Options)
		if err != nil {
			return err
		}
		ro.Extra = merged
		_, err = tx.Exec("UPDATE identity_roles SET name = ?, description = ?, extra = ? WHERE id = ?",
			ro.Name, ro.Description, marshalExtra(ro.Extra), ro.ID)
		if errors.Is(err, db.ErrConflict) {
			return errs.Conflictf("Conflict occurred attempting to store role - Duplicate entry found with name %s.", ro.Name)
		}
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"role": s.roleView(r, ro)})
}

func (s *Service) deleteRoleHandler(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ro, err := getRole(tx, r.PathValue("role_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, roleRule("delete", ro.DomainID != ""), roleTarget(ro)); err != nil {
			return err
		}
		if isImmutable(ro.Extra) {
			return errs.Forbiddenf("Unable to delete immutable role resource: `%s`. Set resource option \"immutable\" to false first.", ro.ID)
		}
		return deleteRoleRow(tx, ro.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
