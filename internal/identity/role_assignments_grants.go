package identity

import (
	"cmp"
	"slices"

	"github.com/monostack/monostack/internal/db"
)

// inChunk is how many ids one IN list carries; longer lists are split.
const inChunk = 500

// grantRow is one row of identity_assignments.
type grantRow struct {
	Type      string
	ActorID   string
	TargetID  string
	RoleID    string
	Inherited bool
}

// grantFilter selects rows of identity_assignments. A nil actors or targets
// list matches any; an empty one matches none.
type grantFilter struct {
	types     []string
	roleID    string
	actors    []string
	targets   []string
	inherited *bool
}

// grantTypes are the assignment types of an actor kind ("user", "group" or
// "" for both) on a target kind ("project", "domain" or "" for both), as
// upstream's SQL driver picks them; system grants are never among them.
func grantTypes(actor, target string) []string {
	var out []string
	for _, t := range []string{userProject, userDomain, groupProject, groupDomain} {
		isUser := t == userProject || t == userDomain
		isProject := t == userProject || t == groupProject
		if (actor == "user" && !isUser) || (actor == "group" && isUser) ||
			(target == "project" && !isProject) || (target == "domain" && isProject) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// queryGrants loads the grants matching f, sorted; long target lists are
// queried in chunks.
func queryGrants(tx *db.Tx, f grantFilter) ([]grantRow, error) {
	if len(f.types) == 0 || (f.actors != nil && len(f.actors) == 0) || (f.targets != nil && len(f.targets) == 0) {
		return nil, nil
	}
	var out []grantRow
	if f.targets == nil {
		rows, err := queryGrantRows(tx, f)
		if err != nil {
			return nil, err
		}
		out = rows
	}
	for chunk := range slices.Chunk(f.targets, inChunk) {
		part := f
		part.targets = chunk
		rows, err := queryGrantRows(tx, part)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	slices.SortFunc(out, compareGrants)
	return out, nil
}

func compareGrants(a, b grantRow) int {
	return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.TargetID, b.TargetID),
		cmp.Compare(a.ActorID, b.ActorID), cmp.Compare(a.RoleID, b.RoleID))
}

// queryGrantRows runs one query of queryGrants.
func queryGrantRows(tx *db.Tx, f grantFilter) ([]grantRow, error) {
	q := db.NewQuery("SELECT type, actor_id, target_id, role_id, inherited FROM identity_assignments").
		Where("type IN ("+db.Placeholders(len(f.types))+")", anyArgs(f.types)...)
	if f.roleID != "" {
		q.Where("role_id = ?", f.roleID)
	}
	if f.actors != nil {
		q.Where("actor_id IN ("+db.Placeholders(len(f.actors))+")", anyArgs(f.actors)...)
	}
	if f.targets != nil {
		q.Where("target_id IN ("+db.Placeholders(len(f.targets))+")", anyArgs(f.targets)...)
	}
	if f.inherited != nil {
		q.Where("inherited = ?", *f.inherited)
	}
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grantRow
	for rows.Next() {
		var g grantRow
		if err := rows.Scan(&g.Type, &g.ActorID, &g.TargetID, &g.RoleID, &g.Inherited); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// anyArgs turns ids into query arguments.
func anyArgs(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// queryPairs runs a two-column string query once per chunk of ids: build
// makes the statement from the chunk's placeholder list, args precede the
// ids, and fn is called per row.
func queryPairs(tx *db.Tx, build func(in string) string, args []any, ids []string, fn func(a, b string)) error {
	for chunk := range slices.Chunk(ids, inChunk) {
		rows, err := tx.Query(build(db.Placeholders(len(chunk))), append(slices.Clone(args), anyArgs(chunk)...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a, b string
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return err
			}
			fn(a, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// projectForest is the project hierarchy of some domains, each domain
// loaded in one query so that subtrees are walked without a query per
// project.
type projectForest struct {
	children map[string][]string // parent id → child project ids
	loaded   map[string]bool     // domain ids
}

func newProjectForest() *projectForest {
	return &projectForest{children: map[string][]string{}, loaded: map[string]bool{}}
}

// load reads the projects of the given domains not yet loaded.
func (f *projectForest) load(tx *db.Tx, domainIDs []string) error {
	var todo []string
	for _, d := range domainIDs {
		if !f.loaded[d] {
			f.loaded[d] = true
			todo = append(todo, d)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	build := func(in string) string {
		return "SELECT id, parent_id FROM identity_projects WHERE is_domain = ? AND parent_id IS NOT NULL AND domain_id IN (" + in + ")"
	}
	err := queryPairs(tx, build, []any{false}, todo, func(id, parent string) {
		f.children[parent] = append(f.children[parent], id)
	})
	for _, c := range f.children {
		slices.Sort(c)
	}
	return err
}

// below lists every project under id (a project or a domain), parents
// before children; id itself is not included.
func (f *projectForest) below(id string) []string {
	var out []string
	queue := slices.Clone(f.children[id])
	seen := map[string]bool{id: true}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
		queue = append(queue, f.children[p]...)
	}
	return out
}
