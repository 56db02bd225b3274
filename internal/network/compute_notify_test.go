package network_test

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/monostack/monostack/internal/network"
)

// Associating, moving and deleting a floating IP tells compute which
// instances' addresses changed, and InstancePortsNow shows the floating
// address next to the fixed one.
func TestFloatingIPChangesReachCompute(t *testing.T) {
	var mu sync.Mutex
	var heard [][]string
	e := start(t, func(o *network.Options) {
		o.NetworkChanged = func(_ context.Context, ids []string) {
			mu.Lock()
			defer mu.Unlock()
			heard = append(heard, ids)
		}
	})
	took := func(want ...[]string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if !reflect.DeepEqual(heard, want) {
			t.Fatalf("compute heard %v, want %v", heard, want)
		}
		heard = nil
	}
	top := e.l3(t)
	e.ok(t, 200, "PUT", "/v2.0/routers/"+top.router+"/add_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.ok(t, 200, "PUT", "/v2.0/routers/"+top.router, e.member, map[string]any{"router": map[string]any{
		"external_gateway_info": map[string]any{"network_id": top.ext}}})
	vmPort := func(vm string) map[string]any {
		return e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{
			"network_id": top.net, "device_owner": "compute:nova", "device_id": vm}})["port"].(map[string]any)
	}
	p1, p2 := vmPort("vm-1"), vmPort("vm-2")
	fixed1 := p1["fixed_ips"].([]any)[0].(map[string]any)["ip_address"].(string)
	fip := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": top.ext, "port_id": p1["id"]}})["floatingip"].(map[string]any)
	took([]string{"vm-1"})
	ports, err := e.svc.InstancePortsNow(context.Background(), "vm-1")
	if err != nil {
		t.Fatal(err)
	}
	want := []network.FloatingAddress{{FixedIP: fixed1, Address: fip["floating_ip_address"].(string)}}
	if len(ports) != 1 || ports[0].PortID != p1["id"] || !reflect.DeepEqual(ports[0].FloatingIPs, want) || ports[0].MTU != 1450 {
		t.Fatalf("vm-1 ports now: %+v", ports)
	}
	path := "/v2.0/floatingips/" + fip["id"].(string)
	e.ok(t, 200, "PUT", path, e.member, map[string]any{"floatingip": map[string]any{"description": "same port"}})
	took()
	e.ok(t, 200, "PUT", path, e.member, map[string]any{"floatingip": map[string]any{"port_id": p2["id"]}})
	took([]string{"vm-1", "vm-2"})
	if ports, _ := e.svc.InstancePortsNow(context.Background(), "vm-1"); len(ports[0].FloatingIPs) != 0 {
		t.Fatalf("vm-1 keeps %v", ports[0].FloatingIPs)
	}
	e.ok(t, 204, "DELETE", path, e.member, nil)
	took([]string{"vm-2"})
}
