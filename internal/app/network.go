package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/network"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// buildNetwork builds the network service, serving the network agents'
// calls on the bus when the process has one, and writes the configured
// segment ranges as its default network segment ranges.
func (a *App) buildNetwork(ctx context.Context) error {
	var err error
	a.Network, err = network.New(network.Options{DB: a.db, Validator: a.Identity, Log: a.log,
		PolicyFile: a.networkPolicyFile(), EnforceNewDefaults: a.cfg.EnforceNewDefaults,
		MaxBodySize: a.cfg.MaxRequestBodySize, IdentityURL: func() string { return a.URL("identity") },
		QuotaDefaults: a.networkQuotaDefaults(), AgentLiveness: a.agentLiveness, Bus: a.Bus,
		NetworkChanged: a.networkChanged})
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	if err := a.Network.SyncDefaultRanges(ctx); err != nil {
		return fmt.Errorf("network segment ranges: %w", err)
	}
	return nil
}

// agentLiveness answers the agents API's alive from the heartbeat tracker
// once it runs (it starts after the network service is built).
func (a *App) agentLiveness(binary, host string) (up, known bool) {
	if a.Liveness == nil {
		return false, false
	}
	return a.Liveness.Up(binary, host), true
}

// networkChanged is Neutron's nova notifier, in process: the compute
// service refreshes the instances' network info.
func (a *App) networkChanged(ctx context.Context, instances []string) {
	if a.Compute == nil {
		return
	}
	if err := a.Compute.RefreshNetworkInfo(ctx, instances...); err != nil {
		a.log.Warn("refreshing instances' network info", "err", err)
	}
}

// networkPolicyFile is STATE_DIR/network-policy.yaml, Neutron's policy.yaml.
func (a *App) networkPolicyFile() string { return filepath.Join(a.cfg.StateDir, "network-policy.yaml") }

// computeNetwork is the network service as the compute service sees it
// (Nova's neutron API module).
type computeNetwork struct{ a *App }

func (c computeNetwork) Validate(ctx context.Context, project string, reqs []compute.NetworkRequest) error {
	return novaError(c.a.Network.CheckInstancePorts(ctx, project, instancePorts(reqs)))
}

func (c computeNetwork) Networks(ctx context.Context, project string) ([]compute.NetworkInfo, error) {
	nets, err := c.a.Network.UsableNetworks(ctx, project)
	if err != nil {
		return nil, err
	}
	out := make([]compute.NetworkInfo, len(nets))
	for i, n := range nets {
		out[i] = compute.NetworkInfo{ID: n.ID, Name: n.Name, Label: n.Name}
		if len(n.CIDRs) > 0 {
			out[i].CIDR = n.CIDRs[0]
		}
	}
	return out, nil
}

func (c computeNetwork) Allocate(ctx context.Context, inst compute.InstanceRef, reqs []compute.NetworkRequest) ([]computerpc.NIC, error) {
	ports, err := c.a.Network.BindInstancePorts(ctx, network.Instance{UUID: inst.UUID, ProjectID: inst.ProjectID,
		Host: inst.Host, Hostname: inst.Hostname, AvailabilityZone: inst.AZ}, instancePorts(reqs))
	if err != nil {
		return nil, novaError(err)
	}
	return nicsOf(ports), nil
}

// Refresh reads the instance's ports as they are now, floating IPs included.
func (c computeNetwork) Refresh(ctx context.Context, inst compute.InstanceRef) ([]computerpc.NIC, error) {
	ports, err := c.a.Network.InstancePortsNow(ctx, inst.UUID)
	if err != nil {
		return nil, err
	}
	return nicsOf(ports), nil
}

// nicsOf are bound ports as the instance's NICs.
func nicsOf(ports []network.BoundPort) []computerpc.NIC {
	nics := make([]computerpc.NIC, len(ports))
	for i, p := range ports {
		nics[i] = computerpc.NIC{PortID: p.PortID, NetworkID: p.NetworkID, MAC: p.MAC, IPs: p.IPs, MTU: p.MTU, Preserve: p.Existing}
		for _, f := range p.FloatingIPs {
			nics[i].FloatingIPs = append(nics[i].FloatingIPs, computerpc.FloatingIP{FixedIP: f.FixedIP, Address: f.Address})
		}
	}
	return nics
}

// Deallocate deletes the ports made for the instance and releases the
// ones the user gave; with its NICs unknown every port is only released.
func (c computeNetwork) Deallocate(ctx context.Context, inst compute.InstanceRef) error {
	keep := map[string]bool{}
	for _, n := range inst.NICs {
		if n.Preserve {
			keep[n.PortID] = true
		}
	}
	if inst.NICs == nil {
		keep = nil
	}
	return c.a.Network.ReleaseInstancePorts(ctx, inst.UUID, keep)
}

func instancePorts(reqs []compute.NetworkRequest) []network.InstancePort {
	out := make([]network.InstancePort, len(reqs))
	for i, r := range reqs {
		out[i] = network.InstancePort{NetworkID: r.NetworkID, PortID: r.PortID, FixedIP: r.FixedIP}
	}
	return out
}

// novaError turns the network service's errors into the ones Nova's API
// gives for them.
func novaError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, network.ErrNetworkAmbiguous) {
		return errs.Conflictf("Multiple possible networks found, use a Network ID to be more specific.")
	}
	ne, ok := neutronerr.As(err)
	if !ok {
		return err
	}
	switch ne.Type {
	case "PortInUse":
		return errs.Conflictf("Port %s is still in use.", portOf(ne.Message))
	case "IpAddressGenerationFailure", "IpAddressInUse", "IpAddressAlreadyAllocated":
		return errs.Conflictf("%s", ne.Message)
	case "NetworkNotFound", "PortNotFound", "SubnetNotFound", "InvalidIpForNetwork", "InvalidIpForSubnet":
		return errs.BadRequestf("%s", ne.Message)
	}
	return err
}

// portOf is the port id a PortInUse message starts with.
func portOf(msg string) string {
	f := strings.Fields(strings.TrimPrefix(msg, "Unable to complete operation on port "))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// networkQuotaDefaults are Neutron's [QUOTAS] quota_<resource> options.
func (a *App) networkQuotaDefaults() map[string]int64 {
	c := a.cfg
	return map[string]int64{"network": int64(c.QuotaNetwork), "subnet": int64(c.QuotaSubnet), "port": int64(c.QuotaPort),
		"router": int64(c.QuotaRouter), "floatingip": int64(c.QuotaFloatingIP), "security_group": int64(c.QuotaSecurityGroup),
		"security_group_rule": int64(c.QuotaSecurityGroupRule), "rbac_policy": int64(c.QuotaRBACPolicy)}
}
