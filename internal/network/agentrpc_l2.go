package network

import (
	"context"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/rpc"
)

// getDevices answers an L2 agent's get_devices: the ports bound to its
// host with their bound segment (get_devices_details_list_and_failed_devices).
func (s *Service) getDevices(ctx context.Context, req *rpc.GetDevices) (any, error) {
	var reply rpc.DevicesReply
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		reply = rpc.DevicesReply{Devices: []rpc.DeviceDetails{}}
		ports, err := hostPorts(tx, req.Host, req.Devices)
		if err != nil {
			return err
		}
		nets := networkCache{}
		found := map[string]bool{}
		for _, p := range ports {
			n, err := nets.get(tx, p.NetworkID)
			if err != nil {
				return err
			}
			seg, ok := s.boundSegment(p, n.Segments)
			if p.Host != req.Host || !ok {
				continue
			}
			found[p.ID] = true
			reply.Devices = append(reply.Devices, deviceDetails(p, n, seg))
		}
		for _, id := range req.Devices {
			if !found[id] {
				reply.Unknown = append(reply.Unknown, id)
			}
		}
		return nil
	})
	return reply, err
}

// hostPorts reads the ports with the given ids, or every port bound to
// host when ids is empty.
func hostPorts(tx *db.Tx, host string, ids []string) ([]*port, error) {
	if len(ids) == 0 {
		return queryPorts(tx, "", `p.binding_host_id = ?`, host)
	}
	var out []*port
	for _, chunk := range chunks(ids, 500) {
		in, args := inClause(chunk)
		ports, err := queryPorts(tx, "", `p.id`+in, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, ports...)
	}
	return out, nil
}

// networkCache reads each network once per request.
type networkCache map[string]*network

func (c networkCache) get(tx *db.Tx, id string) (*network, error) {
	if n, ok := c[id]; ok {
		return n, nil
	}
	n, err := getNetwork(tx, id, "")
	if err != nil {
		return nil, err
	}
	c[id] = n
	return n, nil
}

// boundSegment is the segment a bound port uses: the one the mechanism
// drivers pick for it, else the network's first; false when unbound.
func (s *Service) boundSegment(p *port, segs []ml2.Segment) (ml2.Segment, bool) {
	if p.Host == "" || p.VIFType == "unbound" || p.VIFType == "binding_failed" || len(segs) == 0 {
		return ml2.Segment{}, false
	}
	if b, ok := s.mechs.Bind(p.Host, p.VNICType, portDict(p), segs); ok {
		for _, seg := range segs {
			if seg.ID == b.SegmentID {
				return seg, true
			}
		}
	}
	return segs[0], true
}

// rpcSegment is a segment as agents see it.
func rpcSegment(seg ml2.Segment) rpc.Segment {
	out := rpc.Segment{NetworkType: seg.Type, PhysicalNetwork: seg.PhysNet}
	if seg.HasID {
		out.SegmentationID = int(seg.SegID)
	}
	return out
}

// deviceDetails is what an L2 agent needs to wire p.
func deviceDetails(p *port, n *network, seg ml2.Segment) rpc.DeviceDetails {
	return rpc.DeviceDetails{Device: p.ID, PortID: p.ID, NetworkID: p.NetworkID, Segment: rpcSegment(seg),
		MTU: n.MTU, MACAddress: p.MAC, FixedIPs: rpcFixedIPs(p.FixedIPs), AdminStateUp: p.AdminStateUp,
		DeviceOwner: p.Owner, DeviceID: p.DeviceID, PortSecurityEnabled: p.PortSecurity,
		SecurityGroups: nonNil(p.SecurityGroups), AllowedAddressPairs: rpcPairs(p.Pairs),
		RevisionNumber: p.Std.Revision}
}

func rpcFixedIPs(fixed []fixedIP) []rpc.FixedIP {
	out := make([]rpc.FixedIP, len(fixed))
	for i, f := range fixed {
		out[i] = rpc.FixedIP{SubnetID: f.SubnetID, IPAddress: f.IP.String()}
	}
	return out
}

func rpcPairs(pairs []addressPair) []rpc.AddressPair {
	out := make([]rpc.AddressPair, len(pairs))
	for i, ap := range pairs {
		out[i] = rpc.AddressPair{IPAddress: ap.IP, MACAddress: ap.MAC}
	}
	return out
}

// updateDevices records an L2 agent's update_device_list: up ports ACTIVE,
// down ports DOWN; a report for a port bound elsewhere or gone changes
// nothing (update_device_up/down).
func (s *Service) updateDevices(ctx context.Context, req *rpc.UpdateDevices) (any, error) {
	reply := rpc.UpdateDevicesReply{DevicesUp: []string{}, FailedDevicesUp: []string{},
		DevicesDown: []string{}, FailedDevicesDown: []string{}}
	moved := map[string]bool{} // tunnelled networks whose endpoints changed
	for _, r := range []struct {
		ids          []string
		status       string
		done, failed *[]string
	}{
		{req.DevicesUp, rpc.PortStatusActive, &reply.DevicesUp, &reply.FailedDevicesUp},
		{req.DevicesDown, rpc.PortStatusDown, &reply.DevicesDown, &reply.FailedDevicesDown},
	} {
		for _, id := range r.ids {
			netID, err := s.reportDevice(ctx, req.Host, id, r.status)
			if err != nil {
				s.log.Warn("device status not recorded", "port", id, "host", req.Host, "status", r.status, "err", err)
				*r.failed = append(*r.failed, id)
				continue
			}
			*r.done = append(*r.done, id)
			if netID != "" {
				moved[netID] = true
			}
		}
	}
	if ids := sortedKeys(moved); len(ids) > 0 {
		s.cast(ctx, rpc.SubjectL2PopUpdate, rpc.L2PopUpdate{NetworkIDs: ids})
	}
	return reply, nil
}

// reportDevice sets the status of a port bound to host; it answers the
// network id when the port's status changed on a tunnelled network.
func (s *Service) reportDevice(ctx context.Context, host, id, status string) (string, error) {
	var p *port
	var tunnelled bool
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		var err error
		if p, err = getPort(tx, id, ""); err != nil {
			return err
		}
		segs, err := loadSegments(tx, []string{p.NetworkID})
		if err != nil {
			return err
		}
		seg, ok := s.boundSegment(p, segs[p.NetworkID])
		tunnelled = ok && isTunnel(seg.Type)
		return nil
	})
	if isNotFound(err) {
		s.log.Debug("device reported by an agent is not a port", "port", id, "host", host)
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if p.Host != host {
		s.log.Debug("device not bound to the agent host", "port", id, "host", host)
		return "", nil
	}
	if p.Status == status {
		return "", nil
	}
	if err := s.SetPortStatus(ctx, id, status); err != nil {
		return "", err
	}
	if tunnelled {
		return p.NetworkID, nil
	}
	return "", nil
}

// isNotFound says whether err is a not-found error (PortNotFound, ...).
func isNotFound(err error) bool { return err != nil && errs.Is(err, errs.NotFound) }

// isTunnel says whether a network type is an overlay l2population serves.
func isTunnel(typ string) bool { return typ == ml2.TypeVXLAN || typ == ml2.TypeGRE }
