package network

import (
	"context"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// portForwardingDict is a port forwarding as its API shows it; the
// one-port attributes are null for a range.
func portForwardingDict(pf *portForwarding) map[string]any {
	return map[string]any{"id": pf.ID, "protocol": pf.Protocol, "internal_port_id": pf.InternalPortID,
		"internal_ip_address": pf.InternalIP, "description": pf.Description,
		"external_port": pf.External.single(), "internal_port": pf.Internal.single(),
		"external_port_range": pf.External.String(), "internal_port_range": pf.Internal.String()}
}

// pfTarget is a policy target: the port forwarding's dict (none on
// create), the body, and its floating IP as the ext_parent rules read it.
func pfTarget(f *floatingIP, pf *portForwarding, item map[string]any) map[string]any {
	m := map[string]any{}
	if pf != nil {
		m = portForwardingDict(pf)
	}
	for k, v := range item {
		m[k] = v
	}
	m["ext_parent:tenant_id"], m["ext_parent_floatingip_id"] = f.ProjectID, f.ID
	return m
}

func (s *Service) listPortForwardings(w http.ResponseWriter, r *http.Request) error {
	lq, err := parseListQuery(r, portForwardingResource)
	if err != nil {
		return err
	}
	var f *floatingIP
	var pfs []*portForwarding
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if f, err = getFloatingIP(tx, r.PathValue("fip_id"), s.scope(r)); err != nil {
			return err
		}
		pfs, err = queryPortForwardings(tx, "floatingip_id = ?", f.ID)
		return err
	}); err != nil {
		return err
	}
	items := []map[string]any{}
	for _, pf := range pfs {
		if ok, _ := s.allowed(r, "get_floatingip_port_forwarding", pfTarget(f, pf, nil), nil); ok {
			items = append(items, portForwardingDict(pf))
		}
	}
	return s.writeList(w, r, portForwardingResource, items, lq, nil)
}

func (s *Service) showPortForwarding(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("pf_id")
	var f *floatingIP
	return showOne(s, w, r, portForwardingResource, func(tx *db.Tx) (pf *portForwarding, err error) {
		if f, err = getFloatingIP(tx, r.PathValue("fip_id"), s.scope(r)); err != nil {
			return nil, err
		}
		return getPortForwarding(tx, f.ID, id)
	}, func(pf *portForwarding) (map[string]any, bool) {
		ok, _ := s.allowed(r, "get_floatingip_port_forwarding", pfTarget(f, pf, nil), nil)
		return portForwardingDict(pf), ok
	}, neutronerr.PortForwardingNotFound(id))
}

func (s *Service) createPortForwardings(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, portForwardingResource, func(tx *db.Tx, item map[string]any) (*portForwarding, []*ml2.Change, error) {
		pf, err := s.insertPortForwardingItem(r, tx, item)
		return pf, nil, err
	}, func(pfs []*portForwarding) {
		for _, pf := range pfs {
			s.notifyForwardingRouters(r.Context(), "", pf.FloatingIPID)
		}
	}, portForwardingDict)
}

// insertPortForwardingItem is create_floatingip_port_forwarding: the
// floating IP, free of a fixed port, takes the router that joins the
// internal address to its network, and keeps it while it forwards.
func (s *Service) insertPortForwardingItem(r *http.Request, tx *db.Tx, item map[string]any) (*portForwarding, error) {
	fipID := r.PathValue("fip_id")
	if err := lockFloatingIP(tx, fipID); err != nil {
		return nil, err
	}
	f, err := getFloatingIP(tx, fipID, s.scope(r))
	if err != nil {
		return nil, err
	}
	if err := s.enforce(r, "create_floatingip_port_forwarding", pfTarget(f, nil, item), nil); err != nil {
		return nil, err
	}
	pf := &portForwarding{ID: s.newID(), FloatingIPID: f.ID}
	applyPortForwardingItem(pf, item)
	if err := applyPortSpans(pf, item, true); err != nil {
		return nil, err
	}
	now := micros(s.now())
	if err := bumpPort(tx, pf.InternalPortID, now); err != nil {
		return nil, err
	}
	if err := checkCollisions(tx, pf); err != nil {
		return nil, err
	}
	if err := checkPortHasNoFloatingIP(tx, pf); err != nil {
		return nil, err
	}
	if f.FixedPortID != "" {
		return nil, neutronerr.FloatingIPPortAlreadyAssociated(f.Address, f.ID, pf.InternalPortID, pf.InternalIP, f.NetworkID)
	}
	if err := s.routeForwarding(r, tx, f, pf); err != nil {
		return nil, err
	}
	if err := bumpFloatingIP(tx, f.ID, now); err != nil {
		return nil, err
	}
	return pf, insertPortForwarding(tx, pf)
}

// applyPortForwardingItem copies the body's protocol, internal port and
// address, and description to pf.
func applyPortForwardingItem(pf *portForwarding, item map[string]any) {
	for key, dst := range map[string]*string{"protocol": &pf.Protocol, "internal_port_id": &pf.InternalPortID,
		"internal_ip_address": &pf.InternalIP, "description": &pf.Description} {
		if v, ok := item[key].(string); ok {
			*dst = v
		}
	}
}

// authorizedPortForwarding locks the floating IP of the path, reads it and
// its port forwarding and checks action on them.
func (s *Service) authorizedPortForwarding(r *http.Request, tx *db.Tx, action string, item map[string]any) (*floatingIP, *portForwarding, error) {
	fipID, id := r.PathValue("fip_id"), r.PathValue("pf_id")
	if err := lockFloatingIP(tx, fipID); err != nil {
		return nil, nil, err
	}
	f, err := getFloatingIP(tx, fipID, s.scope(r))
	if err != nil {
		return nil, nil, err
	}
	pf, err := getPortForwarding(tx, f.ID, id)
	if err != nil {
		return nil, nil, err
	}
	err = s.enforceVisible(r, action, pfTarget(f, pf, item), nil, "get_floatingip_port_forwarding", pfTarget(f, pf, nil),
		neutronerr.PortForwardingNotFound(id))
	return f, pf, err
}

func (s *Service) updatePortForwarding(w http.ResponseWriter, r *http.Request) error {
	items, _, err := s.decodeBody(r, portForwardingResource, false)
	if err != nil {
		return err
	}
	var pf *portForwarding
	var before string // the floating IP's router
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		f, old, err := s.authorizedPortForwarding(r, tx, "update_floatingip_port_forwarding", items[0])
		if err != nil {
			return err
		}
		before = f.RouterID
		pf, err = s.changePortForwarding(r, tx, f, old, items[0])
		return err
	})
	if err != nil {
		return err
	}
	s.notifyForwardingRouters(r.Context(), before, pf.FloatingIPID)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"port_forwarding": portForwardingDict(pf)})
}

// changePortForwarding is update_floatingip_port_forwarding: a new
// internal port must be reachable through the floating IP's router, and
// the result must be an address of the port that collides with nothing.
func (s *Service) changePortForwarding(r *http.Request, tx *db.Tx, f *floatingIP, old *portForwarding, item map[string]any) (*portForwarding, error) {
	pf := *old
	applyPortForwardingItem(&pf, item)
	if err := applyPortSpans(&pf, item, false); err != nil {
		return nil, err
	}
	now := micros(s.now())
	if err := bumpPort(tx, old.InternalPortID, now); err != nil {
		return nil, err
	}
	if pf.InternalPortID != old.InternalPortID {
		if err := s.moveForwarding(r, tx, f, &pf, item, now); err != nil {
			return nil, err
		}
	}
	if err := s.checkUpdatedForwarding(r, tx, f, &pf, item); err != nil {
		return nil, err
	}
	if err := bumpFloatingIP(tx, f.ID, now); err != nil {
		return nil, err
	}
	return &pf, savePortForwarding(tx, &pf)
}

// moveForwarding points pf at a new internal port, at the address the
// body names or the port's first IPv4 one.
func (s *Service) moveForwarding(r *http.Request, tx *db.Tx, f *floatingIP, pf *portForwarding, item map[string]any, now int64) error {
	if err := bumpPort(tx, pf.InternalPortID, now); err != nil {
		return err
	}
	if _, ok := item["internal_ip_address"]; !ok {
		pf.InternalIP = ""
	}
	return s.routeForwarding(r, tx, f, pf)
}

func (s *Service) deletePortForwarding(w http.ResponseWriter, r *http.Request) error {
	var before string // the floating IP's router
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		f, pf, err := s.authorizedPortForwarding(r, tx, "delete_floatingip_port_forwarding", nil)
		if err != nil {
			return err
		}
		before = f.RouterID
		now := micros(s.now())
		if err := bumpPort(tx, pf.InternalPortID, now); err != nil {
			return err
		}
		return dropPortForwardings(tx, []*portForwarding{pf}, now)
	})
	if err != nil {
		return err
	}
	s.notifyRoutersUpdated(r.Context(), before)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// fipForwardingDicts are a floating IP's port_forwardings
// (expose-port-forwarding-in-fip, floating-ip-port-forwarding-detail);
// as upstream, a range has no one-port attributes there.
func fipForwardingDicts(pfs []*portForwarding) []map[string]any {
	out := make([]map[string]any, len(pfs))
	for i, pf := range pfs {
		m := map[string]any{"id": pf.ID, "protocol": pf.Protocol, "internal_ip_address": pf.InternalIP,
			"internal_port_id": pf.InternalPortID}
		if port := pf.External.single(); port != nil {
			m["external_port"] = port
		}
		if port := pf.Internal.single(); port != nil {
			m["internal_port"] = port
		}
		out[i] = m
	}
	return out
}

// checkPortForwardedByDVR is _check_port_has_port_forwarding: a port
// forwarded to through a distributed router takes no floating IP.
func checkPortForwardedByDVR(tx *db.Tx, item map[string]any) error {
	portID, _ := item["port_id"].(string)
	if portID == "" {
		return nil
	}
	dvr, err := tx.Exists(`SELECT 1 FROM network_port_forwardings pf JOIN network_floatingips f ON f.id = pf.floatingip_id
		JOIN network_routers r ON r.id = f.router_id WHERE pf.internal_port_id = ? AND r.distributed = TRUE`, portID)
	if err != nil || !dvr {
		return err
	}
	return neutronerr.PortHasPortForwarding(portID)
}

// notifyForwardingRouters tells the L3 agents that the routers of a
// floating IP whose forwardings changed, before and now, have news.
func (s *Service) notifyForwardingRouters(ctx context.Context, before, fipID string) {
	var now string
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		f, err := getFloatingIP(tx, fipID, "")
		if err == nil {
			now = f.RouterID
		}
		return err
	})
	if err != nil {
		s.log.Warn("reading a floating IP's router", "err", err)
	}
	s.notifyRoutersUpdated(ctx, before, now)
}
