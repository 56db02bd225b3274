package network

import (
	"context"
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// The in-process API the compute service uses, as Nova uses Neutron's:
// which networks a project may boot on, ports for an instance bound to
// its host, and their release.

// NetworkSummary is a network as compute lists it.
type NetworkSummary struct {
	ID, Name, ProjectID string
	CIDRs               []string
	Shared, External    bool
	MTU                 int
}

// InstancePort is one requested NIC: a network (with an optional
// address) or an existing port.
type InstancePort struct{ NetworkID, PortID, FixedIP string }

// Instance names the instance ports are bound to.
type Instance struct {
	UUID, ProjectID, Host, Hostname, AvailabilityZone string
}

// BoundPort is a port bound for an instance.
type BoundPort struct {
	PortID, NetworkID, MAC string
	IPs                    []string
	MTU                    int
	Existing               bool // the user's port: unbound, not deleted, on release
	FloatingIPs            []FloatingAddress
}

// FloatingAddress is a floating IP and the fixed IP it is NATed to.
type FloatingAddress struct{ FixedIP, Address string }

// ErrNetworkAmbiguous is Nova's NetworkAmbiguous: no network was named and
// the project may use several.
var ErrNetworkAmbiguous = errors.New("network ambiguous")

// UsableNetworks lists the networks project sees ("" for all), with their
// subnets' cidrs.
func (s *Service) UsableNetworks(ctx context.Context, project string) ([]NetworkSummary, error) {
	var out []NetworkSummary
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		nets, err := listNetworks(tx, project)
		if err != nil {
			return err
		}
		for _, n := range nets {
			sum := NetworkSummary{ID: n.ID, Name: n.Name, ProjectID: n.ProjectID, Shared: n.Shared, External: n.External, MTU: n.MTU}
			subs, err := networkSubnetRows(tx, n.ID)
			if err != nil {
				return err
			}
			for _, sub := range subs {
				sum.CIDRs = append(sum.CIDRs, sub.CIDR)
			}
			out = append(out, sum)
		}
		return nil
	})
	return out, err
}

// CheckInstancePorts is Nova's validate_networks: each network exists for
// the project, each port is the project's and free, each fixed address is
// valid and free; with none asked, exactly one network must be usable.
func (s *Service) CheckInstancePorts(ctx context.Context, project string, reqs []InstancePort) error {
	return s.db.Read(ctx, func(tx *db.Tx) error {
		if len(reqs) == 0 {
			_, err := autoNetwork(tx, project)
			return err
		}
		for _, r := range reqs {
			if err := checkInstancePort(tx, project, r); err != nil {
				return err
			}
		}
		return nil
	})
}

func checkInstancePort(tx *db.Tx, project string, r InstancePort) error {
	if r.PortID != "" {
		p, err := getPort(tx, r.PortID, project)
		if err != nil {
			return err
		}
		if p.DeviceID != "" {
			return neutronerr.PortInUse(p.ID, p.NetworkID, p.DeviceID)
		}
		return nil
	}
	n, err := getNetwork(tx, r.NetworkID, project)
	if err != nil {
		return err
	}
	if r.FixedIP == "" {
		return nil
	}
	ip, ok := ipam.ParseAddr(r.FixedIP)
	if !ok {
		return ipam.InvalidIpForNetwork(r.FixedIP)
	}
	subs, err := networkSubnetRows(tx, n.ID)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if ipam.CheckSubnetIP(sub.ipamSubnet().CIDR, ip, "compute:nova") {
			holder, err := subnetIPInUse(tx, sub.ID, ip.String())
			if err != nil || holder == "" {
				return err
			}
			return ipam.IpAddressInUse(n.ID, ip.String())
		}
	}
	return ipam.InvalidIpForNetwork(r.FixedIP)
}

// autoNetwork is the one network a project boots on when it names none:
// its own or shared, not external.
func autoNetwork(tx *db.Tx, project string) (*network, error) {
	nets, err := listNetworks(tx, project)
	if err != nil {
		return nil, err
	}
	var usable []*network
	for _, n := range nets {
		if !n.External && (project == "" || n.ProjectID == project || n.Shared) {
			usable = append(usable, n)
		}
	}
	switch len(usable) {
	case 0:
		return nil, nil
	case 1:
		return usable[0], nil
	}
	return nil, ErrNetworkAmbiguous
}

// BindInstancePorts creates (or takes) and binds the instance's ports in
// one transaction; with no requests it uses the project's one network.
func (s *Service) BindInstancePorts(ctx context.Context, inst Instance, reqs []InstancePort) ([]BoundPort, error) {
	var bound []*port
	var existing []bool
	var changes []*ml2.Change
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		bound, existing, changes = nil, nil, nil
		if len(reqs) == 0 {
			n, err := autoNetwork(tx, inst.ProjectID)
			if err != nil || n == nil {
				return err
			}
			reqs = []InstancePort{{NetworkID: n.ID}}
		}
		for _, r := range reqs {
			p, c, err := s.bindInstancePort(tx, inst, r)
			if err != nil {
				return err
			}
			bound, existing, changes = append(bound, p), append(existing, r.PortID != ""), append(changes, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.postcommit(ctx, changes)
	s.activateBound(ctx, bound)
	out := make([]BoundPort, len(bound))
	for i, p := range bound {
		out[i] = boundPort(p, existing[i])
	}
	return out, s.fillMTU(ctx, out)
}

// boundPort is a port as compute holds it (the MTU filled in later).
func boundPort(p *port, existing bool) BoundPort {
	b := BoundPort{PortID: p.ID, NetworkID: p.NetworkID, MAC: p.MAC, Existing: existing}
	for _, f := range p.FixedIPs {
		b.IPs = append(b.IPs, f.IP.String())
	}
	return b
}

// bindInstancePort makes or takes one port for the instance.
func (s *Service) bindInstancePort(tx *db.Tx, inst Instance, r InstancePort) (*port, *ml2.Change, error) {
	owner := "compute:" + inst.AvailabilityZone
	if inst.AvailabilityZone == "" {
		owner = "compute:nova"
	}
	if r.PortID != "" {
		p, err := getPort(tx, r.PortID, "")
		if err != nil {
			return nil, nil, err
		}
		c, err := s.changePort(tx, p, map[string]any{"device_id": inst.UUID, "device_owner": owner, bindHost: inst.Host})
		return p, c, err
	}
	n, err := portNetwork(tx, r.NetworkID, "")
	if err != nil {
		return nil, nil, err
	}
	p := s.blankPort(n, inst.ProjectID)
	p.DeviceID, p.Owner, p.Host = inst.UUID, owner, inst.Host
	if err := s.portSecurityGroups(tx, p, map[string]any{}); err != nil {
		return nil, nil, err
	}
	var fixed []ipam.FixedIPRequest
	if r.FixedIP != "" {
		fixed = []ipam.FixedIPRequest{{IPAddress: r.FixedIP}}
	}
	c, err := s.newPort(tx, n, p, fixed)
	return p, c, err
}

// fillMTU sets each bound port's network MTU.
func (s *Service) fillMTU(ctx context.Context, ports []BoundPort) error {
	return s.db.Read(ctx, func(tx *db.Tx) error {
		for i := range ports {
			n, err := networkRow(tx, ports[i].NetworkID, "")
			if err != nil {
				return err
			}
			ports[i].MTU = n.MTU
		}
		return nil
	})
}

// ReleaseInstancePorts deletes the ports made for an instance and unbinds
// the ones it was given (keep lists those).
func (s *Service) ReleaseInstancePorts(ctx context.Context, instanceUUID string, keep map[string]bool) error {
	var changes []*ml2.Change
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		changes = nil
		ports, err := queryPorts(tx, "", `p.device_id = ? AND p.device_owner LIKE 'compute:%'`, instanceUUID)
		if err != nil {
			return err
		}
		for _, p := range ports {
			n, err := portNetwork(tx, p.NetworkID, "")
			if err != nil {
				return err
			}
			var c *ml2.Change
			if keep[p.ID] {
				c, err = s.changePort(tx, p, map[string]any{"device_id": "", "device_owner": "", bindHost: ""})
			} else {
				c, err = s.removePort(tx, p, n.Segments)
			}
			if err != nil {
				return err
			}
			changes = append(changes, c)
		}
		return nil
	})
	if err == nil {
		s.postcommit(ctx, changes)
	}
	return err
}
