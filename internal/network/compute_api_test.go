package network_test

import (
	"context"
	"errors"
	"testing"

	"github.com/monostack/monostack/internal/network"
)

func TestInstancePortsBindAndRelease(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	n := e.createNet(t, e.member, map[string]any{"name": "net"})
	e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.7.0.0/24"})
	own := e.createPort(t, e.member, map[string]any{"network_id": n["id"], "name": "mine"})
	inst := network.Instance{UUID: "11111111-2222-4333-8444-555555555555", ProjectID: e.alpha, Host: "host1"}
	if err := e.svc.CheckInstancePorts(ctx, e.alpha, []network.InstancePort{{NetworkID: n["id"].(string), FixedIP: "10.7.0.9"}}); err != nil {
		t.Fatal(err)
	}
	ports, err := e.svc.BindInstancePorts(ctx, inst, []network.InstancePort{{NetworkID: n["id"].(string), FixedIP: "10.7.0.9"}, {PortID: own["id"].(string)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ports) != 2 || ports[0].IPs[0] != "10.7.0.9" || ports[0].MTU != 1450 || ports[0].Existing || !ports[1].Existing {
		t.Fatalf("bound %+v", ports)
	}
	got := e.ok(t, 200, "GET", "/v2.0/ports/"+own["id"].(string), e.admin, nil)["port"].(map[string]any)
	if got["device_id"] != inst.UUID || got["binding:host_id"] != "host1" || got["status"] != "ACTIVE" || got["device_owner"] != "compute:nova" {
		t.Fatalf("given port %v", got)
	}
	if err := e.svc.CheckInstancePorts(ctx, e.alpha, []network.InstancePort{{PortID: own["id"].(string)}}); err == nil {
		t.Fatal("a port in use passed")
	}
	if err := e.svc.ReleaseInstancePorts(ctx, inst.UUID, map[string]bool{own["id"].(string): true}); err != nil {
		t.Fatal(err)
	}
	left := e.ok(t, 200, "GET", "/v2.0/ports?network_id="+n["id"].(string)+"&device_owner=", e.admin, nil)["ports"].([]any)
	if len(left) != 1 || left[0].(map[string]any)["id"] != own["id"] || left[0].(map[string]any)["device_id"] != "" {
		t.Fatalf("after release %v", left)
	}
	// A second network makes "auto" ambiguous.
	e.createNet(t, e.member, map[string]any{"name": "other"})
	if err := e.svc.CheckInstancePorts(ctx, e.alpha, nil); !errors.Is(err, network.ErrNetworkAmbiguous) {
		t.Fatalf("auto with two networks: %v", err)
	}
}
