package compute

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/scheduler"
)

// hostStates snapshots every compute node for the scheduler: its
// service's enabled and liveness state, availability zone and
// aggregates, and free capacity as placement counts it.
func (s *Service) hostStates(ctx context.Context) ([]scheduler.HostState, error) {
	return s.hostStatesWith(ctx, nil)
}

// hostStatesWith is hostStates taking free capacity from placement's
// provider summaries when given (an allocation-candidates answer already
// holds them), instead of asking placement per node.
func (s *Service) hostStatesWith(ctx context.Context, summaries map[string]placementapi.ProviderSummary) ([]scheduler.HostState, error) {
	var out []scheduler.HostState
	var nodes []*computeNode
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		var err error
		if nodes, err = loadNodes(tx, ""); err != nil {
			return err
		}
		for _, n := range nodes {
			h, err := s.hostStateOf(tx, n)
			if err != nil {
				return err
			}
			out = append(out, h)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	live := s.livenessNow()
	for i, n := range nodes {
		out[i].Up = live[[2]string{computerpc.ServiceName, n.Host}].Up
		if summaries != nil { // not a candidate: never scheduled to, its capacity does not matter
			sum := summaries[n.UUID]
			free := func(rc string) int { return sum.Resources[rc].Capacity - sum.Resources[rc].Used }
			out[i].FreeVCPUs, out[i].FreeRAMMB, out[i].FreeDiskGB = free("VCPU"), free("MEMORY_MB"), free("DISK_GB")
			continue
		}
		s.freeCapacity(ctx, n, &out[i])
	}
	return out, nil
}

// hostStateOf is a node's state from the database (Up comes from the
// heartbeat tracker after).
func (s *Service) hostStateOf(tx *db.Tx, n *computeNode) (scheduler.HostState, error) {
	h := scheduler.HostState{Host: n.Host, NodeUUID: n.UUID, HypervisorHostname: n.HypervisorHostname,
		HypervisorType: n.HypervisorType, HypervisorVersion: int(n.HypervisorVersion), CPUInfo: n.CPUInfo,
		Architecture: cpuArch(n.CPUInfo), Traits: nonNil(n.Traits), AvailabilityZone: s.opts.DefaultAZ,
		Aggregates: []scheduler.Aggregate{}}
	svc, err := computeServiceOf(tx, n.Host)
	if err != nil {
		return h, err
	}
	if svc != nil {
		h.Enabled, h.ForcedDown = !svc.Disabled, svc.ForcedDown
	}
	aggs, err := aggregatesOfHost(tx, n.Host)
	if err != nil {
		return h, err
	}
	for _, a := range aggs {
		h.Aggregates = append(h.Aggregates, scheduler.Aggregate{ID: int(a.ID), Name: a.Name, Metadata: a.Metadata})
		if z := a.zone(); z != "" && h.AvailabilityZone == s.opts.DefaultAZ {
			h.AvailabilityZone = z
		}
	}
	h.Stats, h.NumInstances, err = hostStats(tx, n.Host)
	return h, err
}

// hostStats are Nova's compute node stats of host's live instances
// (num_instances, num_vm_<state>, num_task_<state>, num_os_type_None,
// num_proj_<project>, io_workload), as ComputeCapabilitiesFilter sees them.
func hostStats(tx *db.Tx, host string) (map[string]string, int, error) {
	rows, err := tx.Query(`SELECT vm_state, task_state, project_id FROM compute_instances
		WHERE host = ? AND deleted = FALSE`, host)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	counts := map[string]int{"num_instances": 0, "io_workload": 0}
	for rows.Next() {
		var vm, project string
		var task *string
		if err := rows.Scan(&vm, &task, &project); err != nil {
			return nil, 0, err
		}
		taskName := "None"
		if task != nil {
			taskName = *task
		}
		for _, k := range []string{"num_instances", "num_vm_" + vm, "num_task_" + taskName, "num_os_type_None",
			"num_proj_" + project} {
			counts[k]++
		}
		if vm == vmBuilding || slices.Contains(workloadTaskStates, taskName) {
			counts["io_workload"]++
		}
	}
	out := make(map[string]string, len(counts))
	for k, v := range counts {
		out[k] = strconv.Itoa(v)
	}
	return out, counts["num_instances"], rows.Err()
}

// cpuArch is the "arch" of a node's cpu_info JSON.
func cpuArch(cpuInfo string) string {
	var info struct {
		Arch string `json:"arch"`
	}
	_ = json.Unmarshal([]byte(cpuInfo), &info)
	return info.Arch
}

// freeCapacity fills the free amounts: placement capacity ((total −
// reserved) × ratio) minus usage; a node without a provider has none.
func (s *Service) freeCapacity(ctx context.Context, n *computeNode, h *scheduler.HostState) {
	p := s.opts.Placement
	if p == nil {
		return
	}
	inv, err := p.ProviderInventories(ctx, n.UUID)
	if err != nil {
		return
	}
	used, err := p.ProviderUsages(ctx, n.UUID)
	if err != nil {
		return
	}
	free := func(rc string) int { return capacityOf(inv[rc]) - used[rc] }
	h.FreeVCPUs, h.FreeRAMMB, h.FreeDiskGB = free("VCPU"), free("MEMORY_MB"), free("DISK_GB")
}

// capacityOf is placement's capacity of an inventory.
func capacityOf(i placementapi.Inventory) int {
	return int(float64(i.Total-i.Reserved) * i.AllocationRatio)
}
