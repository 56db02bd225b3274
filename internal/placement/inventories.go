package placement

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// maxFloat is placement's largest allocation ratio (SQL_SP_FLOAT_MAX).
const maxFloat = 3.40282e+38

// inventoryView is one inventory, with the generation when asked.
func inventoryView(i placementapi.Inventory, gen *int) map[string]any {
	out := map[string]any{"total": i.Total, "reserved": i.Reserved, "min_unit": i.MinUnit, "max_unit": i.MaxUnit,
		"step_size": i.StepSize, "allocation_ratio": i.AllocationRatio}
	if gen != nil {
		out["resource_provider_generation"] = *gen
	}
	return out
}

// readInventory reads one inventory record over the defaults.
func readInventory(m map[string]any, required []string, extra ...string) (placementapi.Inventory, error) {
	inv := defaultInventory()
	allowed := append([]string{"total", "reserved", "min_unit", "max_unit", "step_size", "allocation_ratio"}, extra...)
	if err := checkKeys(m, required, allowed...); err != nil {
		return inv, err
	}
	fields := []struct {
		key string
		dst *int
		min int64
	}{{"total", &inv.Total, 1}, {"reserved", &inv.Reserved, 0}, {"min_unit", &inv.MinUnit, 1},
		{"max_unit", &inv.MaxUnit, 1}, {"step_size", &inv.StepSize, 1}}
	for _, f := range fields {
		if v, ok := m[f.key]; ok {
			n, err := intValue(v, f.min, maxInt)
			if err != nil {
				return inv, err
			}
			*f.dst = n
		}
	}
	if v, ok := m["allocation_ratio"]; ok {
		n, isNum := v.(json.Number)
		f, err := strconv.ParseFloat(string(n), 64)
		if !isNum || err != nil {
			return inv, invalid(repr(v) + " is not of type 'number'")
		}
		if f > maxFloat {
			return inv, invalid(fmt.Sprintf("%s is greater than the maximum of 3.40282e+38", n))
		}
		inv.AllocationRatio = f
	}
	return inv, nil
}

// validInventory is make_inventory_object's and the capacity checks' 400.
func validInventory(rp, rc string, inv placementapi.Inventory, v httpx.Microversion, verb string) error {
	if msg := checkCapacity(rc, rp, inv, v.AtLeast(26)); msg != "" {
		return badRequest(fmt.Sprintf("Unable to %s inventory for resource provider %s: %s", verb, rp, msg))
	}
	return nil
}

func (s *Service) listInventories(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:inventories:list"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	var p *provider
	var inv map[string]placementapi.Inventory
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = findProvider(tx, uuid); err != nil || p == nil {
			return err
		}
		inv, err = loadInventories(tx, uuid)
		return err
	})
	if err != nil {
		return err
	}
	if p == nil {
		return notFound(fmt.Sprintf("No resource provider with uuid %s found : No resource provider with uuid %s found", uuid, uuid))
	}
	return s.sendInventories(w, r, p, inv)
}

func (s *Service) sendInventories(w http.ResponseWriter, r *http.Request, p *provider, inv map[string]placementapi.Inventory) error {
	out := map[string]any{}
	for rc, i := range inv {
		out[rc] = inventoryView(i, nil)
	}
	cacheHeaders(w, r, p.Updated)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"resource_provider_generation": p.Generation, "inventories": out})
}

func (s *Service) showInventory(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:inventories:show"); err != nil {
		return err
	}
	uuid, rc := r.PathValue("uuid"), r.PathValue("resource_class")
	var p *provider
	var inv map[string]placementapi.Inventory
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = findProvider(tx, uuid); err != nil || p == nil {
			return err
		}
		inv, err = loadInventories(tx, uuid)
		return err
	})
	if err != nil {
		return err
	}
	if p == nil {
		return notFound(fmt.Sprintf("No resource provider with uuid %s found : No resource provider with uuid %s found", uuid, uuid))
	}
	i, ok := inv[rc]
	if !ok {
		return notFound(fmt.Sprintf("No inventory of class %s for %s", rc, uuid))
	}
	cacheHeaders(w, r, p.Updated)
	return httpx.WriteJSON(w, http.StatusOK, inventoryView(i, &p.Generation))
}

// generationOf reads resource_provider_generation from a body.
func generationOf(m map[string]any) (int, error) {
	return intValue(m["resource_provider_generation"], -1<<62, 1<<62)
}

// putInventories is PUT /resource_providers/{uuid}/inventories.
func (s *Service) putInventories(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:inventories:update"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	if err := s.providerExists(r, uuid); err != nil {
		return err
	}
	m, err := jsonObject(r)
	if err != nil {
		return err
	}
	if err := checkKeys(m, []string{"resource_provider_generation", "inventories"}); err != nil {
		return err
	}
	gen, err := generationOf(m)
	if err != nil {
		return err
	}
	raw, ok := m["inventories"].(map[string]any)
	if !ok {
		return invalid(repr(m["inventories"]) + " is not of type 'object'")
	}
	inv := map[string]placementapi.Inventory{}
	for _, rc := range sortedKeys(raw) {
		rec, ok := raw[rc].(map[string]any)
		if !namePattern.MatchString(rc) {
			return invalid("Additional properties are not allowed (" + repr(rc) + " was unexpected)")
		}
		if !ok {
			return invalid(repr(raw[rc]) + " is not of type 'object'")
		}
		if inv[rc], err = readInventory(rec, []string{"total"}); err != nil {
			return err
		}
	}
	var p *provider
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		p, err = s.setInventoriesTx(tx, uuid, &gen, inv, want(r))
		return err
	})
	if err != nil {
		return err
	}
	return s.sendInventories(w, r, p, inv)
}

// providerExists is the 404 upstream gives before reading a body.
func (s *Service) providerExists(r *http.Request, uuid string) error {
	return s.db.Read(r.Context(), func(tx *db.Tx) error {
		_, err := mustProvider(tx, uuid)
		return err
	})
}

// setInventoriesTx replaces a provider's inventories, checking the
// generation when given, and bumps it.
func (s *Service) setInventoriesTx(tx *db.Tx, uuid string, gen *int, inv map[string]placementapi.Inventory, v httpx.Microversion) (*provider, error) {
	p, err := mustProvider(tx, uuid)
	if err != nil {
		return nil, err
	}
	if gen != nil && *gen != p.Generation {
		return nil, concurrentUpdate("resource provider generation conflict")
	}
	for _, rc := range sortedKeys(inv) {
		ok, err := classExists(tx, rc)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, badRequest(fmt.Sprintf("Unknown resource class in inventory for resource provider %s: No such resource class %s.", uuid, rc))
		}
		if err := validInventory(uuid, rc, inv[rc], v, "update"); err != nil {
			return nil, err
		}
	}
	if err := replaceInventories(tx, uuid, inv); err != nil {
		return nil, err
	}
	return p, s.bumpGeneration(tx, p)
}
