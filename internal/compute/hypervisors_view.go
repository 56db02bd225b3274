package compute

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// hypervisor is a compute node with its service and what it hosts, as
// the hypervisors API shows it.
type hypervisor struct {
	node    *computeNode
	service *computeService
	up      bool
	usage   nodeUsage
	servers []hostedServer // with_servers, search servers
}

// hostedServer is an instance as the hypervisors API lists it.
type hostedServer struct {
	Name string `json:"name"`
	UUID string `json:"uuid"`
}

// nodeUsage is what Nova's resource tracker reports of a node, derived
// from placement (used amounts plus the reserved ones, as Nova counts
// reserved host memory and disk as used) and the host's instances.
type nodeUsage struct {
	VCPUsUsed, MemoryMBUsed, LocalGBUsed int
	RunningVMs, CurrentWorkload          int
}

// workloadTaskStates count towards current_workload (Nova's
// Stats.io_workload), with instances building.
var workloadTaskStates = []string{taskResizeMigrating, taskRebuilding, taskResizePrep, taskImageSnapshot,
	"image_backup", taskRescuing, taskUnshelving}

// hostLoad counts the live instances on host and those busy with I/O.
func hostLoad(tx *db.Tx, host string) (running, workload int, err error) {
	rows, err := tx.Query(`SELECT vm_state, task_state FROM compute_instances WHERE host = ? AND deleted = FALSE`, host)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var vm string
		var task *string
		if err := rows.Scan(&vm, &task); err != nil {
			return 0, 0, err
		}
		running++
		if vm == vmBuilding || (task != nil && slices.Contains(workloadTaskStates, *task)) {
			workload++
		}
	}
	return running, workload, rows.Err()
}

// placementUsage fills the used amounts of a node from its provider; a
// node placement does not know yet shows nothing used.
func (s *Service) placementUsage(ctx context.Context, n *computeNode, u *nodeUsage) {
	p := s.opts.Placement
	if p == nil {
		return
	}
	used, err := p.ProviderUsages(ctx, n.UUID)
	if err != nil {
		return
	}
	inv, err := p.ProviderInventories(ctx, n.UUID)
	if err != nil {
		return
	}
	u.VCPUsUsed = used["VCPU"] + inv["VCPU"].Reserved
	u.MemoryMBUsed = used["MEMORY_MB"] + inv["MEMORY_MB"].Reserved
	u.LocalGBUsed = used["DISK_GB"] + inv["DISK_GB"].Reserved
}

// hypervisorView is a hypervisor at microversion v, brief or detailed.
func hypervisorView(h *hypervisor, detail, withServers bool, v httpx.Microversion) map[string]any {
	out := map[string]any{"id": h.node.ID, "hypervisor_hostname": h.node.HypervisorHostname,
		"state": "down", "status": "enabled"}
	if v.AtLeast(53) {
		out["id"] = h.node.UUID
	}
	if h.up {
		out["state"] = "up"
	}
	if h.service.Disabled {
		out["status"] = "disabled"
	}
	if detail {
		addHypervisorDetail(out, h, v)
	}
	if len(h.servers) > 0 {
		out["servers"] = h.servers
	} else if withServers && v.AtLeast(75) {
		out["servers"] = []hostedServer{}
	}
	return out
}

// addHypervisorDetail adds the detailed fields (those before 2.88).
func addHypervisorDetail(out map[string]any, h *hypervisor, v httpx.Microversion) {
	n, u := h.node, h.usage
	serviceID := any(h.service.ID)
	if v.AtLeast(53) {
		serviceID = h.service.UUID
	}
	out["hypervisor_type"] = n.HypervisorType
	out["hypervisor_version"] = n.HypervisorVersion
	out["host_ip"] = n.HostIP
	out["service"] = map[string]any{"id": serviceID, "host": n.Host, "disabled_reason": h.service.DisabledReason}
	for k, val := range hypervisorNumbers(n, u) {
		out[k] = val
	}
	if !v.AtLeast(28) {
		out["cpu_info"] = n.CPUInfo
		return
	}
	info := map[string]any{}
	if n.CPUInfo != "" {
		_ = json.Unmarshal([]byte(n.CPUInfo), &info)
	}
	out["cpu_info"] = info
}

// hypervisorNumbers are a node's capacity and usage figures.
func hypervisorNumbers(n *computeNode, u nodeUsage) map[string]int {
	free := n.LocalGB - u.LocalGBUsed
	return map[string]int{"vcpus": n.VCPUs, "memory_mb": n.MemoryMB, "local_gb": n.LocalGB,
		"vcpus_used": u.VCPUsUsed, "memory_mb_used": u.MemoryMBUsed, "local_gb_used": u.LocalGBUsed,
		"free_ram_mb": n.MemoryMB - u.MemoryMBUsed, "free_disk_gb": free, "current_workload": u.CurrentWorkload,
		"running_vms": u.RunningVMs, "disk_available_least": free}
}
