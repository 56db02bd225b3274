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
// holds them), instead of asking placement per node; then only the
// summarised nodes (the candidates) are loaded.
func (s *Service) hostStatesWith(ctx context.Context, summaries map[string]placementapi.ProviderSummary) ([]scheduler.HostState, error) {
	var out []scheduler.HostState
	var nodes []*computeNode
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		var err error
		if nodes, err = loadNodes(tx, ""); err != nil {
			return err
		}
		if summaries != nil {
			nodes = slices.DeleteFunc(nodes, func(n *computeNode) bool { _, ok := summaries[n.UUID]; return !ok })
		}
		hc, err := loadHostContext(tx, nodes)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			out = append(out, s.hostStateOf(n, hc))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	live := s.livenessNow()
	for i, n := range nodes {
		out[i].Up = live[[2]string{computerpc.ServiceName, n.Host}].Up
		if summaries != nil {
			sum := summaries[n.UUID]
			free := func(rc string) int { return sum.Resources[rc].Capacity - sum.Resources[rc].Used }
			out[i].FreeVCPUs, out[i].FreeRAMMB, out[i].FreeDiskGB = free("VCPU"), free("MEMORY_MB"), free("DISK_GB")
			continue
		}
		s.freeCapacity(ctx, n, &out[i])
	}
	return out, nil
}

// hostContext is what the scheduler sees of the nodes' hosts besides the
// nodes themselves, each loaded for all hosts in one query.
type hostContext struct {
	services   map[string]*computeService
	aggregates map[string][]*aggregate
	stats      map[string]map[string]int
}

// loadHostContext loads the services, aggregates and instance stats of
// the nodes' hosts.
func loadHostContext(tx *db.Tx, nodes []*computeNode) (*hostContext, error) {
	hc := &hostContext{services: map[string]*computeService{}, aggregates: map[string][]*aggregate{}}
	if len(nodes) == 0 {
		return hc, nil
	}
	svcs, err := loadServices(tx, `binary_name = ?`, computerpc.ServiceName)
	if err != nil {
		return nil, err
	}
	for _, svc := range svcs {
		hc.services[svc.Host] = svc
	}
	aggs, err := loadAggregates(tx, `id IN (SELECT aggregate_id FROM compute_aggregate_hosts)`)
	if err != nil {
		return nil, err
	}
	for _, a := range aggs {
		for _, h := range a.Hosts {
			hc.aggregates[h] = append(hc.aggregates[h], a)
		}
	}
	hosts := make([]any, 0, len(nodes))
	for _, n := range nodes {
		hosts = append(hosts, n.Host)
	}
	hc.stats, err = hostStats(tx, hosts)
	return hc, err
}

// hostStateOf is a node's state (Up comes from the heartbeat tracker
// after).
func (s *Service) hostStateOf(n *computeNode, hc *hostContext) scheduler.HostState {
	h := scheduler.HostState{Host: n.Host, NodeUUID: n.UUID, HypervisorHostname: n.HypervisorHostname,
		HypervisorType: n.HypervisorType, HypervisorVersion: int(n.HypervisorVersion), CPUInfo: n.CPUInfo,
		Architecture: cpuArch(n.CPUInfo), Traits: nonNil(n.Traits), AvailabilityZone: s.opts.DefaultAZ,
		Aggregates: []scheduler.Aggregate{}}
	if svc := hc.services[n.Host]; svc != nil {
		h.Enabled, h.ForcedDown = !svc.Disabled, svc.ForcedDown
	}
	for _, a := range hc.aggregates[n.Host] {
		h.Aggregates = append(h.Aggregates, scheduler.Aggregate{ID: int(a.ID), Name: a.Name, Metadata: a.Metadata})
		if z := a.zone(); z != "" && h.AvailabilityZone == s.opts.DefaultAZ {
			h.AvailabilityZone = z
		}
	}
	counts := hc.stats[n.Host]
	h.Stats = make(map[string]string, len(counts)+2)
	h.Stats["num_instances"], h.Stats["io_workload"] = "0", "0"
	for k, v := range counts {
		h.Stats[k] = strconv.Itoa(v)
	}
	h.NumInstances = counts["num_instances"]
	return h
}

// hostStats counts Nova's compute node stats of the hosts' live instances
// (num_instances, num_vm_<state>, num_task_<state>, num_os_type_None,
// num_proj_<project>, io_workload), as ComputeCapabilitiesFilter sees
// them, by host.
func hostStats(tx *db.Tx, hosts []any) (map[string]map[string]int, error) {
	rows, err := tx.Query(`SELECT host, vm_state, task_state, project_id, COUNT(*) FROM compute_instances
		WHERE deleted = FALSE AND host IN (`+db.Placeholders(len(hosts))+`)
		GROUP BY host, vm_state, task_state, project_id`, hosts...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var host, vm, project string
		var task *string
		var n int
		if err := rows.Scan(&host, &vm, &task, &project, &n); err != nil {
			return nil, err
		}
		taskName := "None"
		if task != nil {
			taskName = *task
		}
		counts := out[host]
		if counts == nil {
			counts = map[string]int{}
			out[host] = counts
		}
		for _, k := range []string{"num_instances", "num_vm_" + vm, "num_task_" + taskName, "num_os_type_None",
			"num_proj_" + project} {
			counts[k] += n
		}
		if vm == vmBuilding || slices.Contains(workloadTaskStates, taskName) {
			counts["io_workload"] += n
		}
	}
	return out, rows.Err()
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
