package identity

import (
	"net/http"
	"net/url"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// assignmentPolicyKeys are the query parameters upstream adds to the
// policy target of identity:list_role_assignments.
var assignmentPolicyKeys = []string{"group.id", "role.id", "scope.domain.id", "scope.project.id",
	"scope.OS-INHERIT:inherited_to", "user.id", "scope.system"}

// treePolicyKeys are those of identity:list_role_assignments_for_tree.
var treePolicyKeys = []string{"group.id", "role.id", "scope.domain.id", "scope.project.id",
	"scope.OS-INHERIT:inherited_to", "user.id"}

// listRoleAssignments is GET /v3/role_assignments.
func (s *Service) listRoleAssignments(w http.ResponseWriter, r *http.Request) error {
	query := r.URL.Query()
	var refs []assignmentRef
	var names *assignmentNames
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if queryFlag(query, "include_subtree") {
			refs, err = s.assignmentsInTree(tx, r, query)
		} else {
			refs, err = s.assignmentsForCaller(tx, r, query)
		}
		if err == nil && queryFlag(query, "include_names") {
			names, err = loadAssignmentNames(tx, refs)
		}
		return err
	})
	if err != nil {
		return err
	}
	base := s.baseURL(r) + "/v3"
	out := make([]api.RoleAssignment, len(refs))
	for i, a := range refs {
		out[i] = assignmentView(base, a, names)
	}
	return s.writeCollection(w, r, "role_assignments", out, "", false)
}

// assignmentsForCaller lists assignments under identity:list_role_assignments;
// a domain-scoped caller sees only those on its domain and its projects.
func (s *Service) assignmentsForCaller(tx *db.Tx, r *http.Request, query url.Values) ([]assignmentRef, error) {
	var target map[string]any
	domainID := ""
	if t := caller(r); t != nil {
		domainID = t.DomainID()
	}
	if domainID != "" {
		target = map[string]any{"target": map[string]any{"domain_id": domainID}}
	}
	if err := s.enforce(r, "identity:list_role_assignments", withQueryFilters(target, query, assignmentPolicyKeys)); err != nil {
		return nil, err
	}
	if err := checkAssignmentQuery(query); err != nil {
		return nil, err
	}
	refs, err := listAssignments(tx, parseAssignmentFilter(query), newProjectForest())
	if err != nil || domainID == "" {
		return refs, err
	}
	return onlyInDomain(tx, refs, domainID)
}

// assignmentsInTree lists assignments on a project and the projects below
// it, under identity:list_role_assignments_for_tree.
func (s *Service) assignmentsInTree(tx *db.Tx, r *http.Request, query url.Values) ([]assignmentRef, error) {
	const rule = "identity:list_role_assignments_for_tree"
	var p *project
	var target map[string]any
	if id := query.Get("scope.project.id"); id != "" {
		var err error
		if p, err = getProject(tx, id); err != nil {
			if perr := s.enforce(r, rule, withQueryFilters(nil, query, treePolicyKeys)); perr != nil {
				return nil, perr
			}
			return nil, err
		}
		target = map[string]any{"target": map[string]any{"project": projectTarget(p)}}
	}
	if err := s.enforce(r, rule, withQueryFilters(target, query, treePolicyKeys)); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errs.BadRequestf("scope.project.id must be specified if include_subtree is also specified")
	}
	if err := checkAssignmentQuery(query); err != nil {
		return nil, err
	}
	f := parseAssignmentFilter(query)
	forest := newProjectForest()
	domainID := p.DomainID
	if p.IsDomain {
		domainID = p.ID
	}
	if err := forest.load(tx, []string{domainID}); err != nil {
		return nil, err
	}
	f.Subtree = forest.below(p.ID)
	return listAssignments(tx, f, forest)
}

// withQueryFilters adds the query parameters among keys to a policy target,
// as upstream's enforcer does with a list call's filters.
func withQueryFilters(target map[string]any, query url.Values, keys []string) map[string]any {
	out := map[string]any{}
	for k, v := range target {
		out[k] = v
	}
	for _, k := range keys {
		if query.Has(k) {
			out[k] = query.Get(k)
		}
	}
	return out
}

// queryFlag reads a key-only query flag as upstream: present and not "0".
func queryFlag(query url.Values, name string) bool {
	return query.Has(name) && query.Get(name) != "0"
}

// parseAssignmentFilter reads the filters of GET /v3/role_assignments.
func parseAssignmentFilter(query url.Values) assignmentFilter {
	f := assignmentFilter{RoleID: query.Get("role.id"), UserID: query.Get("user.id"), GroupID: query.Get("group.id"),
		ProjectID: query.Get("scope.project.id"), DomainID: query.Get("scope.domain.id"),
		System: query.Get("scope.system") == "all", Effective: queryFlag(query, "effective")}
	if query.Has("scope.OS-INHERIT:inherited_to") {
		inherited := query.Get("scope.OS-INHERIT:inherited_to") == "projects"
		f.Inherited = &inherited
	}
	return f
}

// checkAssignmentQuery refuses the filter combinations upstream refuses, in
// its order.
func checkAssignmentQuery(query url.Values) error {
	set := func(k string) bool { return query.Get(k) != "" }
	switch {
	case set("scope.domain.id") && set("scope.project.id"):
		return errs.BadRequestf("Specify a domain or project, not both")
	case set("scope.domain.id") && set("scope.system"):
		return errs.BadRequestf("Specify system or domain, not both")
	case set("scope.project.id") && set("scope.system"):
		return errs.BadRequestf("Specify system or project, not both")
	case set("user.id") && set("group.id"):
		return errs.BadRequestf("Specify a user or group, not both")
	}
	if !queryFlag(query, "effective") {
		return nil
	}
	if set("group.id") {
		return errs.BadRequestf("Combining effective and group filter will always result in an empty list.")
	}
	if query.Get("scope.OS-INHERIT:inherited_to") == "projects" && set("scope.domain.id") {
		return errs.BadRequestf("Combining effective, domain and inherited filters will always result in an empty list.")
	}
	return nil
}

// onlyInDomain keeps the assignments on the domain or its projects.
func onlyInDomain(tx *db.Tx, refs []assignmentRef, domainID string) ([]assignmentRef, error) {
	var ids []string
	for _, a := range refs {
		ids = appendNonEmpty(ids, a.ProjectID)
	}
	projects, err := loadNamedRows(tx, "identity_projects", ids)
	if err != nil {
		return nil, err
	}
	out := refs[:0]
	for _, a := range refs {
		if a.DomainID == domainID || (a.ProjectID != "" && projects[a.ProjectID].DomainID == domainID) {
			out = append(out, a)
		}
	}
	return out, nil
}

// assignmentView formats an assignment as upstream: the assignment link
// names the grant behind it (the group's, the inherited one, the prior
// role's), with membership and prior_role links for expanded ones.
func assignmentView(base string, a assignmentRef, names *assignmentNames) api.RoleAssignment {
	var v api.RoleAssignment
	link, inherited := "", a.Inherited
	switch {
	case a.ProjectID != "":
		v.Scope.Project = names.project(a.ProjectID)
		switch {
		case a.ViaDomain != "":
			inherited, link = true, "/domains/"+a.ViaDomain
		case a.ViaProject != "":
			inherited, link = true, "/projects/"+a.ViaProject
		default:
			link = "/projects/" + a.ProjectID
		}
	case a.DomainID != "":
		v.Scope.Domain = names.domain(a.DomainID)
		link = "/domains/" + a.DomainID
	default:
		v.Scope.System = &api.SystemScope{All: true}
		link = "/system"
	}
	switch {
	case a.UserID != "" && a.ViaGroup != "":
		v.User = names.user(a.UserID)
		v.Links.Membership = base + "/groups/" + a.ViaGroup + "/users/" + a.UserID
		link += "/groups/" + a.ViaGroup
	case a.UserID != "":
		v.User = names.user(a.UserID)
		link += "/users/" + a.UserID
	default:
		v.Group = names.group(a.GroupID)
		link += "/groups/" + a.GroupID
	}
	v.Role = names.role(a.RoleID)
	if a.PriorRole != "" {
		link += "/roles/" + a.PriorRole
		v.Links.PriorRole = base + "/prior_role/" + a.RoleID + "/implies/" + a.PriorRole
	} else {
		link += "/roles/" + a.RoleID
	}
	if inherited {
		v.Scope.InheritedTo = "projects"
		link = "/OS-INHERIT" + link + "/inherited_to_projects"
	}
	v.Links.Assignment = base + link
	return v
}
