package identity

import (
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// grantSite says where a grant route points: a user or group actor on a
// project, a domain or the system, inherited to the subtree or not.
type grantSite struct {
	actor     string // "user" or "group"
	target    string // "project", "domain" or "system"
	inherited bool
}

func (g grantSite) assignmentType() string {
	t := map[string]string{"project": "Project", "domain": "Domain", "system": "System"}[g.target]
	if g.actor == "user" {
		return "User" + t
	}
	return "Group" + t
}

// rule names the upstream policy rule of a grant action.
func (g grantSite) rule(action string) string {
	grant := "_grant"
	if action == "list" {
		grant = "_grants"
	}
	if g.target == "system" {
		return "identity:" + action + "_system" + grant + "_for_" + g.actor
	}
	return "identity:" + action + grant
}

// resolved is what a grant route's path names, loaded and checked.
type resolved struct {
	actorID, targetID string
	actorDomain       string
	targetDomain      string
	target            map[string]any
}

// resolve loads the actor, the target and (if named) the role of a grant
// route, and builds the policy target from the stored objects.
func (s *Service) resolveGrant(tx *db.Tx, r *http.Request, g grantSite) (*resolved, *role, error) {
	res := &resolved{target: map[string]any{}}
	inner := map[string]any{}
	if g.actor == "user" {
		u, err := getUser(tx, r.PathValue("user_id"))
		if err != nil {
			return nil, nil, err
		}
		res.actorID, res.actorDomain = u.ID, u.DomainID
		inner["user"] = userTarget(u)["target"].(map[string]any)["user"]
		res.target["user_id"] = u.ID
	} else {
		gr, err := getGroup(tx, r.PathValue("group_id"))
		if err != nil {
			return nil, nil, err
		}
		res.actorID, res.actorDomain = gr.ID, gr.DomainID
		inner["group"] = groupTarget(gr)["target"].(map[string]any)["group"]
		res.target["group_id"] = gr.ID
	}
	switch g.target {
	case "project":
		p, err := getProject(tx, r.PathValue("project_id"))
		if err != nil || p.IsDomain {
			return nil, nil, errs.NotFoundf("Could not find project: %s.", r.PathValue("project_id"))
		}
		res.targetID, res.targetDomain = p.ID, p.DomainID
		inner["project"] = projectTarget(p)
		res.target["project_id"] = p.ID
	case "domain":
		d, err := getDomain(tx, r.PathValue("domain_id"))
		if err != nil {
			return nil, nil, err
		}
		res.targetID, res.targetDomain = d.ID, d.ID
		inner["domain"] = projectTarget(d)
		res.target["domain_id"] = d.ID
	case "system":
		res.targetID = systemTarget
	}
	var ro *role
	if id := r.PathValue("role_id"); id != "" {
		var err error
		if ro, err = getRole(tx, id); err != nil {
			return nil, nil, err
		}
		inner["role"] = roleTarget(ro)["target"].(map[string]any)["role"]
		res.target["role_id"] = ro.ID
	}
	res.target["target"] = inner
	return res, ro, nil
}

func assignmentNotFound(roleID, actorID, targetID string) error {
	return errs.NotFoundf("Could not find role assignment with role: %s, user or group: %s, project, domain, or system: %s.", roleID, actorID, targetID)
}

// createGrant is PUT .../roles/{role_id}.
func (s *Service) createGrant(g grantSite) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := s.db.Write(r.Context(), func(tx *db.Tx) error {
			res, ro, err := s.resolveGrant(tx, r, g)
			if err != nil {
				return err
			}
			if err := s.enforce(r, g.rule("create"), res.target); err != nil {
				return err
			}
			if ro.DomainID != "" && g.target != "system" && ro.DomainID != res.targetDomain {
				return errs.Forbiddenf("%s %s must be in the same domain as the role %s being assigned.", capitalize(g.target), res.targetID, ro.ID)
			}
			_, err = tx.Exec(`INSERT INTO identity_assignments (type, actor_id, target_id, role_id, inherited) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, g.assignmentType(), res.actorID, res.targetID, ro.ID, g.inherited)
			return err
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// checkGrant is HEAD and GET .../roles/{role_id}.
func (s *Service) checkGrant(g grantSite) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := s.db.Read(r.Context(), func(tx *db.Tx) error {
			res, ro, err := s.resolveGrant(tx, r, g)
			if err != nil {
				return err
			}
			if err := s.enforce(r, g.rule("check"), res.target); err != nil {
				return err
			}
			ok, err := tx.Exists("SELECT 1 FROM identity_assignments WHERE type = ? AND actor_id = ? AND target_id = ? AND role_id = ? AND inherited = ?",
				g.assignmentType(), res.actorID, res.targetID, ro.ID, g.inherited)
			if err == nil && !ok {
				return assignmentNotFound(ro.ID, res.actorID, res.targetID)
			}
			return err
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// revokeGrant is DELETE .../roles/{role_id}.
func (s *Service) revokeGrant(g grantSite) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := s.db.Write(r.Context(), func(tx *db.Tx) error {
			res, ro, err := s.resolveGrant(tx, r, g)
			if err != nil {
				return err
			}
			if err := s.enforce(r, g.rule("revoke"), res.target); err != nil {
				return err
			}
			n, err := tx.ExecAffected("DELETE FROM identity_assignments WHERE type = ? AND actor_id = ? AND target_id = ? AND role_id = ? AND inherited = ?",
				g.assignmentType(), res.actorID, res.targetID, ro.ID, g.inherited)
			if err == nil && n == 0 {
				return assignmentNotFound(ro.ID, res.actorID, res.targetID)
			}
			if err != nil || g.assignmentType() != "UserProject" {
				return err
			}
			return deleteAppCredsOnProject(tx, res.actorID, res.targetID)
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// listGrants is GET .../roles: the roles granted at exactly this site.
func (s *Service) listGrants(g grantSite) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var roles []*role
		err := s.db.Read(r.Context(), func(tx *db.Tx) error {
			res, _, err := s.resolveGrant(tx, r, g)
			if err != nil {
				return err
			}
			if err := s.enforce(r, g.rule("list"), res.target); err != nil {
				return err
			}
			ids, err := tx.Strings("SELECT role_id FROM identity_assignments WHERE type = ? AND actor_id = ? AND target_id = ? AND inherited = ? ORDER BY role_id",
				g.assignmentType(), res.actorID, res.targetID, g.inherited)
			if err != nil {
				return err
			}
			roles, err = rolesByID(tx, ids)
			return err
		})
		if err != nil {
			return err
		}
		out := make([]api.Role, len(roles))
		for i, ro := range roles {
			out[i] = s.roleView(r, ro)
		}
		return s.writeCollection(w, r, "roles", out, "", false)
	}
}

// grantRoutes registers every grant route.
func (s *Service) grantRoutes(rt *httpx.Router) {
	sites := []struct {
		prefix string
		site   grantSite
	}{
		{"/v3/projects/{project_id}/users/{user_id}/roles", grantSite{"user", "project", false}},
		{"/v3/projects/{project_id}/groups/{group_id}/roles", grantSite{"group", "project", false}},
		{"/v3/domains/{domain_id}/users/{user_id}/roles", grantSite{"user", "domain", false}},
		{"/v3/domains/{domain_id}/groups/{group_id}/roles", grantSite{"group", "domain", false}},
		{"/v3/system/users/{user_id}/roles", grantSite{"user", "system", false}},
		{"/v3/system/groups/{group_id}/roles", grantSite{"group", "system", false}},
	}
	for _, x := range sites {
		one := x.prefix + "/{role_id}"
		rt.Handle("PUT", one, s.createGrant(x.site))
		rt.Handle("HEAD", one, s.checkGrant(x.site))
		rt.Handle("GET", one, s.checkGrant(x.site))
		rt.Handle("DELETE", one, s.revokeGrant(x.site))
		rt.Handle("GET", x.prefix, s.listGrants(x.site))
	}
	inherited := []struct {
		prefix string
		site   grantSite
		list   bool
	}{
		{"/v3/OS-INHERIT/domains/{domain_id}/users/{user_id}/roles", grantSite{"user", "domain", true}, true},
		{"/v3/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles", grantSite{"group", "domain", true}, true},
		{"/v3/OS-INHERIT/projects/{project_id}/users/{user_id}/roles", grantSite{"user", "project", true}, false},
		{"/v3/OS-INHERIT/projects/{project_id}/groups/{group_id}/roles", grantSite{"group", "project", true}, false},
	}
	for _, x := range inherited {
		one := x.prefix + "/{role_id}/inherited_to_projects"
		rt.Handle("PUT", one, s.createGrant(x.site))
		rt.Handle("HEAD", one, s.checkGrant(x.site))
		rt.Handle("GET", one, s.checkGrant(x.site))
		rt.Handle("DELETE", one, s.revokeGrant(x.site))
		if x.list {
			rt.Handle("GET", x.prefix+"/inherited_to_projects", s.listGrants(x.site))
		}
	}
}
