package network

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func itoa(n int) string { return strconv.Itoa(n) }

func (s *Service) updateNetwork(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("network_id")
	items, _, err := s.decodeBody(r, networkResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var n *network
	var change *ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		var err error
		if n, err = s.authorizedNetwork(r, tx, id, "update_network", item); err != nil {
			return err
		}
		if err := checkRevision(r, n.Std.Revision); err != nil {
			return err
		}
		original := networkDict(n)
		if err := s.applyNetworkUpdate(tx, n, item); err != nil {
			return err
		}
		if err := s.bindNetworkQoS(r, tx, n, item, false); err != nil {
			return err
		}
		change = &ml2.Change{Op: ml2.OpUpdate, Kind: ml2.KindNetwork, Current: networkDict(n), Original: original, Segments: n.Segments}
		return s.mechs.Precommit(tx, change)
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), []*ml2.Change{change})
	m := networkDict(n)
	for k := range s.hiddenFields(r, "get_network", m, networkPolicyAttrs) {
		delete(m, k)
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"network": m})
}

// authorizedNetwork reads a network for an update or delete and enforces
// action; a caller that may not even see it gets NetworkNotFound (the
// policy hook's 404), one that may see it PolicyNotAuthorized.
func (s *Service) authorizedNetwork(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*network, error) {
	n, err := getNetwork(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := networkDict(n)
	for k, v := range item {
		target[k] = v
	}
	var attrs []string
	if item != nil {
		attrs = networkResource.PolicyAttrs(item, false)
	}
	if err := s.enforceVisible(r, action, target, attrs, "get_network", networkDict(n), neutronerr.NetworkNotFound(id)); err != nil {
		return nil, err
	}
	return n, nil
}

// applyNetworkUpdate changes n as an update body asks and stores it.
func (s *Service) applyNetworkUpdate(tx *db.Tx, n *network, item map[string]any) error {
	n.Std.UpdatedAt = micros(s.now())
	if err := s.updateNetworkSharing(tx, n, item); err != nil {
		return err
	}
	applyNetworkItem(n, item, false)
	if segs, ok := item["segments"]; ok && segs != nil {
		return neutronerr.InvalidInput("Plugin does not support updating network segments")
	}
	if err := s.updateProvider(tx, n, item); err != nil {
		return err
	}
	if mtu, ok := item["mtu"].(int64); ok {
		n.MTU = 0
		if err := s.fitMTU(n, map[string]any{"mtu": mtu}); err != nil {
			return err
		}
	}
	n.Std.Revision++
	return saveNetwork(tx, n)
}

func (s *Service) deleteNetwork(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("network_id")
	var change *ml2.Change
	var cascaded []*ml2.Change
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		n, err := s.authorizedNetwork(r, tx, id, "delete_network", nil)
		if err != nil {
			return err
		}
		if err := checkRevision(r, n.Std.Revision); err != nil {
			return err
		}
		if cascaded, err = s.removeNetworkChildren(tx, n); err != nil {
			return err
		}
		change = &ml2.Change{Op: ml2.OpDelete, Kind: ml2.KindNetwork, Current: networkDict(n), Segments: n.Segments}
		if err := s.mechs.Precommit(tx, change); err != nil {
			return err
		}
		return s.removeNetwork(tx, n)
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), append(cascaded, change))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// removeNetwork deletes a network, releasing its segments and tags.
func (s *Service) removeNetwork(tx *db.Tx, n *network) error {
	if err := s.types.Release(tx, n.Segments); err != nil {
		return err
	}
	for _, seg := range n.Segments {
		if err := deleteTags(tx, "segments", seg.ID); err != nil {
			return err
		}
	}
	if err := deleteTags(tx, "networks", n.ID); err != nil {
		return err
	}
	if err := deleteObjectRBAC(tx, "network", n.ID, "", ""); err != nil {
		return err
	}
	_, err := tx.Exec(`DELETE FROM network_networks WHERE id = ?`, n.ID)
	return err
}

// autoDeleteOwners are the ports a network delete removes itself
// (AUTO_DELETE_PORT_OWNERS); any other port keeps the network in use.
var autoDeleteOwners = []any{ipam.OwnerDHCP, ipam.OwnerDistributed, "network:floatingip_agent_gateway"}

// removeNetworkChildren refuses a network with user ports, then deletes
// its automatic ports and its subnets.
func (s *Service) removeNetworkChildren(tx *db.Tx, n *network) ([]*ml2.Change, error) {
	fipChanges, err := s.deleteDisassociatedFloatingIPs(tx, n.ID)
	if err != nil {
		return nil, err
	}
	ports, err := queryPorts(tx, "", `p.network_id = ?`, n.ID)
	if err != nil {
		return nil, err
	}
	var busy []string
	for _, p := range ports {
		if !slices.Contains(autoDeleteOwners, any(p.Owner)) {
			busy = append(busy, p.ID)
		}
	}
	if len(busy) > 0 {
		return nil, neutronerr.NetworkInUse(n.ID, "There are one or more ports still in use on the network, id for these ports is: "+strings.Join(busy, ","))
	}
	changes := fipChanges
	for _, p := range ports {
		c, err := s.removePort(tx, p, n.Segments)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	subs, err := networkSubnetRows(tx, n.ID)
	if err != nil {
		return nil, err
	}
	for _, sub := range subs {
		c, err := s.removeSubnet(tx, sub)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c...)
	}
	return changes, nil
}
