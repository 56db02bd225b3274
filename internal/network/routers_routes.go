package network

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// maxRoutes is Neutron's max_routes default.
const maxRoutes = 30

// routesOf reads a validated routes list, duplicates merged.
func routesOf(v any) []extraRoute {
	var out []extraRoute
	list, _ := v.([]any)
	for _, e := range list {
		m, _ := e.(map[string]any)
		d, _ := m["destination"].(string)
		n, _ := m["nexthop"].(string)
		r := extraRoute{d, n}
		if !containsRoute(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func containsRoute(list []extraRoute, r extraRoute) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

// routesRepr is Python's repr of a routes list, as upstream messages show it.
func routesRepr(routes []extraRoute) string {
	parts := make([]string, len(routes))
	for i, r := range routes {
		parts[i] = "{'destination': '" + r.Destination + "', 'nexthop': '" + r.Nexthop + "'}"
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// replaceRoutes is _update_extra_routes: every nexthop on a subnet the
// router is connected to and not one of its own addresses.
func (s *Service) replaceRoutes(tx *db.Tx, rt *router, routes []extraRoute) error {
	if len(routes) > maxRoutes {
		return neutronerr.RoutesExhausted(rt.ID, maxRoutes)
	}
	ports, err := queryPorts(tx, "", `p.device_id = ?`, rt.ID)
	if err != nil {
		return err
	}
	var cidrs []netip.Prefix
	own := map[netip.Addr]bool{}
	for _, p := range ports {
		for _, f := range p.FixedIPs {
			sub, err := getSubnet(tx, f.SubnetID, "")
			if err != nil {
				return err
			}
			cidrs, own[f.IP] = append(cidrs, netip.MustParsePrefix(sub.CIDR)), true
		}
	}
	for _, r := range routes {
		hop, _ := netip.ParseAddr(r.Nexthop)
		if !anyContains(cidrs, hop) {
			return neutronerr.InvalidRoutes(routesRepr(routes), "the nexthop is not connected with router")
		}
		if own[hop] {
			return neutronerr.InvalidRoutes(routesRepr(routes), "the nexthop is used by router")
		}
	}
	rt.Routes = routes
	return writeRoutes(tx, rt)
}

func anyContains(cidrs []netip.Prefix, a netip.Addr) bool {
	for _, c := range cidrs {
		if c.Contains(a) {
			return true
		}
	}
	return false
}

func (s *Service) addExtraRoutes(w http.ResponseWriter, r *http.Request) error {
	return s.editRoutes(w, r, "add_extraroutes", func(old, given []extraRoute) []extraRoute {
		out := append([]extraRoute(nil), old...)
		for _, g := range given {
			if !containsRoute(out, g) {
				out = append(out, g)
			}
		}
		return out
	})
}

func (s *Service) removeExtraRoutes(w http.ResponseWriter, r *http.Request) error {
	return s.editRoutes(w, r, "remove_extraroutes", func(old, given []extraRoute) []extraRoute {
		var out []extraRoute
		for _, o := range old {
			if !containsRoute(given, o) {
				out = append(out, o)
			}
		}
		return out
	})
}

// editRoutes answers add/remove_extraroutes ({"router": {"routes": [...]}}).
func (s *Service) editRoutes(w http.ResponseWriter, r *http.Request, action string, merge func(old, given []extraRoute) []extraRoute) error {
	id := r.PathValue("router_id")
	var body map[string]map[string]any
	if err := httpx.DecodeJSON(r, &body); err != nil || body["router"] == nil {
		return neutronerr.New("MalformedRequestBody", "Malformed request body: Cannot understand JSON")
	}
	given := body["router"]["routes"]
	if msg := ipam.ValidateHostRoutesAttr(given); msg != "" {
		return neutronerr.InvalidInput("Invalid input for routes. Reason: " + msg + ".")
	}
	var rt *router
	err := s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if rt, err = s.authorizedRouter(r, tx, id, action, nil); err != nil {
			return err
		}
		if err := s.replaceRoutes(tx, rt, merge(rt.Routes, routesOf(given))); err != nil {
			return err
		}
		rt.Std.UpdatedAt, rt.Std.Revision = micros(s.now()), rt.Std.Revision+1
		return saveRouter(tx, rt)
	})
	if err != nil {
		return err
	}
	s.notifyRoutersUpdated(r.Context(), rt.ID)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"router": s.routerView(r, rt)})
}
