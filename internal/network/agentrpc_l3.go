package network

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/rpc"
)

// syncRouters answers an L3 agent's sync_routers: it first schedules
// routers no agent holds to the host and binds the host's router ports
// there, then answers the host's routers, those in router_ids when given
// (l3_rpc sync_routers; the claim stands in for the L3 agent scheduler).
func (s *Service) syncRouters(ctx context.Context, req *rpc.SyncRouters) (any, error) {
	ids := slices.Compact(slices.Sorted(slices.Values(req.RouterIDs)))
	reply := rpc.SyncRoutersReply{Routers: []rpc.Router{}}
	serves, err := s.scheduleRouters(ctx, req.Host, ids)
	if err != nil || !serves {
		return reply, err
	}
	err = s.db.Read(ctx, func(tx *db.Tx) error {
		reply.Routers = reply.Routers[:0]
		for _, set := range hostRouterSets(req.Host, ids) {
			routers, err := syncData(tx, set)
			if err != nil {
				return err
			}
			reply.Routers = append(reply.Routers, routers...)
		}
		return nil
	})
	return reply, err
}

// scheduleRouters gives host's L3 agent the routers no agent holds (of
// ids, when given) that its zone suits, and binds every port of the
// host's routers to it; false when host has no administratively up L3
// agent, which then holds nothing.
func (s *Service) scheduleRouters(ctx context.Context, host string, ids []string) (bool, error) {
	var serves bool
	var bound rebound
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		serves, bound = false, rebound{}
		a, err := agentByTypeHost(tx, rpc.AgentTypeL3, host)
		if err != nil || a == nil || !a.AdminStateUp {
			return err
		}
		serves = true
		if err := claimRouters(tx, host, deref(a.AZ), ids); err != nil {
			return err
		}
		bound, err = s.bindRouterPorts(tx, host)
		return err
	})
	if err != nil {
		return false, err
	}
	s.announce(ctx, bound)
	return serves, nil
}

// claimRouters sets host on the routers without one, of ids when given,
// whose availability_zone_hints are empty or name zone; the condition on
// l3_host keeps a router another controller claimed first.
func claimRouters(tx *db.Tx, host, zone string, ids []string) error {
	type free struct{ id, hints string }
	routers, err := scanRows(tx, `SELECT id, availability_zone_hints FROM network_routers WHERE l3_host = '' ORDER BY id`, nil,
		func(sc interface{ Scan(...any) error }) (free, error) {
			var f free
			return f, sc.Scan(&f.id, &f.hints)
		})
	if err != nil {
		return err
	}
	for _, r := range routers {
		var hints []string
		if err := json.Unmarshal([]byte(r.hints), &hints); err != nil {
			return err
		}
		if (len(ids) > 0 && !slices.Contains(ids, r.id)) || (len(hints) > 0 && !slices.Contains(hints, zone)) {
			continue
		}
		if _, err := tx.Exec(`UPDATE network_routers SET l3_host = ? WHERE id = ? AND l3_host = ''`, host, r.id); err != nil {
			return err
		}
	}
	return nil
}

// bindRouterPorts binds the interface and gateway ports of host's routers
// that are not bound there yet (l3_rpc _ensure_host_set_on_ports).
func (s *Service) bindRouterPorts(tx *db.Tx, host string) (rebound, error) {
	var bound rebound
	ports, err := queryPorts(tx, "", `p.binding_host_id <> ? AND p.id IN (SELECT rp.port_id FROM network_router_ports rp
		JOIN network_routers r ON r.id = rp.router_id WHERE r.l3_host = ?)`, host, host)
	if err != nil {
		return bound, err
	}
	for _, p := range ports {
		c, err := s.rebindPort(tx, p, p.DeviceID, host)
		if err != nil {
			return bound, err
		}
		bound.add(p, c)
	}
	return bound, nil
}

// updateFloatingIPStatuses records an L3 agent's update_floatingip_statuses
// for floating IPs associated through the router, if the router is on the
// agent's host; the router's floating IPs disassociated since go DOWN
// (l3_rpc update_floatingip_statuses).
func (s *Service) updateFloatingIPStatuses(ctx context.Context, req *rpc.UpdateFloatingIPStatuses) (any, error) {
	return nil, s.db.Write(ctx, func(tx *db.Tx) error {
		hosted, err := tx.Exists(`SELECT 1 FROM network_routers WHERE id = ? AND l3_host = ?`, req.RouterID, req.Host)
		if err != nil || !hosted {
			return err
		}
		now := micros(s.now())
		for _, id := range slices.Sorted(maps.Keys(req.Statuses)) {
			if err := setFloatingIPStatus(tx, req.Statuses[id], now, `id = ? AND router_id = ?`, id, req.RouterID); err != nil {
				return err
			}
		}
		return setFloatingIPStatus(tx, rpc.FloatingIPDown, now, `last_known_router_id = ? AND router_id IS NULL`, req.RouterID)
	})
}

// setFloatingIPStatus sets status on the floating IPs matching where
// whose status differs, a new revision for each.
func setFloatingIPStatus(tx *db.Tx, status string, now int64, where string, args ...any) error {
	_, err := tx.Exec(`UPDATE network_floatingips SET status = ?, updated_at = ?, revision_number = revision_number + 1
		WHERE status <> ? AND `+where, append([]any{status, now, status}, args...)...)
	return err
}
