package identity

import (
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// addHierarchy fills the parents and subtree views a project show asked
// for (parents_as_list, parents_as_ids, subtree_as_list, subtree_as_ids).
// The list forms only include projects the caller may see.
func (s *Service) addHierarchy(tx *db.Tx, r *http.Request, p *project, view *api.Project) error {
	q := r.URL.Query()
	_, pl := q["parents_as_list"]
	_, pi := q["parents_as_ids"]
	_, sl := q["subtree_as_list"]
	_, si := q["subtree_as_ids"]
	if (pl && pi) || (sl && si) {
		return errs.BadRequestf("Cannot use parents_as_list and parents_as_ids query params at the same time.")
	}
	if pl || pi {
		chain, err := ancestors(tx, p)
		if err != nil {
			return err
		}
		if pl {
			view.Parents = s.visibleProjects(r, chain)
		} else {
			view.Parents = nestIDs(chain)
		}
	}
	if sl || si {
		tree, err := subtree(tx, p.ID)
		if err != nil {
			return err
		}
		if sl {
			view.Subtree = s.visibleProjects(r, tree)
		} else {
			view.Subtree = subtreeIDs(p.ID, tree)
		}
	}
	return nil
}

func (s *Service) visibleProjects(r *http.Request, ps []*project) []map[string]any {
	out := []map[string]any{}
	for _, a := range ps {
		if a.IsDomain {
			continue
		}
		if s.enforce(r, "identity:get_project", projectPolicyTarget(a)) == nil {
			out = append(out, map[string]any{"project": s.projectView(r, a)})
		}
	}
	return out
}

// nestIDs turns a parent chain (nearest first) into {parent: {grandparent: null}}.
func nestIDs(chain []*project) any {
	var cur any
	for i := len(chain) - 1; i >= 0; i-- {
		cur = map[string]any{chain[i].ID: cur}
	}
	if cur == nil {
		return map[string]any{}
	}
	return cur
}

// subtreeIDs turns a subtree into {child: {grandchild: null}, ...}.
func subtreeIDs(root string, tree []*project) any {
	children := map[string][]string{}
	for _, p := range tree {
		children[p.ParentID] = append(children[p.ParentID], p.ID)
	}
	var build func(id string) any
	build = func(id string) any {
		kids := children[id]
		if len(kids) == 0 {
			return nil
		}
		m := map[string]any{}
		for _, k := range kids {
			m[k] = build(k)
		}
		return m
	}
	if v := build(root); v != nil {
		return v
	}
	return map[string]any{}
}
