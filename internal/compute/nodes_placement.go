package compute

import (
	"context"
	"log/slog"

	placementapi "github.com/monostack/monostack/api/placement"
)

// statusDisabledTrait marks the provider of a disabled compute service, as
// Nova's compute does, so placement-side filtering can skip it.
const statusDisabledTrait = "COMPUTE_STATUS_DISABLED"

// syncProvider makes the node's resource provider match the node: name,
// inventory, traits (with COMPUTE_STATUS_DISABLED when the service is
// disabled) and aggregates.
func (s *Service) syncProvider(ctx context.Context, n *computeNode, disabled bool, aggs []string) error {
	p := s.opts.Placement
	if p == nil {
		return nil
	}
	if _, err := p.EnsureProvider(ctx, n.UUID, n.HypervisorHostname, ""); err != nil {
		return err
	}
	if err := p.SetInventories(ctx, n.UUID, s.nodeInventory(n)); err != nil {
		// Allocations larger than a shrunk inventory: keep serving, as
		// Nova's resource tracker logs and retries.
		s.log.Warn("compute node inventory not updated", slog.String("node", n.UUID),
			slog.String("error", err.Error()))
	}
	if err := p.SetProviderTraits(ctx, n.UUID, providerTraits(n.Traits, disabled)); err != nil {
		return err
	}
	return p.SetProviderAggregates(ctx, n.UUID, nonNil(aggs))
}

// providerTraits are a node's traits plus the disabled marker.
func providerTraits(traits []string, disabled bool) []string {
	out := make([]string, 0, len(traits)+1)
	for _, t := range traits {
		if t != statusDisabledTrait {
			out = append(out, t)
		}
	}
	if disabled {
		out = append(out, statusDisabledTrait)
	}
	return out
}

// nodeInventory is the placement inventory of a node, as Nova's resource
// tracker reports it: VCPU, MEMORY_MB and DISK_GB with the configured
// allocation ratios and reserved amounts.
func (s *Service) nodeInventory(n *computeNode) map[string]placementapi.Inventory {
	out := map[string]placementapi.Inventory{}
	add := func(rc string, total, reserved int, ratio float64) {
		if total < 1 {
			return
		}
		out[rc] = placementapi.Inventory{Total: total, Reserved: min(max(reserved, 0), total), MinUnit: 1,
			MaxUnit: total, StepSize: 1, AllocationRatio: ratio}
	}
	add("VCPU", n.VCPUs, 0, s.ratio(s.opts.CPUAllocationRatio, 4.0))
	add("MEMORY_MB", n.MemoryMB, s.opts.ReservedHostMemoryMB, s.ratio(s.opts.RAMAllocationRatio, 1.0))
	add("DISK_GB", n.LocalGB, reservedDiskGB(s.opts.ReservedHostDiskMB), s.ratio(s.opts.DiskAllocationRatio, 1.0))
	return out
}

// ratio is an allocation ratio option, def when unset.
func (s *Service) ratio(v, def float64) float64 {
	if v <= 0 {
		return def
	}
	return v
}

// reservedDiskGB rounds reserved_host_disk_mb up to GB, as Nova does.
func reservedDiskGB(mb int) int {
	if mb <= 0 {
		return 0
	}
	return (mb + 1023) / 1024
}
