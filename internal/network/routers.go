package network

import (
	"context"
	"github.com/monostack/monostack/internal/network/rpc"
	"net/http"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) addRouterRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/routers", s.listRouters)
	rt.Handle("POST", "/v2.0/routers", s.createRouter)
	rt.Handle("GET", "/v2.0/routers/{router_id}", s.showRouter)
	rt.Handle("PUT", "/v2.0/routers/{router_id}", s.updateRouter)
	rt.Handle("DELETE", "/v2.0/routers/{router_id}", s.deleteRouter)
	rt.Handle("PUT", "/v2.0/routers/{router_id}/add_router_interface", s.addRouterInterface)
	rt.Handle("PUT", "/v2.0/routers/{router_id}/remove_router_interface", s.removeRouterInterface)
	rt.Handle("PUT", "/v2.0/routers/{router_id}/add_extraroutes", s.addExtraRoutes)
	rt.Handle("PUT", "/v2.0/routers/{router_id}/remove_extraroutes", s.removeExtraRoutes)
}

// routerDict is a router as the API shows it, before policy hides fields.
// routerZones is the router's availability_zones: the zone of the L3
// agent holding it (get_router_availability_zones).
func routerZones(rt *router) []string {
	if rt.AZ == "" {
		return []string{}
	}
	return []string{rt.AZ}
}

func routerDict(rt *router) map[string]any {
	routes := make([]map[string]any, len(rt.Routes))
	for i, r := range rt.Routes {
		routes[i] = map[string]any{"destination": r.Destination, "nexthop": r.Nexthop}
	}
	m := map[string]any{
		"id": rt.ID, "name": rt.Name, "tenant_id": rt.ProjectID, "project_id": rt.ProjectID,
		"admin_state_up": rt.AdminStateUp, "status": rt.Status, "external_gateway_info": gatewayInfo(rt),
		"routes": routes, "distributed": rt.Distributed, "ha": rt.HA,
		"availability_zone_hints": nonNil(rt.AZHints), "availability_zones": routerZones(rt), "flavor_id": nil,
	}
	rt.Std.put(m)
	return m
}

// gatewayInfo is external_gateway_info: null without a gateway.
func gatewayInfo(rt *router) any {
	if rt.GWPortID == "" {
		return nil
	}
	ips := make([]map[string]any, len(rt.GWFixedIPs))
	for i, f := range rt.GWFixedIPs {
		ips[i] = map[string]any{"subnet_id": f.SubnetID, "ip_address": f.IP.String()}
	}
	return map[string]any{"network_id": rt.GWNetworkID, "enable_snat": rt.EnableSNAT, "external_fixed_ips": ips}
}

// hideRouterFields drops what get_router:<attr> rules hide.
func (s *Service) hideRouterFields(r *http.Request) func(map[string]any) map[string]any {
	return func(m map[string]any) map[string]any {
		for k := range s.hiddenFields(r, "get_router", m, routerPolicyAttrs) {
			delete(m, k)
		}
		return m
	}
}

// routerView is what the caller sees of a router.
func (s *Service) routerView(r *http.Request, rt *router) map[string]any {
	return s.hideRouterFields(r)(routerDict(rt))
}

func (s *Service) listRouters(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, routerResource, "get_router", func(tx *db.Tx, scope string) ([]*router, error) {
		return queryRouters(tx, scope, "1 = 1")
	}, routerDict, s.hideRouterFields(r))
}

func (s *Service) showRouter(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("router_id")
	return showOne(s, w, r, routerResource, func(tx *db.Tx) (*router, error) { return getRouter(tx, id, s.scope(r)) },
		func(rt *router) (map[string]any, bool) {
			ok, _ := s.allowed(r, "get_router", routerDict(rt), nil)
			return s.routerView(r, rt), ok
		}, neutronerr.RouterNotFound(id))
}

// readRouter reads a router the caller may see, for tags.
func (s *Service) readRouter(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	rt, err := getRouter(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	m := routerDict(rt)
	if ok, _ := s.allowed(r, "get_router", m, nil); !ok {
		return nil, neutronerr.RouterNotFound(id)
	}
	return m, nil
}

func (s *Service) createRouter(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, routerResource, func(tx *db.Tx, item map[string]any) (*router, []*ml2.Change, error) {
		return s.insertRouterItem(r, tx, item)
	}, func(rts []*router) {
		ids := make([]string, len(rts))
		for i, rt := range rts {
			ids[i] = rt.ID
		}
		s.notifyRoutersUpdated(r.Context(), ids...)
	}, func(rt *router) map[string]any { return s.routerView(r, rt) })
}

// afterRouterChange tells the drivers and agents of committed port
// changes, activates the ports they bound, then tells the L3 agents of
// the routers changed.
func (s *Service) afterRouterChange(ctx context.Context, changes []*ml2.Change, routerIDs ...string) {
	s.postcommit(ctx, changes)
	s.activateBound(ctx, changedBound(changes))
	s.notifyRoutersUpdated(ctx, routerIDs...)
}

// insertRouterItem creates one router and, when asked, its gateway.
func (s *Service) insertRouterItem(r *http.Request, tx *db.Tx, item map[string]any) (*router, []*ml2.Change, error) {
	attrs := append(routerResource.PolicyAttrs(item, true), gatewayPolicyAttrs(item)...)
	if err := s.enforce(r, "create_router", item, attrs); err != nil {
		return nil, nil, err
	}
	now := micros(s.now())
	rt := &router{ID: s.newID(), Status: "ACTIVE", AdminStateUp: true, EnableSNAT: true,
		Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
	rt.ProjectID, _ = item["project_id"].(string)
	rt.AZHints = stringsOf(item["availability_zone_hints"])
	if err := checkAZHints(tx, rpc.AgentTypeL3, rt.AZHints); err != nil {
		return nil, nil, err
	}
	applyRouterItem(rt, item)
	if err := insertRouter(tx, rt); err != nil {
		return nil, nil, err
	}
	gw, ok := item["external_gateway_info"]
	if !ok || parseGateway(gw) == nil {
		return rt, nil, nil
	}
	changes, err := s.setGateway(tx, s.scope(r), rt, parseGateway(gw))
	if err != nil {
		return nil, nil, err
	}
	return rt, changes, saveRouter(tx, rt)
}

// applyRouterItem copies the plain attributes of a body to rt.
func applyRouterItem(rt *router, item map[string]any) {
	if v, ok := item["name"].(string); ok {
		rt.Name = v
	}
	if v, ok := item["description"].(string); ok {
		rt.Std.Description = v
	}
	if v, ok := item["admin_state_up"].(bool); ok {
		rt.AdminStateUp = v
	}
	if v, ok := item["distributed"].(bool); ok {
		rt.Distributed = v
	}
	if v, ok := item["ha"].(bool); ok {
		rt.HA = v
	}
}

func (s *Service) updateRouter(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("router_id")
	items, _, err := s.decodeBody(r, routerResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var rt *router
	var changes []*ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if rt, err = s.authorizedRouter(r, tx, id, "update_router", item); err != nil {
			return err
		}
		if err := checkRevision(r, rt.Std.Revision); err != nil {
			return err
		}
		changes, err = s.applyRouterUpdate(r, tx, rt, item)
		return err
	})
	if err != nil {
		return err
	}
	s.afterRouterChange(r.Context(), changes, rt.ID)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"router": s.routerView(r, rt)})
}

// applyRouterUpdate changes rt as an update body asks and stores it.
func (s *Service) applyRouterUpdate(r *http.Request, tx *db.Tx, rt *router, item map[string]any) ([]*ml2.Change, error) {
	applyRouterItem(rt, item)
	var changes []*ml2.Change
	if gw, ok := item["external_gateway_info"]; ok {
		c, err := s.setGateway(tx, s.scope(r), rt, parseGateway(gw))
		if err != nil {
			return nil, err
		}
		changes = c
	}
	if v, ok := item["routes"]; ok {
		if err := s.replaceRoutes(tx, rt, routesOf(v)); err != nil {
			return nil, err
		}
	}
	rt.Std.UpdatedAt = micros(s.now())
	rt.Std.Revision++
	return changes, saveRouter(tx, rt)
}

// authorizedRouter reads a router and checks action on it; a router the
// caller may not even see is not found.
func (s *Service) authorizedRouter(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*router, error) {
	rt, err := getRouter(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := routerDict(rt)
	for k, v := range item {
		target[k] = v
	}
	var attrs []string
	if item != nil {
		attrs = append(routerResource.PolicyAttrs(item, false), gatewayPolicyAttrs(item)...)
	}
	if err := s.enforceVisible(r, action, target, attrs, "get_router", routerDict(rt), neutronerr.RouterNotFound(id)); err != nil {
		return nil, err
	}
	return rt, nil
}

func (s *Service) deleteRouter(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("router_id")
	var changes []*ml2.Change
	var host string
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		rt, err := s.authorizedRouter(r, tx, id, "delete_router", nil)
		if err != nil {
			return err
		}
		host = rt.Host
		if err := checkRevision(r, rt.Std.Revision); err != nil {
			return err
		}
		attached, err := routerPortIDs(tx, rt.ID, ownerRouterInterface)
		if err != nil {
			return err
		}
		if len(attached) > 0 {
			return neutronerr.RouterInUse(rt.ID, "has ports still attached: "+strings.Join(attached, ", "))
		}
		if changes, err = s.clearGateway(tx, rt); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE network_floatingips SET last_known_router_id = NULL WHERE last_known_router_id = ?`, rt.ID); err != nil {
			return err
		}
		if err := deleteTags(tx, "routers", rt.ID); err != nil {
			return err
		}
		_, err = tx.Exec(`DELETE FROM network_routers WHERE id = ?`, rt.ID)
		return err
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), changes)
	s.notifyRouterDeleted(r.Context(), id, host)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
