package compute_test

import (
	"testing"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

func TestServerDiagnosticsFormats(t *testing.T) {
	e := startServers(t)
	id := e.activeServer(t, "p1", func(ti *compute.TestInstance) {
		ti.Flavor = computerpc.Flavor{ID: "f", VCPUs: 2, MemoryMB: 1024, RootGB: 1, EphemeralGB: 1}
	})
	r := e.do(t, "GET", "/v2.1/servers/"+id+"/diagnostics", e.admin, nil, "OpenStack-API-Version", "compute 2.48")
	if r.Status != 200 {
		t.Fatalf("2.48: %d %s", r.Status, r.Raw)
	}
	b := r.Body
	mem := b["memory_details"].(map[string]any)
	nic := b["nic_details"].([]any)[0].(map[string]any)
	if b["state"] != "running" || b["driver"] != "libvirt" || b["num_cpus"] != 2.0 || b["num_nics"] != 1.0 ||
		b["num_disks"] != 2.0 || mem["maximum"] != 1024.0 || nic["mac_address"] != "fa:16:3e:00:00:01" ||
		b["config_drive"] != false || len(b["cpu_details"].([]any)) != 2 || len(b["disk_details"].([]any)) != 2 {
		t.Fatalf("2.48 body: %s", r.Raw)
	}
	for _, k := range []string{"rx_octets", "rx_errors", "rx_drop", "rx_packets", "rx_rate", "tx_octets", "tx_errors", "tx_drop", "tx_packets", "tx_rate"} {
		if _, ok := nic[k]; !ok {
			t.Fatalf("nic without %s: %v", k, nic)
		}
	}
	r = e.do(t, "GET", "/v2.1/servers/"+id+"/diagnostics", e.admin, nil, "OpenStack-API-Version", "compute 2.47")
	if r.Status != 200 || r.Body["memory"] != 1024.0*1024 || r.Body["cpu1_time"] == nil || r.Body["vdb_read"] == nil ||
		r.Body["tapp-"+id[:9]+"_rx"] == nil || r.Body["state"] != nil {
		t.Fatalf("2.47: %d %s", r.Status, r.Raw)
	}
}

func TestServerDiagnosticsRefusals(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	if msg := e.refused(t, "GET", "/v2.1/servers/"+id+"/diagnostics", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-server-diagnostics to be performed." {
		t.Fatal(msg)
	}
	other, _ := e.project(t, "beta", "member")
	e.refused(t, "GET", "/v2.1/servers/"+id+"/diagnostics", other, nil, 404)
	shutdown := computerpc.PowerShutdown
	if err := compute.SetTestInstance(e.id.DB, id, &shutdown, nil); err != nil {
		t.Fatal(err)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers/"+id+"/diagnostics", e.admin, nil, 409); msg != "Cannot 'get_diagnostics' instance "+id+" while it is in power state shutdown" {
		t.Fatal(msg)
	}
	building := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.Host, ti.VMState, ti.Launched = "", "building", false })
	if msg := e.refused(t, "GET", "/v2.1/servers/"+building+"/diagnostics", e.admin, nil, 409); msg != "Instance "+building+" is not ready" {
		t.Fatal(msg)
	}
}
