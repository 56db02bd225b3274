package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// ipAvailabilityResource is the network-ip-availability extension's
// attribute map; ip_version only filters (on the subnets).
var ipAvailabilityResource = NewResource("network_ip_availability", "network_ip_availabilities", []Attr{
	{Name: "network_id", Filter: true, Sort: true},
	{Name: "network_name", Filter: true},
	{Name: "tenant_id", Filter: true},
	{Name: "project_id", Filter: true},
	{Name: "total_ips"},
	{Name: "used_ips"},
	{Name: "subnet_ip_availability"},
	{Name: "ip_version", Filter: true, Convert: toInt},
})

func (s *Service) addIPAvailabilityRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/network-ip-availabilities", s.listIPAvailabilities)
	rt.Handle("GET", "/v2.0/network-ip-availabilities/{network_id}", s.showIPAvailability)
}

// ipAvailFilterCols are the SQL columns of the supported filters
// (network_ip_availability_db.SUPPORTED_FILTERS).
var ipAvailFilterCols = map[string]string{"network_id": "n.id", "network_name": "n.name",
	"tenant_id": "n.project_id", "project_id": "n.project_id", "ip_version": "s.ip_version"}

func (s *Service) listIPAvailabilities(w http.ResponseWriter, r *http.Request) error {
	lq, err := parseListQuery(r, ipAvailabilityResource)
	if err != nil {
		return err
	}
	where, args := "1 = 1", []any{}
	for _, k := range lq.filterOrder {
		where += " AND " + ipAvailFilterCols[k] + " IN (" + db.Placeholders(len(lq.filters[k])) + ")"
		args = append(args, lq.filters[k]...)
	}
	lq.filters, lq.filterOrder = nil, nil // applied in SQL
	var nets []map[string]any
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		nets, err = queryIPAvailabilities(tx, where, args)
		return err
	}); err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(nets))
	for _, m := range nets {
		if ok, _ := s.allowed(r, "get_network_ip_availability", m, nil); ok {
			items = append(items, m)
		}
	}
	return s.writeList(w, r, ipAvailabilityResource, items, lq, func(m map[string]any) map[string]any {
		delete(m, "id")
		return m
	})
}

func (s *Service) showIPAvailability(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("network_id")
	var nets []map[string]any
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		nets, err = queryIPAvailabilities(tx, "n.id = ?", []any{id})
		return err
	}); err != nil {
		return err
	}
	if len(nets) == 0 {
		return neutronerr.NetworkNotFound(id)
	}
	m := nets[0]
	if ok, _ := s.allowed(r, "get_network_ip_availability", m, nil); !ok {
		return notFoundResource()
	}
	delete(m, "id")
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"network_ip_availability": selectFields(m, nonEmpty(r.URL.Query()["fields"]))})
}
