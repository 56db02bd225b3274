package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) updateSubnet(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("subnet_id")
	items, _, err := s.decodeBody(r, subnetResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var sub *subnet
	var changes []*ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		var err error
		if sub, err = s.authorizedSubnet(r, tx, id, "update_subnet", item); err != nil {
			return err
		}
		if err := checkRevision(r, sub.Std.Revision); err != nil {
			return err
		}
		changes, err = s.changeSubnet(tx, sub, item)
		return err
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), changes)
	m, _ := s.subnetView(r, sub)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"subnet": m})
}

// changeSubnet applies an update body and keeps the DHCP port in step.
func (s *Service) changeSubnet(tx *db.Tx, sub *subnet, item map[string]any) ([]*ml2.Change, error) {
	if err := checkServiceTypes(item); err != nil {
		return nil, err
	}
	spec, err := subnetSpec(item)
	if err != nil {
		return nil, err
	}
	cur := sub.ipamSubnet()
	next, err := ipam.PrepareUpdate(cur, spec, ipam.DefaultLimits)
	if err != nil {
		return nil, err
	}
	if next.Gateway != cur.Gateway && next.Gateway.IsValid() {
		holder, err := subnetIPInUse(tx, sub.ID, next.Gateway.String())
		if err != nil {
			return nil, err
		}
		if holder != "" {
			return nil, ipam.GatewayIpInUse(next.Gateway.String(), holder)
		}
	}
	original := subnetDict(sub)
	dhcpBefore := sub.EnableDHCP
	sub.Pools, sub.EnableDHCP = next.Pools, next.EnableDHCP
	sub.Gateway = nil
	if next.Gateway.IsValid() {
		sub.Gateway = new(next.Gateway.String())
	}
	if spec.DNSSet {
		sub.DNS = spec.DNS
	}
	if spec.RoutesSet {
		sub.Routes = spec.Routes
	}
	if v, ok := item["service_types"]; ok {
		sub.ServiceTypes = stringsOf(v)
	}
	if v, ok := item["name"].(string); ok {
		sub.Name = v
	}
	if v, ok := item["description"].(string); ok {
		sub.Std.Description = v
	}
	sub.Std.Revision++
	sub.Std.UpdatedAt = micros(s.now())
	if err := saveSubnet(tx, sub); err != nil {
		return nil, err
	}
	n, err := getNetwork(tx, sub.NetworkID, "")
	if err != nil {
		return nil, err
	}
	c := &ml2.Change{Op: ml2.OpUpdate, Kind: ml2.KindSubnet, Current: subnetDict(sub), Original: original, Segments: n.Segments}
	if err := s.mechs.Precommit(tx, c); err != nil {
		return nil, err
	}
	changes := []*ml2.Change{c}
	if dhcpBefore != sub.EnableDHCP {
		pc, err := s.syncDHCPPort(tx, n)
		if err != nil {
			return nil, err
		}
		changes = append(changes, pc...)
	}
	return changes, nil
}

// authorizedSubnet reads a subnet for an update or delete and enforces
// action; a caller that may not see it gets SubnetNotFound.
func (s *Service) authorizedSubnet(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*subnet, error) {
	sub, err := getSubnet(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := subnetTarget(sub)
	for k, v := range item {
		target[k] = v
	}
	var attrs []string
	if item != nil {
		attrs = subnetResource.PolicyAttrs(item, false)
	}
	if err := s.enforceVisible(r, action, target, attrs, "get_subnet", subnetTarget(sub), neutronerr.SubnetNotFound(id)); err != nil {
		return nil, err
	}
	return sub, nil
}

func (s *Service) deleteSubnet(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("subnet_id")
	var changes []*ml2.Change
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		sub, err := s.authorizedSubnet(r, tx, id, "delete_subnet", nil)
		if err != nil {
			return err
		}
		if err := checkRevision(r, sub.Std.Revision); err != nil {
			return err
		}
		changes, err = s.removeSubnet(tx, sub)
		return err
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), changes)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// removeSubnet deletes a subnet no router interface has an address on,
// nor (unless the subnet addresses ports automatically) any user port;
// the DHCP port, and ports' automatic addresses, go first.
func (s *Service) removeSubnet(tx *db.Tx, sub *subnet) ([]*ml2.Change, error) {
	owners, args := inClause(routerInterfaceOwners)
	blocking := `p.device_owner` + owners
	if !sub.isAutoAddress() {
		blocking, args = `p.device_owner <> ?`, []any{ipam.OwnerDHCP}
	}
	inUse, err := tx.Exists(`SELECT 1 FROM network_ip_allocations a JOIN network_ports p ON p.id = a.port_id
		WHERE a.subnet_id = ? AND `+blocking, append([]any{sub.ID}, args...)...)
	if err != nil {
		return nil, err
	}
	if inUse {
		return nil, neutronerr.SubnetInUse(sub.ID, "")
	}
	n, err := getNetwork(tx, sub.NetworkID, "")
	if err != nil {
		return nil, err
	}
	dropped, err := s.dropAutoAddresses(tx, n, sub)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(`DELETE FROM network_ip_allocations WHERE subnet_id = ?`, sub.ID); err != nil {
		return nil, err
	}
	c := &ml2.Change{Op: ml2.OpDelete, Kind: ml2.KindSubnet, Current: subnetDict(sub), Segments: n.Segments}
	if err := s.mechs.Precommit(tx, c); err != nil {
		return nil, err
	}
	if err := deleteTags(tx, "subnets", sub.ID); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(`DELETE FROM network_subnets WHERE id = ?`, sub.ID); err != nil {
		return nil, err
	}
	pc, err := s.syncDHCPPort(tx, n)
	return append(append(dropped, c), pc...), err
}
