package placement

import (
	"fmt"
	"slices"
	"strings"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
)

// maxInt is placement's largest integer (MAX_INT).
const maxInt = 0x7FFFFFFF

// defaultInventory is upstream's INVENTORY_DEFAULTS around total.
func defaultInventory() placementapi.Inventory {
	return placementapi.Inventory{MinUnit: 1, MaxUnit: maxInt, StepSize: 1, AllocationRatio: 1.0}
}

// capacity is what a provider can hand out of an inventory.
func capacity(inv placementapi.Inventory) int {
	return int(float64(inv.Total-inv.Reserved) * inv.AllocationRatio)
}

// loadInventories reads a provider's inventories by class.
func loadInventories(tx *db.Tx, uuid string) (map[string]placementapi.Inventory, error) {
	rows, err := tx.Query("SELECT resource_class, total, reserved, min_unit, max_unit, step_size, allocation_ratio "+
		"FROM placement_inventories WHERE provider_uuid = ?", uuid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]placementapi.Inventory{}
	for rows.Next() {
		var rc string
		var i placementapi.Inventory
		if err := rows.Scan(&rc, &i.Total, &i.Reserved, &i.MinUnit, &i.MaxUnit, &i.StepSize, &i.AllocationRatio); err != nil {
			return nil, err
		}
		out[rc] = i
	}
	return out, rows.Err()
}

// loadUsages sums a provider's allocations by class.
func loadUsages(tx *db.Tx, uuid string) (map[string]int, error) {
	rows, err := tx.Query("SELECT resource_class, SUM(used) FROM placement_allocations WHERE provider_uuid = ? GROUP BY resource_class", uuid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var rc string
		var n int
		if err := rows.Scan(&rc, &n); err != nil {
			return nil, err
		}
		out[rc] = n
	}
	return out, rows.Err()
}

// checkCapacity refuses an inventory whose reserved amount leaves nothing
// (from 1.26 reserved may equal total); "" means fine.
func checkCapacity(rc, rp string, inv placementapi.Inventory, reservedCanBeTotal bool) string {
	if reservedCanBeTotal && capacity(inv) < 0 {
		return fmt.Sprintf("Invalid inventory for '%s' on resource provider '%s'. The reserved value is greater than total.", rc, rp)
	}
	if !reservedCanBeTotal && capacity(inv) <= 0 {
		return fmt.Sprintf("Invalid inventory for '%s' on resource provider '%s'. The reserved value is greater than or equal to total.", rc, rp)
	}
	return ""
}

// upsertInventory writes one inventory row.
func upsertInventory(tx *db.Tx, rp, rc string, i placementapi.Inventory) error {
	_, err := tx.Exec("INSERT INTO placement_inventories (provider_uuid, resource_class, total, reserved, min_unit, max_unit, step_size, allocation_ratio) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider_uuid, resource_class) DO UPDATE SET total = excluded.total, "+
		"reserved = excluded.reserved, min_unit = excluded.min_unit, max_unit = excluded.max_unit, "+
		"step_size = excluded.step_size, allocation_ratio = excluded.allocation_ratio",
		rp, rc, i.Total, i.Reserved, i.MinUnit, i.MaxUnit, i.StepSize, i.AllocationRatio)
	return err
}

// inUseMessage is upstream's InventoryInUse for classes of rp.
func inUseMessage(classes []string, rp string) string {
	return fmt.Sprintf("Inventory for '%s' on resource provider '%s' in use.", strings.Join(classes, ", "), rp)
}

// replaceInventories makes inv the provider's whole inventory: classes it
// drops must have no allocations (409 inventory in use). It does not bump
// the generation.
func replaceInventories(tx *db.Tx, rp string, inv map[string]placementapi.Inventory) error {
	current, err := loadInventories(tx, rp)
	if err != nil {
		return err
	}
	usages, err := loadUsages(tx, rp)
	if err != nil {
		return err
	}
	var dropped, inUse []string
	for rc := range current {
		if _, keep := inv[rc]; !keep {
			dropped = append(dropped, rc)
			if usages[rc] > 0 {
				inUse = append(inUse, rc)
			}
		}
	}
	if len(inUse) > 0 {
		slices.Sort(inUse)
		return conflict("update conflict: "+inUseMessage(inUse, rp), codeInventoryInUse)
	}
	for _, rc := range dropped {
		if _, err := tx.Exec("DELETE FROM placement_inventories WHERE provider_uuid = ? AND resource_class = ?", rp, rc); err != nil {
			return err
		}
	}
	for _, rc := range sortedKeys(inv) {
		if err := upsertInventory(tx, rp, rc, inv[rc]); err != nil {
			return err
		}
	}
	return nil
}

// sortedKeys are a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
