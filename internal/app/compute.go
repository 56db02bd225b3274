package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"

	agentcompute "github.com/monostack/monostack/internal/agent/compute"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/hypervisor"
	"github.com/monostack/monostack/internal/hypervisor/drivers"
	"github.com/monostack/monostack/internal/scheduler"
)

func (a *App) buildCompute() error {
	if err := a.schedulerConfig().Validate(); err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	var err error
	a.Compute, err = compute.New(compute.Options{DB: a.db, Validator: a.Identity, Log: a.log,
		Bus: a.Bus, Liveness: a.Liveness, Placement: a.Placement, Images: a.computeImages(), Network: computeNetwork{a},
		PolicyFile: filepath.Join(a.cfg.StateDir, "compute-policy.yaml"), EnforceNewDefaults: a.cfg.EnforceNewDefaults,
		MaxBodySize: a.cfg.MaxRequestBodySize, DefaultAZ: a.cfg.DefaultAZ,
		CPUAllocationRatio: a.cfg.CPUAllocationRatio, RAMAllocationRatio: a.cfg.RAMAllocationRatio,
		DiskAllocationRatio: a.cfg.DiskAllocationRatio, ReservedHostMemoryMB: a.cfg.ReservedHostMemoryMB,
		MaxAttempts: a.cfg.SchedulerMaxAttempts, AllowResizeToSameHost: a.cfg.AllowResizeToSameHost,
		Scheduler: a.schedulerConfig(), QuotaDefaults: a.quotaDefaults(), ProjectExists: a.Identity.ProjectExists,
		IdentityURL: func() string { return a.URL("identity") }})
	return err
}

// schedulerConfig is the scheduler's configuration; unknown filters are
// refused at start.
func (a *App) schedulerConfig() scheduler.Config {
	c := scheduler.DefaultConfig()
	c.EnabledFilters = a.cfg.SchedulerEnabledFilters
	c.RAMWeightMultiplier, c.CPUWeightMultiplier = a.cfg.SchedulerRAMWeight, a.cfg.SchedulerCPUWeight
	c.DiskWeightMultiplier, c.HostSubsetSize = a.cfg.SchedulerDiskWeight, a.cfg.SchedulerHostSubsetSize
	c.MaxAttempts = a.cfg.SchedulerMaxAttempts
	c.DefaultAvailabilityZone = a.cfg.DefaultAZ
	return c
}

// quotaDefaults are Nova's [quota] defaults as configured.
func (a *App) quotaDefaults() map[string]int {
	c := a.cfg
	return map[string]int{"instances": c.QuotaInstances, "cores": c.QuotaCores, "ram": c.QuotaRAM,
		"metadata_items": c.QuotaMetadataItems, "key_pairs": c.QuotaKeyPairs, "server_groups": c.QuotaServerGroups,
		"server_group_members": c.QuotaServerGroupMembers}
}

// buildAgent builds the compute agent with one driver per host: the
// configured host name, or HOST-1 … HOST-N with several fake hosts.
func (a *App) buildAgent() error {
	n := max(a.cfg.FakeHosts, 1)
	if a.cfg.ComputeDriver != "fake" {
		n = 1
	}
	var hosts []agentcompute.Host
	for i := range n {
		name := a.host()
		if n > 1 {
			name += "-" + strconv.Itoa(i+1)
		}
		d, err := drivers.New(a.cfg.ComputeDriver, hypervisor.HostConfig{Host: name, VCPUs: a.cfg.FakeVCPUs,
			MemoryMB: a.cfg.FakeMemoryMB, DiskGB: a.cfg.FakeDiskGB, Failures: a.cfg.FakeFailures})
		if err != nil {
			return err
		}
		hosts = append(hosts, agentcompute.Host{Name: name, Driver: d})
	}
	a.agent = agentcompute.New(agentcompute.Options{Conn: a.Bus, Hosts: hosts,
		HeartbeatInterval: a.reportInterval(), Log: a.log})
	return nil
}

// startControllerRoles runs the conductor and the heartbeats of the
// controller roles this process serves.
func (a *App) startControllerRoles(ctx context.Context) error {
	if a.hasRole("conductor") {
		if err := a.startConductor(ctx); err != nil {
			return fmt.Errorf("conductor: %w", err)
		}
	}
	for _, rb := range [][2]string{{"conductor", computerpc.ConductorService}, {"scheduler", computerpc.SchedulerService}} {
		if !a.hasRole(rb[0]) {
			continue
		}
		if err := a.Compute.RegisterControllerService(ctx, rb[1], a.host()); err != nil {
			return fmt.Errorf("%s service: %w", rb[1], err)
		}
		if err := a.heartbeat(rb[1], a.host()); err != nil {
			return err
		}
	}
	return nil
}
