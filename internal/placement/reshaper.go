package placement

import (
	"net/http"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
)

// reshape is POST /reshaper (1.30): inventories of several providers and
// allocations of several consumers replaced in one transaction.
func (s *Service) reshape(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:reshaper:reshape"); err != nil {
		return err
	}
	m, err := jsonObject(r)
	if err != nil {
		return err
	}
	if err := checkKeys(m, []string{"inventories", "allocations"}); err != nil {
		return err
	}
	invs, gens, err := readReshapeInventories(m["inventories"])
	if err != nil {
		return err
	}
	allocs, ok := m["allocations"].(map[string]any)
	if !ok {
		return invalid(repr(m["allocations"]) + " is not of type 'object'")
	}
	puts := map[string]placementapi.AllocationsPut{}
	for _, c := range sortedKeys(allocs) {
		rec, ok := allocs[c].(map[string]any)
		if !ok {
			return invalid(repr(allocs[c]) + " is not of type 'object'")
		}
		if puts[c], err = readConsumerPut(rec, want(r)); err != nil {
			return err
		}
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		for c := range puts {
			if _, err := tx.Exec("DELETE FROM placement_allocations WHERE consumer_uuid = ?", c); err != nil {
				return err
			}
		}
		for _, rp := range sortedKeys(invs) {
			gen := gens[rp]
			if _, err := s.setInventoriesTx(tx, rp, &gen, invs[rp], want(r)); err != nil {
				return err
			}
		}
		return s.writeAllocations(tx, puts, writeOptions{minor: want(r).Minor, post: true})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func readReshapeInventories(v any) (map[string]map[string]placementapi.Inventory, map[string]int, error) {
	raw, ok := v.(map[string]any)
	if !ok {
		return nil, nil, invalid(repr(v) + " is not of type 'object'")
	}
	invs, gens := map[string]map[string]placementapi.Inventory{}, map[string]int{}
	for _, rp := range sortedKeys(raw) {
		rec, ok := raw[rp].(map[string]any)
		if !ok {
			return nil, nil, invalid(repr(raw[rp]) + " is not of type 'object'")
		}
		if err := checkKeys(rec, []string{"inventories", "resource_provider_generation"}); err != nil {
			return nil, nil, err
		}
		g, err := generationOf(rec)
		if err != nil {
			return nil, nil, err
		}
		classes, ok := rec["inventories"].(map[string]any)
		if !ok {
			return nil, nil, invalid(repr(rec["inventories"]) + " is not of type 'object'")
		}
		invs[rp], gens[rp] = map[string]placementapi.Inventory{}, g
		for _, rc := range sortedKeys(classes) {
			one, ok := classes[rc].(map[string]any)
			if !ok {
				return nil, nil, invalid(repr(classes[rc]) + " is not of type 'object'")
			}
			if invs[rp][rc], err = readInventory(one, []string{"total"}); err != nil {
				return nil, nil, err
			}
		}
	}
	return invs, gens, nil
}
