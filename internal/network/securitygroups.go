package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// addSecurityRoutes adds the security group, rule and address group routes.
func (s *Service) addSecurityRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/security-groups", s.listSecurityGroups)
	rt.Handle("POST", "/v2.0/security-groups", s.createSecurityGroups)
	rt.Handle("GET", "/v2.0/security-groups/{sg_id}", s.showSecurityGroup)
	rt.Handle("PUT", "/v2.0/security-groups/{sg_id}", s.updateSecurityGroup)
	rt.Handle("DELETE", "/v2.0/security-groups/{sg_id}", s.deleteSecurityGroup)

	rt.Handle("GET", "/v2.0/security-group-rules", s.listRules)
	rt.Handle("POST", "/v2.0/security-group-rules", s.createRules)
	rt.Handle("GET", "/v2.0/security-group-rules/{rule_id}", s.showRule)
	rt.Handle("DELETE", "/v2.0/security-group-rules/{rule_id}", s.deleteRuleHandler)

	s.addAddressGroupRoutes(rt)
}

// securityGroupDict is a group as the API shows it, with its rules.
func securityGroupDict(g *securityGroup) map[string]any {
	rules := make([]map[string]any, len(g.Rules))
	for i := range g.Rules {
		rules[i] = ruleDict(&g.Rules[i])
	}
	m := map[string]any{"id": g.ID, "name": g.Name, "stateful": g.Stateful, "tenant_id": g.ProjectID,
		"project_id": g.ProjectID, "shared": false, "security_group_rules": rules}
	g.Std.put(m)
	return m
}

// ensureDefaultOnList makes the default group of the project a list is
// about (its project_id/tenant_id filter, else the caller's) on first use;
// only an admin does it for another project.
func (s *Service) ensureDefaultOnList(r *http.Request) error {
	caller := projectOf(r)
	if caller == "" {
		return nil
	}
	project := caller
	q := r.URL.Query()
	for _, k := range []string{"project_id", "tenant_id"} {
		if v := q[k]; len(v) > 0 && v[0] != "" {
			project = v[0]
			break
		}
	}
	if project != caller && !s.isAdmin(r) {
		return nil
	}
	return s.ensureDefault(r, project)
}

// ensureDefault makes the project's default group if it has none, reading
// first so that the common case takes no write lock.
func (s *Service) ensureDefault(r *http.Request, project string) error {
	var id string
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		id, err = defaultGroupID(tx, project)
		return err
	}); err != nil || id != "" {
		return err
	}
	return s.db.Write(r.Context(), func(tx *db.Tx) error {
		_, err := s.ensureDefaultSecurityGroup(tx, project)
		return err
	})
}

func (s *Service) listSecurityGroups(w http.ResponseWriter, r *http.Request) error {
	if err := s.ensureDefaultOnList(r); err != nil {
		return err
	}
	return listVisible(s, w, r, securityGroupResource, "get_security_group", func(tx *db.Tx, scope string) ([]*securityGroup, error) {
		return querySecurityGroups(tx, scope, "1 = 1")
	}, securityGroupDict, nil)
}

func (s *Service) showSecurityGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("sg_id")
	return showOne(s, w, r, securityGroupResource,
		func(tx *db.Tx) (*securityGroup, error) { return getSecurityGroup(tx, id, s.scope(r)) },
		func(g *securityGroup) (map[string]any, bool) {
			m := securityGroupDict(g)
			ok, _ := s.allowed(r, "get_security_group", m, nil)
			return m, ok
		}, neutronerr.SecurityGroupNotFound(id))
}

func (s *Service) createSecurityGroups(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, securityGroupResource,
		func(tx *db.Tx, item map[string]any) (*securityGroup, []*ml2.Change, error) {
			g, err := s.insertSecurityGroupItem(r, tx, item)
			return g, nil, err
		}, nil, securityGroupDict)
}

// insertSecurityGroupItem creates one group with its egress rules, after
// the project's default group.
func (s *Service) insertSecurityGroupItem(r *http.Request, tx *db.Tx, item map[string]any) (*securityGroup, error) {
	if err := checkNameNotDefault([]map[string]any{item}); err != nil {
		return nil, err
	}
	if err := s.enforce(r, "create_security_group", item, securityGroupResource.PolicyAttrs(item, true)); err != nil {
		return nil, err
	}
	project, _ := item["project_id"].(string)
	if project == projectOf(r) || s.isAdmin(r) {
		if _, err := s.ensureDefaultSecurityGroup(tx, project); err != nil {
			return nil, err
		}
	}
	name, _ := item["name"].(string)
	description, _ := item["description"].(string)
	stateful, ok := item["stateful"].(bool)
	g := s.newSecurityGroup(project, name, description, stateful || !ok)
	if _, err := insertSecurityGroup(tx, g); err != nil {
		return nil, err
	}
	return g, s.insertInitialRules(tx, g)
}

// authorizedSecurityGroup reads a group for an update or delete and
// enforces action (with the attributes item sets).
func (s *Service) authorizedSecurityGroup(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*securityGroup, error) {
	g, err := getSecurityGroup(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := securityGroupDict(g)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforceVisible(r, action, target, securityGroupResource.PolicyAttrs(item, false), "get_security_group", securityGroupDict(g), neutronerr.SecurityGroupNotFound(id)); err != nil {
		return nil, err
	}
	return g, checkRevision(r, g.Std.Revision)
}

func (s *Service) updateSecurityGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("sg_id")
	items, _, err := s.decodeBody(r, securityGroupResource, false)
	if err == nil {
		err = checkNameNotDefault(items)
	}
	if err != nil {
		return err
	}
	item := items[0]
	var g *securityGroup
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if g, err = s.authorizedSecurityGroup(r, tx, id, "update_security_group", item); err != nil {
			return err
		}
		return s.applySecurityGroupUpdate(tx, g, item)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"security_group": securityGroupDict(g)})
}

// applySecurityGroupUpdate changes a group as an update body asks: the
// stateful flag only while no port uses it, never the default's name.
func (s *Service) applySecurityGroupUpdate(tx *db.Tx, g *securityGroup, item map[string]any) error {
	if stateful, ok := item["stateful"].(bool); ok && stateful != g.Stateful {
		used, err := securityGroupInUse(tx, g.ID)
		if err != nil {
			return err
		}
		if used {
			return neutronerr.SecurityGroupInUse(g.ID, "")
		}
		g.Stateful = stateful
	}
	if _, ok := item["name"]; ok && g.Name == "default" {
		return neutronerr.SecurityGroupCannotUpdateDefault()
	}
	if name, ok := item["name"].(string); ok {
		g.Name = name
	}
	if d, ok := item["description"].(string); ok {
		g.Std.Description = d
	}
	g.Std.UpdatedAt = micros(s.now())
	g.Std.Revision++
	return saveSecurityGroup(tx, g)
}

func (s *Service) deleteSecurityGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("sg_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		g, err := s.authorizedSecurityGroup(r, tx, id, "delete_security_group", nil)
		if err != nil {
			return err
		}
		used, err := securityGroupInUse(tx, id)
		if err != nil {
			return err
		}
		if used {
			return neutronerr.SecurityGroupInUse(id, "")
		}
		if g.Name == "default" && !s.isAdmin(r) {
			return neutronerr.SecurityGroupCannotRemoveDefault()
		}
		return removeSecurityGroup(tx, id)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readSecurityGroup is the tags API's read of a group the caller may see.
func (s *Service) readSecurityGroup(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	g, err := getSecurityGroup(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	m := securityGroupDict(g)
	if ok, _ := s.allowed(r, "get_security_group", m, nil); !ok {
		return nil, neutronerr.SecurityGroupNotFound(id)
	}
	return m, nil
}
