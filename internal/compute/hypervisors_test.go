package compute_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/hypervisors"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

// hypervisorHosts starts an infraEnv with hosts c1 (up, one instance
// holding 2 VCPU, 2048 MB, 20 GB in placement) and c2 (down).
func hypervisorHosts(t *testing.T) (e *infraEnv, n1, n2 string) {
	t.Helper()
	e = startInfra(t)
	n1, n2 = e.node(t, "c1"), e.node(t, "c2")
	e.beat(computerpc.ServiceName, "c1")
	vm := "5b1d3a2e-0000-4000-8000-000000000001"
	if err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{{UUID: vm, ProjectID: "p", UserID: "u",
		Name: "vm", VMState: "active", Host: "c1"}}); err != nil {
		t.Fatal(err)
	}
	err := e.placement.PutAllocations(context.Background(), vm, placementapi.AllocationsPut{ProjectID: "p", UserID: "u",
		Allocations: map[string]placementapi.Resources{n1: {Resources: map[string]int{"VCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 20}}}})
	if err != nil {
		t.Fatal(err)
	}
	return e, n1, n2
}

func TestHypervisorsDetailFromPlacement(t *testing.T) {
	e, n1, _ := hypervisorHosts(t)
	pages, err := hypervisors.List(e.gc(e.admin, "2.53"), nil).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	list, err := hypervisors.ExtractHypervisors(pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d hypervisors", len(list))
	}
	h := list[0]
	if h.ID != n1 || h.State != "up" || h.Status != "enabled" || h.HypervisorHostname != "c1.example.org" ||
		h.Service.Host != "c1" || len(h.Service.ID) != 36 || h.CPUInfo.Topology.Cores != 8 {
		t.Fatalf("hypervisor: %+v", h)
	}
	// Reserved host memory (512 by config default, 0 here) counts as used,
	// as Nova's resource tracker reports it.
	if h.VCPUs != 8 || h.VCPUsUsed != 2 || h.MemoryMB != 16384 || h.MemoryMBUsed != 2048 || h.FreeRamMB != 14336 ||
		h.LocalGB != 100 || h.LocalGBUsed != 20 || h.FreeDiskGB != 80 || h.DiskAvailableLeast != 80 || h.RunningVMs != 1 {
		t.Fatalf("usage: %+v", h)
	}
	if list[1].State != "down" || list[1].RunningVMs != 0 || list[1].VCPUsUsed != 0 {
		t.Fatalf("second: %+v", list[1])
	}

	// Before 2.28 cpu_info is the JSON text; ids are integers before 2.53.
	r := e.do(t, "GET", "/v2.1/os-hypervisors/detail", e.admin, nil, "OpenStack-API-Version", "compute 2.27")
	first := r.Body["hypervisors"].([]any)[0].(map[string]any)
	if _, isText := first["cpu_info"].(string); !isText {
		t.Fatalf("cpu_info at 2.27: %v", first["cpu_info"])
	}
	if _, isNum := first["id"].(float64); !isNum {
		t.Fatalf("id at 2.27: %v", first["id"])
	}
	want := []string{"id", "hypervisor_hostname", "state", "status", "hypervisor_type", "hypervisor_version", "host_ip",
		"service", "vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used", "local_gb_used", "free_ram_mb",
		"free_disk_gb", "current_workload", "running_vms", "disk_available_least", "cpu_info"}
	if len(first) != len(want) {
		t.Fatalf("detail keys: %v", first)
	}
	brief := e.do(t, "GET", "/v2.1/os-hypervisors", e.admin, nil).Body["hypervisors"].([]any)[0].(map[string]any)
	if len(brief) != 4 || brief["hypervisor_hostname"] != "c1.example.org" {
		t.Fatalf("brief: %v", brief)
	}
}

func TestHypervisorsReservedMemoryCountsAsUsed(t *testing.T) {
	e := startInfra(t, func(o *compute.Options) { o.ReservedHostMemoryMB = 512; o.ReservedHostDiskMB = 1500 })
	e.node(t, "c1")
	h := e.do(t, "GET", "/v2.1/os-hypervisors/detail", e.admin, nil).Body["hypervisors"].([]any)[0].(map[string]any)
	if h["memory_mb_used"] != 512.0 || h["free_ram_mb"] != 15872.0 || h["local_gb_used"] != 2.0 {
		t.Fatalf("reserved: %v", h)
	}
}

func TestHypervisorsPagingAndSearch(t *testing.T) {
	e, n1, n2 := hypervisorHosts(t)
	r := e.do(t, "GET", "/v2.1/os-hypervisors?limit=1", e.admin, nil, "OpenStack-API-Version", "compute 2.53")
	hs := r.Body["hypervisors"].([]any)
	links := r.Body["hypervisors_links"].([]any)
	if len(hs) != 1 || !strings.Contains(links[0].(map[string]any)["href"].(string), "marker="+n1) {
		t.Fatalf("page 1: %s", r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/os-hypervisors?limit=1&marker="+n1, e.admin, nil, "OpenStack-API-Version", "compute 2.53")
	if hs := r.Body["hypervisors"].([]any); len(hs) != 1 || hs[0].(map[string]any)["id"] != n2 {
		t.Fatalf("page 2: %s", r.Raw)
	}
	// Before 2.33 there is no paging: limit is ignored.
	if r := e.do(t, "GET", "/v2.1/os-hypervisors?limit=1", e.admin, nil); len(r.Body["hypervisors"].([]any)) != 2 {
		t.Fatalf("limit at 2.1: %s", r.Raw)
	}

	r = e.do(t, "GET", "/v2.1/os-hypervisors?hypervisor_hostname_pattern=C1&with_servers=true", e.admin, nil,
		"OpenStack-API-Version", "compute 2.53")
	hs = r.Body["hypervisors"].([]any)
	servers := hs[0].(map[string]any)["servers"].([]any)
	if len(hs) != 1 || servers[0].(map[string]any)["name"] != "instance-00000001" {
		t.Fatalf("pattern + servers: %s", r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/os-hypervisors?hypervisor_hostname_pattern=c2&with_servers=1", e.admin, nil,
		"OpenStack-API-Version", "compute 2.75")
	if s, ok := r.Body["hypervisors"].([]any)[0].(map[string]any)["servers"]; !ok || len(s.([]any)) != 0 {
		t.Fatalf("2.75 empty servers: %s", r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/os-hypervisors?hypervisor_hostname_pattern=c2&with_servers=1", e.admin, nil,
		"OpenStack-API-Version", "compute 2.74")
	if _, ok := r.Body["hypervisors"].([]any)[0].(map[string]any)["servers"]; ok {
		t.Fatalf("2.74 empty servers: %s", r.Raw)
	}

	// Legacy search and servers routes, gone at 2.53.
	r = e.do(t, "GET", "/v2.1/os-hypervisors/c1/servers", e.admin, nil, "OpenStack-API-Version", "compute 2.52")
	if hs := r.Body["hypervisors"].([]any); len(hs) != 1 || hs[0].(map[string]any)["servers"] == nil {
		t.Fatalf("servers route: %s", r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/os-hypervisors/example/search", e.admin, nil, "OpenStack-API-Version", "compute 2.52")
	if hs := r.Body["hypervisors"].([]any); len(hs) != 2 {
		t.Fatalf("search route: %s", r.Raw)
	}

	v253 := []string{"OpenStack-API-Version", "compute 2.53"}
	refusals := []struct {
		path   string
		hdr    []string
		status int
		msg    string
	}{
		{"/v2.1/os-hypervisors/c1/search", v253, 404, "The resource could not be found."},
		{"/v2.1/os-hypervisors/zz/search", nil, 404, "No hypervisor matching 'zz' could be found."},
		{"/v2.1/os-hypervisors?hypervisor_hostname_pattern=zz", v253, 404, "No hypervisor matching 'zz' could be found."},
		{"/v2.1/os-hypervisors?hypervisor_hostname_pattern=c1&limit=1", v253, 400, "Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported."},
		{"/v2.1/os-hypervisors?marker=nope", v253, 400, "marker [nope] not found"},
		{"/v2.1/os-hypervisors?limit=x", v253, 400, "Invalid input for query parameters limit. Value: x. 'x' does not match '^[0-9]*$'"},
		{"/v2.1/os-hypervisors?with_servers=maybe", v253, 400, "Invalid input for query parameters with_servers. Value: maybe. 'maybe' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"},
		{"/v2.1/os-hypervisors?foo=1", v253, 400, "Additional properties are not allowed ('foo' was unexpected)"},
		{"/v2.1/os-hypervisors/" + n1, nil, 404, "Hypervisor with ID '" + n1 + "' could not be found."},
		{"/v2.1/os-hypervisors/1", v253, 400, "Invalid uuid 1"},
		{"/v2.1/os-hypervisors/99", nil, 404, "Hypervisor with ID '99' could not be found."},
	}
	for _, c := range refusals {
		if msg := e.refused(t, "GET", c.path, e.admin, nil, c.status, c.hdr...); msg != c.msg {
			t.Errorf("%s: %q, want %q", c.path, msg, c.msg)
		}
	}
}

func TestHypervisorShowUptimeStatistics(t *testing.T) {
	e, n1, _ := hypervisorHosts(t)
	client := e.gc(e.admin, "2.53")
	h, err := hypervisors.GetExt(context.Background(), client, n1, hypervisors.GetOpts{WithServers: ptrBool(true)}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if h.ID != n1 || h.Servers == nil || len(*h.Servers) != 1 || h.VCPUsUsed != 2 {
		t.Fatalf("show: %+v", h)
	}
	r := e.do(t, "GET", "/v2.1/os-hypervisors/1", e.admin, nil)
	if r.Status != 200 || r.Body["hypervisor"].(map[string]any)["hypervisor_hostname"] != "c1.example.org" {
		t.Fatalf("show by id: %s", r.Raw)
	}

	up, err := hypervisors.GetUptime(context.Background(), client, n1).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(up.Uptime, " up 1 day,  2:00,  0 users,  load average: 0.00, 0.00, 0.00") {
		t.Fatalf("uptime: %q", up.Uptime)
	}
	e.clock.Advance(2 * time.Minute)
	if msg := e.refused(t, "GET", "/v2.1/os-hypervisors/1/uptime", e.admin, nil, 400); msg != "Compute service of c1 is unavailable at this time." {
		t.Fatal(msg)
	}

	stats, err := hypervisors.GetStatistics(context.Background(), e.gc(e.admin, "2.1")).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if stats.Count != 2 || stats.VCPUs != 16 || stats.VCPUsUsed != 2 || stats.MemoryMB != 32768 || stats.FreeRamMB != 30720 ||
		stats.LocalGBUsed != 20 || stats.RunningVMs != 1 {
		t.Fatalf("statistics: %+v", stats)
	}
	// A disabled service's nodes leave the statistics.
	e.do(t, "PUT", "/v2.1/os-services/disable", e.admin, map[string]any{"host": "c2", "binary": "nova-compute"})
	stats, _ = hypervisors.GetStatistics(context.Background(), e.gc(e.admin, "2.1")).Extract()
	if stats.Count != 1 || stats.VCPUs != 8 {
		t.Fatalf("statistics without disabled: %+v", stats)
	}
	tok, _ := e.project(t, "p1", "member")
	if msg := e.refused(t, "GET", "/v2.1/os-hypervisors/statistics", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-hypervisors:statistics to be performed." {
		t.Fatal(msg)
	}
}

func ptrBool(b bool) *bool { return &b }
