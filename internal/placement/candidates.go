package placement

import (
	"slices"
	"strconv"
	"strings"
)

// requestGroup is one group of GET /allocation_candidates: the unnumbered
// one (suffix "") or a numbered/suffixed one, whose resources must all come
// from one provider.
type requestGroup struct {
	Suffix       string
	Resources    map[string]int
	Required     [][]string // each: at least one of these traits
	Forbidden    []string
	MemberOf     [][]string // each: member of at least one of these
	NotMemberOf  []string
	InTree       string
	SameProvider bool
}

// candidateQuery is a whole GET /allocation_candidates request.
type candidateQuery struct {
	Groups        []requestGroup
	Limit         int
	Isolate       bool
	RootRequired  [][]string
	RootForbidden []string
	Nested        bool // 1.29+: resources may come from several providers of a tree
}

// candidate is one allocation request.
type candidate struct {
	Root     string
	Alloc    map[string]map[string]int // provider → class → amount
	Mappings map[string][]string       // group suffix → providers
}

// option is one way to satisfy one group inside a tree.
type option map[string]map[string]int

// findCandidates enumerates the allocation requests of q over snap, tree
// by tree in creation order, up to q.Limit.
func findCandidates(snap *snapshot, q candidateQuery) []candidate {
	var out []candidate
	for _, root := range snap.providers {
		if root.Parent != nil {
			continue
		}
		tree := snap.children[root.UUID]
		if !q.Nested && len(tree) > 1 {
			tree = tree[:1] // before 1.29 only root providers serve
		}
		if !rootAllowed(root, q) {
			continue
		}
		out = append(out, treeCandidates(snap, root, tree, q, q.Limit-len(out))...)
		if q.Limit > 0 && len(out) >= q.Limit {
			return out[:q.Limit]
		}
	}
	return out
}

func rootAllowed(root *rpNode, q candidateQuery) bool {
	return traitsOK(root.Traits, q.RootRequired, q.RootForbidden)
}

// traitsOK says whether have satisfies every any-of list and none of forbidden.
func traitsOK(have map[string]bool, required [][]string, forbidden []string) bool {
	for _, f := range forbidden {
		if have[f] {
			return false
		}
	}
	for _, anyOf := range required {
		if !slices.ContainsFunc(anyOf, func(t string) bool { return have[t] }) {
			return false
		}
	}
	return true
}

// memberOK applies a group's member_of and in_tree to a provider: the
// provider or its tree's root must be in the aggregates.
func memberOK(snap *snapshot, n *rpNode, g *requestGroup) bool {
	if g.InTree != "" {
		t := snap.byUUID[g.InTree]
		if t == nil || t.Root != n.Root {
			return false
		}
	}
	root := snap.byUUID[n.Root]
	in := func(agg string) bool { return n.Aggregates[agg] || root.Aggregates[agg] }
	for _, anyOf := range g.MemberOf {
		if !slices.ContainsFunc(anyOf, in) {
			return false
		}
	}
	return !slices.ContainsFunc(g.NotMemberOf, in)
}

// treeCandidates combines, inside one tree, an option of every group.
func treeCandidates(snap *snapshot, root *rpNode, tree []*rpNode, q candidateQuery, room int) []candidate {
	opts := make([][]option, len(q.Groups))
	for i := range q.Groups {
		opts[i] = groupOptions(snap, tree, &q.Groups[i])
		if len(opts[i]) == 0 {
			return nil
		}
	}
	var out []candidate
	seen := map[string]bool{}
	pick := make([]option, len(opts))
	var walk func(int) bool
	walk = func(i int) bool {
		if i == len(opts) {
			if c, ok := combine(snap, root.UUID, q, pick); ok {
				if key := c.key(); !seen[key] {
					seen[key] = true
					out = append(out, c)
				}
			}
			return q.Limit <= 0 || len(out) < room
		}
		for _, o := range opts[i] {
			pick[i] = o
			if !walk(i + 1) {
				return false
			}
		}
		return true
	}
	walk(0)
	return out
}

// groupOptions lists the ways one group can be satisfied inside a tree.
func groupOptions(snap *snapshot, tree []*rpNode, g *requestGroup) []option {
	usable := make([]*rpNode, 0, len(tree))
	for _, n := range tree {
		if memberOK(snap, n, g) && (!g.SameProvider || traitsOK(n.Traits, g.Required, g.Forbidden)) {
			usable = append(usable, n)
		}
	}
	classes := sortedKeys(g.Resources)
	if len(classes) == 0 {
		return resourcelessOptions(usable, g)
	}
	if g.SameProvider {
		var out []option
		for _, n := range usable {
			if allFit(n, g.Resources) {
				out = append(out, option{n.UUID: g.Resources})
			}
		}
		return out
	}
	perClass := make([][]*rpNode, len(classes))
	for i, rc := range classes {
		for _, n := range usable {
			if n.fits(rc, g.Resources[rc]) {
				perClass[i] = append(perClass[i], n)
			}
		}
		if len(perClass[i]) == 0 {
			return nil
		}
	}
	return spread(classes, perClass, g)
}

// resourcelessOptions: a group without resources is met by any provider
// with its traits (1.35+ style); for the unnumbered group, by the tree.
func resourcelessOptions(usable []*rpNode, g *requestGroup) []option {
	var out []option
	for _, n := range usable {
		if traitsOK(n.Traits, g.Required, g.Forbidden) {
			out = append(out, option{n.UUID: {}})
		}
	}
	return out
}

func allFit(n *rpNode, res map[string]int) bool {
	for rc, amount := range res {
		if !n.fits(rc, amount) {
			return false
		}
	}
	return true
}

// spread is the product of per-class providers: each class from one
// provider, several classes perhaps from the same one.
func spread(classes []string, perClass [][]*rpNode, g *requestGroup) []option {
	var out []option
	pick := make([]*rpNode, len(classes))
	var walk func(int)
	walk = func(i int) {
		if i == len(classes) {
			o := option{}
			for j, n := range pick {
				if o[n.UUID] == nil {
					o[n.UUID] = map[string]int{}
				}
				o[n.UUID][classes[j]] = g.Resources[classes[j]]
			}
			out = append(out, o)
			return
		}
		for _, n := range perClass[i] {
			pick[i] = n
			walk(i + 1)
		}
	}
	walk(0)
	return out
}

// combine merges one option per group into a candidate, refusing it when
// summed amounts exceed what a provider has, when isolated groups share a
// provider, or when the unnumbered group's providers lack its traits.
func combine(snap *snapshot, root string, q candidateQuery, picks []option) (candidate, bool) {
	c := candidate{Root: root, Alloc: map[string]map[string]int{}, Mappings: map[string][]string{}}
	numbered := map[string]bool{}
	for i, o := range picks {
		g := &q.Groups[i]
		for _, rp := range sortedKeys(o) {
			if g.SameProvider && q.Isolate && g.Suffix != "" {
				if numbered[rp] {
					return c, false
				}
				numbered[rp] = true
			}
			c.Mappings[g.Suffix] = append(c.Mappings[g.Suffix], rp)
			if c.Alloc[rp] == nil {
				c.Alloc[rp] = map[string]int{}
			}
			for rc, amount := range o[rp] {
				c.Alloc[rp][rc] += amount
			}
		}
		if !g.SameProvider && !unionTraitsOK(snap, o, g) {
			return c, false
		}
	}
	for rp, res := range c.Alloc {
		n := snap.byUUID[rp]
		for rc, amount := range res {
			if n.free(rc) < amount || amount > n.Inventory[rc].MaxUnit {
				return c, false
			}
		}
	}
	for rp, res := range c.Alloc {
		if len(res) == 0 {
			delete(c.Alloc, rp)
		}
	}
	return c, true
}

// unionTraitsOK checks a spread group's traits on the providers it uses
// together (upstream checks the union of the allocation's providers).
func unionTraitsOK(snap *snapshot, o option, g *requestGroup) bool {
	if len(g.Required) == 0 && len(g.Forbidden) == 0 {
		return true
	}
	union := map[string]bool{}
	for rp := range o {
		n := snap.byUUID[rp]
		for _, f := range g.Forbidden {
			if n.Traits[f] {
				return false
			}
		}
		for t := range n.Traits {
			union[t] = true
		}
	}
	return traitsOK(union, g.Required, nil)
}

// key identifies a candidate's allocations, to drop duplicates.
func (c candidate) key() string {
	var b strings.Builder
	for _, rp := range sortedKeys(c.Alloc) {
		b.WriteString(rp)
		for _, rc := range sortedKeys(c.Alloc[rp]) {
			b.WriteString("," + rc + ":" + strconv.Itoa(c.Alloc[rp][rc]))
		}
		b.WriteByte(';')
	}
	for _, s := range sortedKeys(c.Mappings) {
		b.WriteString("|" + s + "=" + strings.Join(c.Mappings[s], ","))
	}
	return b.String()
}
