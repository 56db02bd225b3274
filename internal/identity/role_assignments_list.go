package identity

import (
	"slices"

	"github.com/monostack/monostack/internal/db"
)

// assignmentRef is one role assignment as upstream's assignment manager
// yields it, plus, for an effective one, where it came from.
type assignmentRef struct {
	RoleID    string
	UserID    string
	GroupID   string
	ProjectID string
	DomainID  string
	System    bool
	Inherited bool // an inherited grant listed as such, not expanded

	ViaGroup   string // a group grant shown for this member
	ViaProject string // inherited from this project
	ViaDomain  string // inherited from this domain
	PriorRole  string // implied by this role
}

func refFromGrant(g grantRow) assignmentRef {
	a := assignmentRef{RoleID: g.RoleID, Inherited: g.Inherited}
	switch g.Type {
	case userProject, userDomain, userSystem:
		a.UserID = g.ActorID
	default:
		a.GroupID = g.ActorID
	}
	switch g.Type {
	case userProject, groupProject:
		a.ProjectID = g.TargetID
	case userDomain, groupDomain:
		a.DomainID = g.TargetID
	default:
		a.System, a.Inherited = true, false
	}
	return a
}

// assignmentFilter is what GET /v3/role_assignments asks for.
type assignmentFilter struct {
	RoleID    string
	UserID    string
	GroupID   string
	ProjectID string
	DomainID  string
	System    bool  // scope.system=all
	Inherited *bool // scope.OS-INHERIT:inherited_to given: whether it is "projects"
	Effective bool
	Subtree   []string // with include_subtree: the projects below ProjectID
}

// interest lists the filtered project and its subtree, or nil.
func (f assignmentFilter) interest() []string {
	if f.ProjectID == "" {
		return nil
	}
	return append(slices.Clone(f.Subtree), f.ProjectID)
}

// actor is the actor kind and ids the filter names, or "" and nil.
func (f assignmentFilter) actor() (string, []string) {
	switch {
	case f.UserID != "":
		return "user", []string{f.UserID}
	case f.GroupID != "":
		return "group", []string{f.GroupID}
	}
	return "", nil
}

// target is the target kind and ids the filter names, or "" and nil.
func (f assignmentFilter) target() (string, []string) {
	switch {
	case f.ProjectID != "":
		return "project", f.interest()
	case f.DomainID != "":
		return "domain", []string{f.DomainID}
	}
	return "", nil
}

// listAssignments lists the assignments the filter asks for.
func listAssignments(tx *db.Tx, f assignmentFilter, forest *projectForest) ([]assignmentRef, error) {
	if f.Effective {
		return effectiveAssignments(tx, f, forest)
	}
	return directAssignments(tx, f)
}

// directAssignments lists the grants as stored: project and domain grants
// (unless the system is asked for), then system grants (when asked for, or
// when no project or domain is).
func directAssignments(tx *db.Tx, f assignmentFilter) ([]assignmentRef, error) {
	kind, actors := f.actor()
	var grants []grantRow
	if !f.System {
		targetKind, targets := f.target()
		g, err := queryGrants(tx, grantFilter{types: grantTypes(kind, targetKind), roleID: f.RoleID,
			actors: actors, targets: targets, inherited: f.Inherited})
		if err != nil {
			return nil, err
		}
		grants = g
	}
	if f.System || (f.ProjectID == "" && f.DomainID == "") {
		g, err := queryGrants(tx, grantFilter{types: systemTypes(kind), roleID: f.RoleID, actors: actors})
		if err != nil {
			return nil, err
		}
		grants = append(grants, g...)
	}
	out := make([]assignmentRef, len(grants))
	for i, g := range grants {
		out[i] = refFromGrant(g)
	}
	return out, nil
}

// systemTypes are the system assignment types of an actor kind.
func systemTypes(actor string) []string {
	switch actor {
	case "user":
		return []string{userSystem}
	case "group":
		return []string{groupSystem}
	}
	return []string{userSystem, groupSystem}
}

// effectiveAssignments lists what actually applies to users, as upstream's
// effective mode: group grants become one per member, inherited grants one
// per project below, implied roles are added, domain-specific roles dropped
// and the role filter applied last. System grants are not part of it.
func effectiveAssignments(tx *db.Tx, f assignmentFilter, forest *projectForest) ([]assignmentRef, error) {
	if f.GroupID != "" || (f.DomainID != "" && f.Inherited != nil && *f.Inherited) {
		return nil, nil
	}
	if f.DomainID != "" {
		no := false
		f.Inherited = &no
	}
	src := &grantSources{f: f}
	kind, actors := f.actor()
	grants, err := src.list(tx, kind, actors)
	if err != nil {
		return nil, err
	}
	if f.UserID != "" {
		groups, err := userGroupIDs(tx, f.UserID)
		if err != nil {
			return nil, err
		}
		if len(groups) > 0 {
			viaGroups, err := src.list(tx, "group", groups)
			if err != nil {
				return nil, err
			}
			grants = append(grants, viaGroups...)
		}
	}
	refs, err := expandGrants(tx, f, forest, grants)
	if err != nil {
		return nil, err
	}
	rules, err := impliedRules(tx)
	if err != nil {
		return nil, err
	}
	refs, err = withoutDomainRoles(tx, addImplied(refs, rules))
	if err != nil || f.RoleID == "" {
		return refs, err
	}
	return slices.DeleteFunc(refs, func(a assignmentRef) bool { return a.RoleID != f.RoleID }), nil
}

// grantSources finds the grants that can affect the filtered targets; the
// filtered project's domain and parents are looked up once.
type grantSources struct {
	f        assignmentFilter
	resolved bool
	domainID string   // the filtered project's domain
	parents  []string // its parents, and with a subtree the subtree too
}

// list returns the grants of the actors (nil: anyone) of a kind ("" for
// both) that matter: direct ones on the targets and inherited ones from
// above them.
func (s *grantSources) list(tx *db.Tx, kind string, actors []string) ([]grantRow, error) {
	if actors != nil && len(actors) == 0 {
		return nil, nil
	}
	var out []grantRow
	yes, no := true, false
	if s.f.Inherited == nil || !*s.f.Inherited {
		targetKind, targets := s.f.target()
		g, err := queryGrants(tx, grantFilter{types: grantTypes(kind, targetKind), actors: actors, targets: targets, inherited: &no})
		if err != nil {
			return nil, err
		}
		out = g
	}
	if s.f.Inherited != nil && !*s.f.Inherited {
		return out, nil
	}
	if s.f.ProjectID == "" {
		g, err := queryGrants(tx, grantFilter{types: grantTypes(kind, ""), actors: actors, inherited: &yes})
		return append(out, g...), err
	}
	if err := s.resolve(tx); err != nil {
		return nil, err
	}
	fromDomain, err := queryGrants(tx, grantFilter{types: grantTypes(kind, "domain"), actors: actors,
		targets: []string{s.domainID}, inherited: &yes})
	if err != nil {
		return nil, err
	}
	out = append(out, fromDomain...)
	if len(s.parents) == 0 {
		return out, nil
	}
	fromProjects, err := queryGrants(tx, grantFilter{types: grantTypes(kind, "project"), actors: actors,
		targets: s.parents, inherited: &yes})
	return append(out, fromProjects...), err
}

// resolve loads the filtered project's domain and parents (404 when the
// project does not exist, as upstream).
func (s *grantSources) resolve(tx *db.Tx) error {
	if s.resolved {
		return nil
	}
	p, err := getProject(tx, s.f.ProjectID)
	if err != nil {
		return err
	}
	parents, err := ancestorIDs(tx, p.ID)
	if err != nil {
		return err
	}
	if len(s.f.Subtree) > 0 {
		parents = append(parents, s.f.interest()...)
	}
	s.resolved, s.domainID, s.parents = true, p.DomainID, parents
	return nil
}

// expander turns grants into effective assignments.
type expander struct {
	f        assignmentFilter
	forest   *projectForest
	members  map[string][]string // group id → user ids
	interest []string            // the filtered project and its subtree
	inSet    map[string]bool     // the same, as a set
}

// expandGrants expands group grants to their members and inherited grants
// to the projects below, loading memberships and hierarchies in a few
// queries.
func expandGrants(tx *db.Tx, f assignmentFilter, forest *projectForest, grants []grantRow) ([]assignmentRef, error) {
	x := &expander{f: f, forest: forest, members: map[string][]string{}, interest: f.interest(), inSet: map[string]bool{}}
	for _, id := range x.interest {
		x.inSet[id] = true
	}
	if err := x.loadMembers(tx, grants); err != nil {
		return nil, err
	}
	if f.ProjectID == "" {
		if err := loadInheritedHierarchies(tx, forest, grants); err != nil {
			return nil, err
		}
	}
	var out []assignmentRef
	for _, g := range grants {
		out = append(out, x.expand(refFromGrant(g))...)
	}
	return out, nil
}

// loadMembers reads the members of the granted groups, unless a user
// filter already says who the member is.
func (x *expander) loadMembers(tx *db.Tx, grants []grantRow) error {
	if x.f.UserID != "" {
		return nil
	}
	var groups []string
	for _, g := range grants {
		if g.Type == groupProject || g.Type == groupDomain {
			groups = append(groups, g.ActorID)
		}
	}
	slices.Sort(groups)
	build := func(in string) string {
		return "SELECT group_id, user_id FROM identity_group_members WHERE group_id IN (" + in + ") ORDER BY user_id"
	}
	return queryPairs(tx, build, nil, slices.Compact(groups), func(group, user string) {
		x.members[group] = append(x.members[group], user)
	})
}

// loadInheritedHierarchies loads the project trees of the domains that
// inherited grants were made in.
func loadInheritedHierarchies(tx *db.Tx, forest *projectForest, grants []grantRow) error {
	var domains, projects []string
	for _, g := range grants {
		switch {
		case !g.Inherited:
		case g.Type == userDomain || g.Type == groupDomain:
			domains = append(domains, g.TargetID)
		default:
			projects = append(projects, g.TargetID)
		}
	}
	slices.Sort(projects)
	build := func(in string) string { return "SELECT id, domain_id FROM identity_projects WHERE id IN (" + in + ")" }
	err := queryPairs(tx, build, nil, slices.Compact(projects), func(_, domain string) {
		domains = append(domains, domain)
	})
	if err != nil {
		return err
	}
	return forest.load(tx, domains)
}

func (x *expander) expand(ref assignmentRef) []assignmentRef {
	if ref.Inherited {
		return x.expandInherited(ref)
	}
	if ref.GroupID != "" {
		return x.expandGroup(ref)
	}
	return []assignmentRef{ref}
}

// expandGroup shows a group grant once per member (or for the filtered
// user only).
func (x *expander) expandGroup(ref assignmentRef) []assignmentRef {
	users := x.members[ref.GroupID]
	if x.f.UserID != "" {
		users = []string{x.f.UserID}
	}
	out := make([]assignmentRef, 0, len(users))
	for _, u := range users {
		a := ref
		a.ViaGroup, a.GroupID, a.UserID = ref.GroupID, "", u
		out = append(out, a)
	}
	return out
}

// expandInherited shows an inherited grant on each project it reaches.
func (x *expander) expandInherited(ref assignmentRef) []assignmentRef {
	actors := []assignmentRef{ref}
	if ref.GroupID != "" {
		actors = x.expandGroup(ref)
	}
	projects := x.inheritedTo(ref)
	out := make([]assignmentRef, 0, len(actors)*len(projects))
	for _, a := range actors {
		for _, p := range projects {
			e := a
			if e.ProjectID != "" {
				e.ViaProject = e.ProjectID
			} else {
				e.ViaDomain, e.DomainID = e.DomainID, ""
			}
			e.ProjectID, e.Inherited = p, false
			out = append(out, e)
		}
	}
	return out
}

// inheritedTo lists the projects an inherited grant is shown on: the
// filtered ones (only the part below the grant when it sits inside the
// filtered subtree), or every project below it.
func (x *expander) inheritedTo(ref assignmentRef) []string {
	if x.f.ProjectID != "" {
		if len(x.f.Subtree) > 0 && ref.ProjectID != "" && x.inSet[ref.ProjectID] {
			return x.forest.below(ref.ProjectID)
		}
		return x.interest
	}
	if ref.DomainID != "" {
		return x.forest.below(ref.DomainID)
	}
	return x.forest.below(ref.ProjectID)
}

// addImplied adds, for every assignment, one per role its role implies
// (transitively), each naming the role it was implied by.
func addImplied(refs []assignmentRef, rules map[string][]string) []assignmentRef {
	for _, implied := range rules {
		slices.Sort(implied)
	}
	seen := make(map[assignmentRef]bool, len(refs))
	out := slices.Clone(refs)
	queue := slices.Clone(refs)
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, id := range rules[next.RoleID] {
			a := next
			a.RoleID, a.PriorRole = id, next.RoleID
			if seen[a] {
				continue
			}
			seen[a] = true
			out = append(out, a)
			queue = append(queue, a)
		}
	}
	return out
}

// withoutDomainRoles drops assignments of domain-specific roles: they only
// lend the roles they imply.
func withoutDomainRoles(tx *db.Tx, refs []assignmentRef) ([]assignmentRef, error) {
	var ids []string
	for _, a := range refs {
		ids = append(ids, a.RoleID)
	}
	slices.Sort(ids)
	global := map[string]bool{}
	build := func(in string) string { return "SELECT id, domain_id FROM identity_roles WHERE id IN (" + in + ")" }
	err := queryPairs(tx, build, nil, slices.Compact(ids), func(id, domain string) {
		global[id] = domain == nullDomainID
	})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(refs, func(a assignmentRef) bool { return !global[a.RoleID] }), nil
}
