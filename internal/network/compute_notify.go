package network

import (
	"context"
	"slices"

	"github.com/monostack/monostack/internal/db"
)

// InstancePortsNow reads an instance's ports as they are now, with the
// floating IPs NATed to their fixed IPs (what Nova's network info holds).
func (s *Service) InstancePortsNow(ctx context.Context, instanceUUID string) ([]BoundPort, error) {
	var out []BoundPort
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		ports, err := queryPorts(tx, "", `p.device_id = ? AND p.device_owner LIKE 'compute:%'`, instanceUUID)
		if err != nil {
			return err
		}
		out = make([]BoundPort, len(ports))
		ids := make([]string, len(ports))
		for i, p := range ports {
			ids[i], out[i] = p.ID, boundPort(p, false)
		}
		floating, err := portFloatingAddresses(tx, ids)
		for i := range out {
			out[i].FloatingIPs = floating[out[i].PortID]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.fillMTU(ctx, out)
}

// portFloatingAddresses are the associated floating IPs of ports, by port.
func portFloatingAddresses(tx *db.Tx, portIDs []string) (map[string][]FloatingAddress, error) {
	out := map[string][]FloatingAddress{}
	if len(portIDs) == 0 {
		return out, nil
	}
	in, args := inClause(portIDs)
	err := eachRow(tx, `SELECT fixed_port_id, fixed_ip_address, floating_ip_address FROM network_floatingips
		WHERE fixed_port_id`+in+` ORDER BY floating_ip_address`, args, func(sc func(...any) error) error {
		var port string
		var a FloatingAddress
		if err := sc(&port, &a.FixedIP, &a.Address); err != nil {
			return err
		}
		out[port] = append(out[port], a)
		return nil
	})
	return out, err
}

// notifyNetworkChanged tells compute that the instances behind ports saw
// their addresses change; ports of no instance are skipped.
func (s *Service) notifyNetworkChanged(ctx context.Context, portIDs ...string) {
	ids := slices.DeleteFunc(slices.Clone(portIDs), func(id string) bool { return id == "" })
	if s.opts.NetworkChanged == nil || len(ids) == 0 {
		return
	}
	var instances []string
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		in, args := inClause(ids)
		instances, err = tx.Strings(`SELECT DISTINCT device_id FROM network_ports
			WHERE id`+in+` AND device_owner LIKE 'compute:%' AND device_id <> '' ORDER BY device_id`, args...)
		return err
	})
	if err != nil {
		s.log.Warn("finding instances for network-changed", "err", err)
		return
	}
	if len(instances) > 0 {
		s.opts.NetworkChanged(context.WithoutCancel(ctx), instances)
	}
}
