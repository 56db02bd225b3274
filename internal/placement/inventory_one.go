package placement

import (
	"fmt"
	"net/http"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// createInventory is POST /resource_providers/{uuid}/inventories.
func (s *Service) createInventory(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:inventories:create"); err != nil {
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
	inv, err := readInventory(m, []string{"total", "resource_class"}, "resource_provider_generation")
	if err != nil {
		return err
	}
	if _, has := m["resource_provider_generation"]; has {
		if _, err := generationOf(m); err != nil {
			return err
		}
	}
	rc, err := patternValue(m["resource_class"], namePattern)
	if err != nil {
		return err
	}
	var p *provider
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = mustProvider(tx, uuid); err != nil {
			return err
		}
		ok, err := classExists(tx, rc)
		if err != nil {
			return err
		}
		if !ok {
			return badRequest(fmt.Sprintf("Unable to create inventory for resource provider %s: No such resource class %s.", uuid, rc))
		}
		if err := validInventory(uuid, rc, inv, want(r), "create"); err != nil {
			return err
		}
		current, err := loadInventories(tx, uuid)
		if err != nil {
			return err
		}
		if _, dup := current[rc]; dup {
			return concurrentUpdate("Update conflict: Inventory for '" + rc + "' on resource provider '" + uuid + "' already exists.")
		}
		if err := upsertInventory(tx, uuid, rc, inv); err != nil {
			return err
		}
		return s.bumpGeneration(tx, p)
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/resource_providers/"+uuid+"/inventories/"+rc)
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusCreated, inventoryView(inv, &p.Generation))
}

// updateInventory is PUT /resource_providers/{uuid}/inventories/{rc}.
func (s *Service) updateInventory(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:inventories:update"); err != nil {
		return err
	}
	uuid, rc := r.PathValue("uuid"), r.PathValue("resource_class")
	if err := s.providerExists(r, uuid); err != nil {
		return err
	}
	m, err := jsonObject(r)
	if err != nil {
		return err
	}
	inv, err := readInventory(m, []string{"total", "resource_provider_generation"})
	if err != nil {
		return err
	}
	gen, err := generationOf(m)
	if err != nil {
		return err
	}
	var p *provider
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = mustProvider(tx, uuid); err != nil {
			return err
		}
		if gen != p.Generation {
			return concurrentUpdate("resource provider generation conflict")
		}
		if err := validInventory(uuid, rc, inv, want(r), "update"); err != nil {
			return err
		}
		current, err := loadInventories(tx, uuid)
		if err != nil {
			return err
		}
		if _, ok := current[rc]; !ok {
			return badRequest(fmt.Sprintf("No inventory record with resource class for resource provider %s: No inventory of class %s found.", uuid, rc))
		}
		if err := upsertInventory(tx, uuid, rc, inv); err != nil {
			return err
		}
		return s.bumpGeneration(tx, p)
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, inventoryView(inv, &p.Generation))
}

// deleteInventory is DELETE /resource_providers/{uuid}/inventories/{rc}.
func (s *Service) deleteInventory(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:inventories:delete"); err != nil {
		return err
	}
	uuid, rc := r.PathValue("uuid"), r.PathValue("resource_class")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := mustProvider(tx, uuid)
		if err != nil {
			return err
		}
		current, err := loadInventories(tx, uuid)
		if err != nil {
			return err
		}
		if _, ok := current[rc]; !ok {
			return notFound(fmt.Sprintf("No inventory of class %s found for delete: No inventory of class %s found for delete", rc, rc))
		}
		used, err := loadUsages(tx, uuid)
		if err != nil {
			return err
		}
		if used[rc] > 0 {
			return concurrentUpdate(fmt.Sprintf("Unable to delete inventory of class %s: %s", rc, inUseMessage([]string{rc}, uuid)))
		}
		if _, err := tx.Exec("DELETE FROM placement_inventories WHERE provider_uuid = ? AND resource_class = ?", uuid, rc); err != nil {
			return err
		}
		return s.bumpGeneration(tx, p)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteInventories is DELETE /resource_providers/{uuid}/inventories (1.5).
func (s *Service) deleteInventories(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:inventories:delete"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := mustProvider(tx, uuid)
		if err != nil {
			return err
		}
		if err := replaceInventories(tx, uuid, map[string]placementapi.Inventory{}); err != nil {
			if codeOf(err) == codeInventoryInUse {
				current, _ := loadInventories(tx, uuid)
				used, _ := loadUsages(tx, uuid)
				var inUse []string
				for _, rc := range sortedKeys(current) {
					if used[rc] > 0 {
						inUse = append(inUse, rc)
					}
				}
				return conflict(inUseMessage(inUse, uuid), codeInventoryInUse)
			}
			return err
		}
		return s.bumpGeneration(tx, p)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
