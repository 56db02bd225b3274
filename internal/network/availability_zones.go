package network

import (
	"net/http"
	"slices"
	"sort"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
	"github.com/monostack/monostack/internal/network/rpc"
)

// availabilityZoneResource is the availability_zone extension's map.
var availabilityZoneResource = NewResource("availability_zone", "availability_zones", []Attr{
	{Name: "name", Filter: true},
	{Name: "resource", Filter: true},
	{Name: "state", Filter: true},
})

// azResources are the agent types whose zones are listed, by resource.
var azResources = map[string]string{rpc.AgentTypeDHCP: "network", rpc.AgentTypeL3: "router"}

// listAvailabilityZones is GET /v2.0/availability_zones: the zones of DHCP
// (network) and L3 (router) agents, available when one of the zone's
// agents is administratively up (_list_availability_zones).
func (s *Service) listAvailabilityZones(w http.ResponseWriter, r *http.Request) error {
	lq, err := parseListQuery(r, availabilityZoneResource)
	if err != nil {
		return err
	}
	var agents []*agent
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		agents, err = queryAgents(tx, "availability_zone IS NOT NULL AND availability_zone <> ''")
		return err
	}); err != nil {
		return err
	}
	up := map[[2]string]bool{}
	for _, a := range agents {
		if res, ok := azResources[a.Type]; ok {
			key := [2]string{*a.AZ, res}
			up[key] = up[key] || a.AdminStateUp
		}
	}
	items := []map[string]any{}
	for key, ok := range up {
		state := "unavailable"
		if ok {
			state = "available"
		}
		m := map[string]any{"name": key[0], "resource": key[1], "state": state, "tenant_id": projectOf(r)}
		if allowed, _ := s.allowed(r, "get_availability_zone", m, nil); allowed {
			delete(m, "tenant_id")
			items = append(items, m)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		return items[i]["name"].(string)+"/"+items[i]["resource"].(string) < items[j]["name"].(string)+"/"+items[j]["resource"].(string)
	})
	return s.writeList(w, r, availabilityZoneResource, items, lq, nil)
}

// checkAZHints is validate_availability_zones: every hint must be the zone
// of an agent of agentType (DHCP agents for networks, L3 for routers).
func checkAZHints(tx *db.Tx, agentType string, hints []string) error {
	if len(hints) == 0 {
		return nil
	}
	in, args := inClause(hints)
	zones, err := tx.Strings(`SELECT DISTINCT availability_zone FROM network_agents WHERE agent_type = ? AND availability_zone`+in,
		append([]any{agentType}, args...)...)
	if err != nil {
		return err
	}
	for _, h := range hints {
		if !slices.Contains(zones, h) {
			return neutronerr.AvailabilityZoneNotFound(h)
		}
	}
	return nil
}
