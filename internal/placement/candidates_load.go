package placement

import (
	"database/sql"
	"slices"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
)

// snapshot is every provider with its inventories, usage, traits and
// aggregates, read with one query per table and assembled in memory, which
// is what GET /allocation_candidates works on.
type snapshot struct {
	providers []*rpNode // in creation order
	byUUID    map[string]*rpNode
	children  map[string][]*rpNode // by root uuid: the whole tree, in order
}

// rpNode is one provider in a snapshot.
type rpNode struct {
	UUID       string
	Generation int
	Parent     *string
	Root       string
	Inventory  map[string]placementapi.Inventory
	Used       map[string]int
	Traits     map[string]bool
	Aggregates map[string]bool
}

// free is what the provider can still hand out of class rc.
func (n *rpNode) free(rc string) int {
	inv, ok := n.Inventory[rc]
	if !ok {
		return 0
	}
	return capacity(inv) - n.Used[rc]
}

// fits says whether amount of rc can come from this provider alone.
func (n *rpNode) fits(rc string, amount int) bool {
	inv, ok := n.Inventory[rc]
	return ok && amount >= inv.MinUnit && amount <= inv.MaxUnit && amount%inv.StepSize == 0 && n.free(rc) >= amount
}

// loadSnapshot reads the providers (and with traits/aggregates only when
// asked, as only some queries need them).
func loadSnapshot(tx *db.Tx, withTraits, withAggregates bool) (*snapshot, error) {
	s := &snapshot{byUUID: map[string]*rpNode{}, children: map[string][]*rpNode{}}
	if err := s.loadProviders(tx); err != nil {
		return nil, err
	}
	if err := s.loadInventory(tx); err != nil {
		return nil, err
	}
	if err := s.loadUsage(tx); err != nil {
		return nil, err
	}
	if withTraits {
		if err := s.loadPairs(tx, "SELECT provider_uuid, trait FROM placement_provider_traits", func(n *rpNode, v string) {
			if n.Traits == nil {
				n.Traits = map[string]bool{}
			}
			n.Traits[v] = true
		}); err != nil {
			return nil, err
		}
	}
	if withAggregates {
		if err := s.loadPairs(tx, "SELECT provider_uuid, aggregate_uuid FROM placement_provider_aggregates", func(n *rpNode, v string) {
			if n.Aggregates == nil {
				n.Aggregates = map[string]bool{}
			}
			n.Aggregates[v] = true
		}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *snapshot) loadProviders(tx *db.Tx) error {
	rows, err := tx.Query("SELECT uuid, generation, parent_uuid, root_uuid FROM placement_providers ORDER BY seq, uuid")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		n := &rpNode{}
		var parent sql.NullString
		if err := rows.Scan(&n.UUID, &n.Generation, &parent, &n.Root); err != nil {
			return err
		}
		if parent.Valid {
			n.Parent = &parent.String
		}
		n.Inventory, n.Used = map[string]placementapi.Inventory{}, map[string]int{}
		s.providers = append(s.providers, n)
		s.byUUID[n.UUID] = n
		s.children[n.Root] = append(s.children[n.Root], n)
	}
	return rows.Err()
}

func (s *snapshot) loadInventory(tx *db.Tx) error {
	rows, err := tx.Query("SELECT provider_uuid, resource_class, total, reserved, min_unit, max_unit, step_size, allocation_ratio FROM placement_inventories")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rp, rc string
		var i placementapi.Inventory
		if err := rows.Scan(&rp, &rc, &i.Total, &i.Reserved, &i.MinUnit, &i.MaxUnit, &i.StepSize, &i.AllocationRatio); err != nil {
			return err
		}
		if n := s.byUUID[rp]; n != nil {
			n.Inventory[rc] = i
		}
	}
	return rows.Err()
}

func (s *snapshot) loadUsage(tx *db.Tx) error {
	rows, err := tx.Query("SELECT provider_uuid, resource_class, SUM(used) FROM placement_allocations GROUP BY provider_uuid, resource_class")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rp, rc string
		var used int
		if err := rows.Scan(&rp, &rc, &used); err != nil {
			return err
		}
		if n := s.byUUID[rp]; n != nil {
			n.Used[rc] = used
		}
	}
	return rows.Err()
}

func (s *snapshot) loadPairs(tx *db.Tx, q string, add func(*rpNode, string)) error {
	rows, err := tx.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rp, v string
		if err := rows.Scan(&rp, &v); err != nil {
			return err
		}
		if n := s.byUUID[rp]; n != nil {
			add(n, v)
		}
	}
	return rows.Err()
}

// sortedTraits are a node's traits in order.
func (n *rpNode) sortedTraits() []string {
	out := make([]string, 0, len(n.Traits))
	for t := range n.Traits {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
