package identity

import (
	"net/http"
	"slices"
	"strings"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// maxProjectDepth is the deepest project hierarchy allowed (upstream's
// max_project_tree_depth default), domain not counted.
const maxProjectDepth = 5

func (s *Service) createProject(w http.ResponseWriter, r *http.Request) error {
	body, err := httpx.ReadBody(r)
	if err != nil {
		return err
	}
	var in projectInput
	extra, err := unmarshalEntity(body, "project", &in)
	if err != nil {
		if perr := s.enforce(r, "identity:create_project", nil); perr != nil {
			return perr
		}
		return err
	}
	target := map[string]any{"target": map[string]any{"project": map[string]any{
		"domain_id": stringOr(in.DomainID, ""), "parent_id": stringOr(in.ParentID, ""), "name": stringOr(in.Name, "")}}}
	if err := s.enforce(r, "identity:create_project", target); err != nil {
		return err
	}
	var p *project
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if boolOr(in.IsDomain, false) {
			if in.DomainID != nil || in.ParentID != nil {
				return errs.BadRequestf("A project acting as a domain cannot have a domain_id or parent_id.")
			}
			if p, err = s.newDomain(&in, extra); err != nil {
				return err
			}
			return insertProject(tx, p)
		}
		if p, err = s.newProject(tx, r, &in, extra); err != nil {
			return err
		}
		return insertProject(tx, p)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"project": s.projectView(r, p)})
}

// newProject validates a project create request against the hierarchy.
func (s *Service) newProject(tx *db.Tx, r *http.Request, in *projectInput, extra map[string]any) (*project, error) {
	if err := checkName("name", in.Name, 64); err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	if extra, err = applyOptions("project", extra, in.Options); err != nil {
		return nil, err
	}
	p := &project{ID: s.newID(), Name: trimName(*in.Name), Description: stringOr(in.Description, ""),
		Enabled: boolOr(in.Enabled, true), DomainID: stringOr(in.DomainID, ""), ParentID: stringOr(in.ParentID, ""),
		Extra: extra, Tags: tags}
	if p.DomainID == "" {
		p.DomainID = s.defaultDomainFor(tx, r, p.ParentID)
	}
	if _, err := getDomain(tx, p.DomainID); err != nil {
		return nil, errs.BadRequestf("%s", err.(*errs.Error).Message)
	}
	if p.ParentID == "" {
		p.ParentID = p.DomainID
	}
	return p, checkPlacement(tx, p)
}

// defaultDomainFor picks the domain of a project created without one: the
// parent's, else the caller's domain scope, else Default.
func (s *Service) defaultDomainFor(tx *db.Tx, r *http.Request, parentID string) string {
	if parentID != "" {
		if parent, err := findProjectRow(tx, parentID); err == nil && parent != nil {
			if parent.IsDomain {
				return parent.ID
			}
			return parent.DomainID
		}
	}
	if t := caller(r); t != nil && t.Domain != nil {
		return t.Domain.ID
	}
	return defaultDomainID
}

// checkPlacement enforces the hierarchy rules for a new project: the parent
// exists in the same domain, no disabled project above it, and the tree
// stays within maxProjectDepth.
func checkPlacement(tx *db.Tx, p *project) error {
	parent, err := findProjectRow(tx, p.ParentID)
	if err != nil {
		return err
	}
	if parent == nil {
		return errs.BadRequestf("Could not find project: %s.", p.ParentID)
	}
	if parent.IsDomain && parent.ID != p.DomainID {
		return errs.BadRequestf("Cannot create project, the parent (%s) is acting as a domain, but this project's domain id (%s) does not match the parent's id.", parent.ID, p.DomainID)
	}
	if !parent.IsDomain && parent.DomainID != p.DomainID {
		return errs.BadRequestf("Cannot create project, since it specifies its domain_id %s, but specifies a parent in a different domain (%s).", p.DomainID, parent.DomainID)
	}
	chain, err := ancestors(tx, parent)
	if err != nil {
		return err
	}
	chain = append([]*project{parent}, chain...)
	for _, a := range chain {
		if !a.Enabled && !a.IsDomain {
			return errs.BadRequestf("cannot create a project in a branch containing a disabled project: %s", a.ID)
		}
	}
	if len(chain) > maxProjectDepth {
		return errs.Forbiddenf("Max hierarchy depth reached for %s branch.", parent.ID)
	}
	return nil
}

func trimName(s string) string { return strings.TrimSpace(s) }

// checkTags validates a tag list: unique, at most 80, each 1-255
// characters without "/" or ",".
func checkTags(tags *[]string) ([]string, error) {
	if tags == nil {
		return []string{}, nil
	}
	if len(*tags) > 80 {
		return nil, errs.BadRequestf("Invalid input for field 'tags': a project may have at most 80 tags.")
	}
	seen := map[string]bool{}
	for _, t := range *tags {
		if err := checkTag(t); err != nil {
			return nil, err
		}
		if seen[t] {
			return nil, errs.BadRequestf("Invalid input for field 'tags': %q is duplicated.", t)
		}
		seen[t] = true
	}
	out := slices.Clone(*tags)
	slices.Sort(out)
	return out, nil
}

func checkTag(t string) error {
	if err := checkString("tags", t, 1, 255); err != nil {
		return err
	}
	if strings.ContainsAny(t, "/,") {
		return errs.BadRequestf("Invalid input for field 'tags': tag %q may not contain '/' or ','.", t)
	}
	return nil
}

func (s *Service) getProjectHandler(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("project_id")
	var view api.Project
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		p, err := getProject(tx, id)
		if err != nil {
			if perr := s.enforce(r, "identity:get_project", map[string]any{"project_id": id}); perr != nil {
				return perr
			}
			return err
		}
		if err := s.enforce(r, "identity:get_project", projectPolicyTarget(p)); err != nil {
			return err
		}
		view = s.projectView(r, p)
		return s.addHierarchy(tx, r, p, &view)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"project": view})
}

func projectPolicyTarget(p *project) map[string]any {
	return map[string]any{"project_id": p.ID, "target": map[string]any{"project": projectTarget(p)}}
}

func (s *Service) listProjects(w http.ResponseWriter, r *http.Request) error {
	query := r.URL.Query()
	if err := s.enforce(r, "identity:list_projects", map[string]any{"domain_id": query.Get("domain_id"),
		"target": map[string]any{"domain_id": query.Get("domain_id")}}); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + projectSelect + " FROM identity_projects")
	if err := projectFilters(q, query); err != nil {
		return err
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*project
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryProjects(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(p *project) string { return p.ID })
	out := make([]api.Project, len(list))
	for i, p := range list {
		out[i] = s.projectView(r, p)
	}
	return s.writeCollection(w, r, "projects", out, next, truncated)
}

// projectFilters turns the project list query string into conditions.
func projectFilters(q *db.Query, query map[string][]string) error {
	get := func(k string) (string, bool) {
		v, ok := query[k]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
	isDomain := false
	if v, ok := get("is_domain"); ok {
		isDomain = httpxBool(v)
	}
	q.Where("is_domain = ?", isDomain)
	for _, f := range httpx.ParseFilters(query, []string{"name", "domain_id", "parent_id"}, []string{"name"}) {
		q.Match(f.Key, string(f.Op), f.Value)
	}
	if v, ok := get("enabled"); ok {
		q.Where("enabled = ?", httpxBool(v))
	}
	return tagFilters(q, query)
}

func httpxBool(v string) bool { return httpx.ParseBool(v) }

// tagFilters adds the tags, tags-any, not-tags and not-tags-any filters.
func tagFilters(q *db.Query, query map[string][]string) error {
	for _, key := range []string{"tags", "tags-any", "not-tags", "not-tags-any"} {
		vs, ok := query[key]
		if !ok || len(vs) == 0 {
			continue
		}
		tags := strings.Split(vs[0], ",")
		in := db.Placeholders(len(tags))
		args := make([]any, len(tags))
		for i, t := range tags {
			args[i] = t
		}
		has := "(SELECT COUNT(*) FROM identity_project_tags t WHERE t.project_id = identity_projects.id AND t.name IN (" + in + "))"
		switch key {
		case "tags":
			q.Where(has+" = ?", append(args, len(tags))...)
		case "tags-any":
			q.Where(has+" > 0", args...)
		case "not-tags":
			q.Where(has+" < ?", append(args, len(tags))...)
		case "not-tags-any":
			q.Where(has+" = 0", args...)
		}
	}
	return nil
}

func (s *Service) updateProjectHandler(w http.ResponseWriter, r *http.Request) error {
	var in projectInput
	extra, err := decodeEntity(r, "project", &in)
	if err != nil {
		return err
	}
	var p *project
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if p, err = getProject(tx, r.PathValue("project_id")); err != nil {
			return err
		}
		if err := s.enforce(r, "identity:update_project", projectPolicyTarget(p)); err != nil {
			return err
		}
		return s.updateProjectRow(tx, p, &in, extra)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"project": s.projectView(r, p)})
}

// updateProjectRow applies an update to a project, keeping the hierarchy
// rules: no disabled parent above an enabled project, no enabled child
// below a disabled one.
func (s *Service) updateProjectRow(tx *db.Tx, p *project, in *projectInput, extra map[string]any) error {
	wasEnabled := p.Enabled
	kind := "project"
	if p.IsDomain {
		kind = "domain"
	}
	if err := applyProjectUpdate(p, in, extra, kind); err != nil {
		return err
	}
	if !wasEnabled && p.Enabled && !p.IsDomain {
		chain, err := ancestors(tx, p)
		if err != nil {
			return err
		}
		for _, a := range chain {
			if !a.Enabled && !a.IsDomain {
				return errs.Forbiddenf("Cannot enable project %s since it has disabled parents", p.ID)
			}
		}
	}
	if wasEnabled && !p.Enabled && !p.IsDomain {
		n := 0
		if err := tx.QueryRow("SELECT COUNT(*) FROM identity_projects WHERE parent_id = ? AND enabled = ?", p.ID, true).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.Forbiddenf("Cannot disable project %s since its subtree contains enabled projects.", p.ID)
		}
	}
	if err := updateProject(tx, p); err != nil {
		return err
	}
	if wasEnabled && !p.Enabled {
		if p.IsDomain {
			return s.revoke(tx, revocation{DomainID: p.ID})
		}
		return s.revoke(tx, revocation{ProjectID: p.ID})
	}
	return nil
}

// applyProjectUpdate changes the attributes an update may change.
func applyProjectUpdate(p *project, in *projectInput, extra map[string]any, kind string) error {
	if err := checkImmutable(kind, p.ID, p.Extra, in.Options); err != nil {
		return err
	}
	if in.DomainID != nil && *in.DomainID != p.DomainID && !(p.IsDomain) {
		return errs.BadRequestf("Cannot change Domain ID")
	}
	if in.ParentID != nil && *in.ParentID != p.ParentID {
		return errs.Forbiddenf("Update of `parent_id` is not allowed.")
	}
	if in.IsDomain != nil && *in.IsDomain != p.IsDomain {
		return errs.BadRequestf("Update of `is_domain` is not allowed.")
	}
	if in.ID != nil && *in.ID != p.ID {
		return errs.BadRequestf("Cannot change ID")
	}
	if in.Name != nil {
		if err := checkName("name", in.Name, 64); err != nil {
			return err
		}
		p.Name = trimName(*in.Name)
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.Enabled != nil {
		p.Enabled = *in.Enabled
	}
	if in.Tags != nil {
		tags, err := checkTags(in.Tags)
		if err != nil {
			return err
		}
		p.Tags = tags
	}
	merged, err := applyOptions(kind, mergeExtra(p.Extra, extra), in.Options)
	if err != nil {
		return err
	}
	p.Extra = merged
	return nil
}

func (s *Service) deleteProjectHandler(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := getProject(tx, r.PathValue("project_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "identity:delete_project", projectPolicyTarget(p)); err != nil {
			return err
		}
		if p.IsDomain {
			if p.Enabled {
				return errs.Forbiddenf("Cannot delete a domain that is enabled, please disable it first.")
			}
			return s.deleteDomainCascade(tx, p)
		}
		if isImmutable(p.Extra) {
			return errs.Forbiddenf("Unable to delete immutable project resource: `%s`. Set resource option \"immutable\" to false first.", p.ID)
		}
		children, err := childIDs(tx, p.ID)
		if err != nil {
			return err
		}
		if len(children) > 0 {
			return errs.Forbiddenf("Cannot delete the project %s since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.", p.ID)
		}
		return s.deleteProjectRow(tx, p.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteProjectRow removes a project with its grants, tags, application
// credentials, credentials and endpoint associations, and revokes its
// tokens.
func (s *Service) deleteProjectRow(tx *db.Tx, id string) error {
	for _, q := range []string{
		"DELETE FROM identity_assignments WHERE target_id = ?",
		"DELETE FROM identity_app_creds WHERE project_id = ?",
		"DELETE FROM identity_credentials WHERE project_id = ?",
		"DELETE FROM identity_project_endpoints WHERE project_id = ?",
		"DELETE FROM identity_project_endpoint_groups WHERE project_id = ?",
		"DELETE FROM identity_project_tags WHERE project_id = ?",
		"DELETE FROM identity_projects WHERE id = ?",
	} {
		if _, err := tx.Exec(q, id); err != nil {
			return err
		}
	}
	return s.revoke(tx, revocation{ProjectID: id})
}
