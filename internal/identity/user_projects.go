package identity

import (
	"net/http"
	"slices"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
)

// projectsWithRoles lists the projects (or, with domains, the domains) on
// which the user has any effective role, sorted by id.
func projectsWithRoles(tx *db.Tx, userID string, domains bool) ([]*project, error) {
	groups, err := userGroupIDs(tx, userID)
	if err != nil {
		return nil, err
	}
	actors := append([]string{userID}, groups...)
	args := make([]any, len(actors))
	for i, a := range actors {
		args[i] = a
	}
	in := db.Placeholders(len(actors))
	if domains {
		return queryProjects(tx, db.NewQuery("SELECT "+projectSelect+" FROM identity_projects").
			Where("is_domain = ?", true).
			Where("id IN (SELECT target_id FROM identity_assignments WHERE actor_id IN ("+in+") AND inherited = ? AND type IN (?, ?))",
				append(args, false, userDomain, groupDomain)...).OrderBy("id"))
	}
	direct, err := tx.Strings("SELECT DISTINCT target_id FROM identity_assignments WHERE actor_id IN ("+in+") AND inherited = ? AND type IN (?, ?)",
		append(slices.Clone(args), false, userProject, groupProject)...)
	if err != nil {
		return nil, err
	}
	inheritedFrom, err := tx.Strings("SELECT DISTINCT target_id FROM identity_assignments WHERE actor_id IN ("+in+") AND inherited = ? AND type IN (?, ?, ?, ?)",
		append(slices.Clone(args), true, userProject, groupProject, userDomain, groupDomain)...)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, id := range direct {
		ids[id] = true
	}
	for _, root := range inheritedFrom {
		tree, err := subtree(tx, root)
		if err != nil {
			return nil, err
		}
		for _, p := range tree {
			ids[p.ID] = true
		}
	}
	return projectsByIDs(tx, ids)
}

func projectsByIDs(tx *db.Tx, ids map[string]bool) ([]*project, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(ids))
	for id := range ids {
		args = append(args, id)
	}
	return queryProjects(tx, db.NewQuery("SELECT "+projectSelect+" FROM identity_projects").
		Where("is_domain = ?", false).Where("id IN ("+db.Placeholders(len(args))+")", args...).OrderBy("id"))
}

// listUserProjects is GET /v3/users/{user_id}/projects.
func (s *Service) listUserProjects(w http.ResponseWriter, r *http.Request) error {
	var u *user
	var list []*project
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if u, err = getUser(tx, r.PathValue("user_id")); err != nil {
			return err
		}
		if err = s.enforce(r, "identity:list_user_projects", userTarget(u)); err != nil {
			return err
		}
		list, err = projectsWithRoles(tx, u.ID, false)
		return err
	})
	if err != nil {
		if perr := s.enforce(r, "identity:list_user_projects", map[string]any{"user_id": r.PathValue("user_id")}); perr != nil {
			return perr
		}
		return err
	}
	q := r.URL.Query()
	out := make([]api.Project, 0, len(list))
	for _, p := range list {
		if v, ok := q["enabled"]; ok && p.Enabled != httpxBool(v[0]) {
			continue
		}
		if v := q.Get("name"); v != "" && p.Name != v {
			continue
		}
		if v := q.Get("domain_id"); v != "" && p.DomainID != v {
			continue
		}
		out = append(out, s.projectView(r, p))
	}
	return s.writeCollection(w, r, "projects", out, "", false)
}
