package identity

import (
	"encoding/json"

	"github.com/monostack/monostack/internal/db"
)

// endpointGroupMembers lists the ids of the endpoints an endpoint group's
// filters (service_id, interface, region_id) select.
func endpointGroupMembers(tx *db.Tx, groupID string) ([]string, error) {
	var raw string
	if err := tx.QueryRow("SELECT filters FROM identity_endpoint_groups WHERE id = ?", groupID).Scan(&raw); err != nil {
		return nil, err
	}
	var filters map[string]string
	if err := json.Unmarshal([]byte(raw), &filters); err != nil {
		return nil, err
	}
	q := db.NewQuery("SELECT id FROM identity_endpoints")
	for _, k := range []string{"service_id", "interface", "region_id"} {
		if v, ok := filters[k]; ok {
			q.Where(k+" = ?", v)
		}
	}
	stmt, args := q.OrderBy("id").SQL()
	return tx.Strings(stmt, args...)
}
