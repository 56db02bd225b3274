package compute

import (
	"fmt"
	"net/http"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// GET /servers/{id}/diagnostics: what a libvirt host would report of a
// running guest, derived from the instance (flavor sizes, NICs, uptime)
// since the drivers keep no counters. From 2.48 the standard format;
// before it libvirt's own dict.

// powerStateNames is Nova's power_state.STATE_MAP.
var powerStateNames = map[int]string{computerpc.PowerNoState: "pending", computerpc.PowerRunning: "running",
	computerpc.PowerPaused: "paused", computerpc.PowerShutdown: "shutdown", computerpc.PowerCrashed: "crashed",
	computerpc.PowerSuspended: "suspended"}

// guestDisk is one disk of the guest as diagnostics list it.
type guestDisk struct{ dev string }

// guestDisks are the root disk, then ephemeral, swap and config drive
// when the instance has them.
func guestDisks(i *instance) []guestDisk {
	disks := []guestDisk{{"vda"}}
	if i.Flavor.EphemeralGB > 0 {
		disks = append(disks, guestDisk{"vdb"})
	}
	if i.Flavor.SwapMB > 0 {
		disks = append(disks, guestDisk{fmt.Sprintf("vd%c", 'a'+len(disks))})
	}
	if i.ConfigDrive != "" {
		disks = append(disks, guestDisk{"hda"})
	}
	return disks
}

// tapName is the host device of a NIC (Nova's "tap" + port id prefix).
func tapName(n computerpc.NIC) string {
	if n.Tap != "" {
		return n.Tap
	}
	return "tap" + n.PortID[:min(len(n.PortID), 11)]
}

// showServerDiagnostics is GET /servers/{id}/diagnostics.
func (s *Service) showServerDiagnostics(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	var inst *instance
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		inst, err = s.visibleInstance(tx, r, id)
		return err
	})
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-server-diagnostics", map[string]any{"project_id": inst.ProjectID}); err != nil {
		return err
	}
	if inst.Host == nil {
		return errs.Conflictf("Instance %s is not ready", inst.UUID)
	}
	if inst.PowerState != computerpc.PowerRunning {
		return errs.Conflictf("Cannot 'get_diagnostics' instance %s while it is in power state %s", id,
			powerStateNames[inst.PowerState])
	}
	uptime := 0
	if inst.LaunchedAt != nil {
		uptime = int(max(s.now().UnixMicro()-*inst.LaunchedAt, 0) / 1e6)
	}
	if version(r).AtLeast(48) {
		return httpx.WriteJSON(w, http.StatusOK, diagnosticsV248(inst, uptime))
	}
	return httpx.WriteJSON(w, http.StatusOK, diagnosticsLibvirt(inst, uptime))
}

// cpuTime is a plausible CPU time in ns: one percent of the uptime.
func cpuTime(uptime int) int64 { return int64(uptime) * 10_000_000 }

// diagnosticsV248 is the standard diagnostics body.
func diagnosticsV248(i *instance, uptime int) map[string]any {
	cpus := make([]map[string]any, i.Flavor.VCPUs)
	for n := range cpus {
		cpus[n] = map[string]any{"id": n, "time": cpuTime(uptime), "utilisation": nil}
	}
	nics := make([]map[string]any, len(i.NetworkInfo))
	for n, nic := range i.NetworkInfo {
		nics[n] = map[string]any{"mac_address": nic.MAC, "rx_octets": 0, "rx_errors": 0, "rx_drop": 0,
			"rx_packets": 0, "rx_rate": nil, "tx_octets": 0, "tx_errors": 0, "tx_drop": 0, "tx_packets": 0,
			"tx_rate": nil}
	}
	disks := []map[string]any{}
	for range guestDisks(i) {
		disks = append(disks, map[string]any{"read_bytes": 0, "read_requests": 0, "write_bytes": 0,
			"write_requests": 0, "errors_count": 0})
	}
	return map[string]any{"state": "running", "driver": "libvirt", "hypervisor": "kvm", "hypervisor_os": "linux",
		"uptime": uptime, "config_drive": i.ConfigDrive != "", "num_cpus": len(cpus), "num_nics": len(nics),
		"num_disks": len(disks), "cpu_details": cpus, "nic_details": nics, "disk_details": disks,
		"memory_details": map[string]any{"maximum": i.Flavor.MemoryMB, "used": i.Flavor.MemoryMB}}
}

// diagnosticsLibvirt is the libvirt driver's pre-2.48 dict.
func diagnosticsLibvirt(i *instance, uptime int) map[string]any {
	out := map[string]any{"memory": i.Flavor.MemoryMB * 1024, "memory-actual": i.Flavor.MemoryMB * 1024}
	for n := range i.Flavor.VCPUs {
		out[fmt.Sprintf("cpu%d_time", n)] = cpuTime(uptime)
	}
	for _, d := range guestDisks(i) {
		for _, k := range []string{"_read_req", "_read", "_write_req", "_write", "_errors"} {
			out[d.dev+k] = 0
		}
	}
	for _, nic := range i.NetworkInfo {
		for _, k := range []string{"_rx", "_rx_packets", "_rx_errors", "_rx_drop", "_tx", "_tx_packets", "_tx_errors", "_tx_drop"} {
			out[tapName(nic)+k] = 0
		}
	}
	return out
}
