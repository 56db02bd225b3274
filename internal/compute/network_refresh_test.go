package compute_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

// floatingNetwork is the stub network whose ports gain a floating IP once
// floating is set, as a floating IP association would.
type floatingNetwork struct {
	compute.Network
	floating atomic.Value // string
}

func (n *floatingNetwork) Refresh(_ context.Context, inst compute.InstanceRef) ([]computerpc.NIC, error) {
	out := make([]computerpc.NIC, len(inst.NICs))
	for i, nic := range inst.NICs {
		nic.FloatingIPs = nil
		if f, _ := n.floating.Load().(string); f != "" && i == 0 {
			nic.FloatingIPs = []computerpc.FloatingIP{{FixedIP: nic.IPs[0], Address: f}}
		}
		out[i] = nic
	}
	return out, nil
}

// A network-changed event refreshes the server's addresses: a floating IP
// shows after its fixed IP, and goes when it is taken away.
func TestNetworkChangedShowsFloatingIPs(t *testing.T) {
	net := &floatingNetwork{Network: compute.NewStubNetwork()}
	c := startCloud(t, hostConfig{hosts: 1}, func(o *compute.Options) { o.Network = net })
	id := c.settle(t, c.boot(t, "fip", "1", map[string]any{"networks": "auto"}))["id"].(string)
	addrs := func() []any {
		for _, v := range c.server(t, id)["addresses"].(map[string]any) {
			return v.([]any)
		}
		return nil
	}
	fixed := addrs()[0].(map[string]any)
	changed := func() {
		t.Helper()
		r := c.do(t, "POST", "/v2.1/os-server-external-events", c.admin, map[string]any{"events": []any{
			map[string]any{"name": "network-changed", "server_uuid": id, "tag": "port"}}})
		if r.Status != 200 {
			t.Fatalf("event: %d %s", r.Status, r.Raw)
		}
	}
	net.floating.Store("203.0.113.7")
	changed()
	want := []any{fixed, map[string]any{"version": float64(4), "addr": "203.0.113.7", "OS-EXT-IPS:type": "floating",
		"OS-EXT-IPS-MAC:mac_addr": fixed["OS-EXT-IPS-MAC:mac_addr"]}}
	if got := addrs(); !reflect.DeepEqual(got, want) {
		t.Fatalf("addresses after association:\n got %v\nwant %v", got, want)
	}
	net.floating.Store("")
	changed()
	if got := addrs(); !reflect.DeepEqual(got, []any{fixed}) {
		t.Fatalf("addresses after disassociation: %v", got)
	}
}
