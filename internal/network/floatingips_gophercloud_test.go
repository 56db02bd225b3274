package network_test

import (
	"context"
	"net/http"
	"net/netip"
	"reflect"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/portforwarding"
)

// inPool says whether ip is in the l3 topology's external pool.
func inPool(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return err == nil && a.Compare(netip.MustParseAddr("203.0.113.10")) >= 0 && a.Compare(netip.MustParseAddr("203.0.113.20")) <= 0
}

// freeExternalAddress is an address of the external pool no port holds
// (addresses are picked at random, so no fixed one is sure to be free).
func (e *env) freeExternalAddress(t *testing.T, ext string) string {
	t.Helper()
	used := map[string]bool{}
	for _, p := range e.ok(t, 200, "GET", "/v2.0/ports?network_id="+ext, e.admin, nil)["ports"].([]any) {
		for _, f := range p.(map[string]any)["fixed_ips"].([]any) {
			used[f.(map[string]any)["ip_address"].(string)] = true
		}
	}
	for a := netip.MustParseAddr("203.0.113.10"); inPool(a.String()); a = a.Next() {
		if !used[a.String()] {
			return a.String()
		}
	}
	t.Fatal("the external pool is full")
	return ""
}

func TestGophercloudFloatingIPs(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	top := e.pfTop(t)
	c := e.client(e.member)
	f, err := floatingips.Create(ctx, c, floatingips.CreateOpts{FloatingNetworkID: top.ext, SubnetID: top.extSub, Description: "gc"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if !inPool(f.FloatingIP) || f.Status != "DOWN" || f.PortID != "" || f.RouterID != "" || f.Description != "gc" || f.ProjectID != e.alpha {
		t.Fatalf("created: %+v", f)
	}
	free := e.freeExternalAddress(t, top.ext)
	pinned := floatingips.CreateOpts{FloatingNetworkID: top.ext, FloatingIP: free, ProjectID: e.alpha}
	if _, err := floatingips.Create(ctx, c, pinned).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Fatalf("a member picks the address: %v", err)
	}
	second, err := floatingips.Create(ctx, e.client(e.admin), pinned).Extract()
	if err != nil || second.FloatingIP != free || second.ProjectID != e.alpha {
		t.Fatalf("admin's pick: %+v %v", second, err)
	}
	f, err = floatingips.Update(ctx, c, f.ID, floatingips.UpdateOpts{PortID: &top.port}).Extract()
	if err != nil || f.PortID != top.port || f.FixedIP != top.ip || f.RouterID != top.router || f.RevisionNumber != 1 {
		t.Fatalf("associated: %+v %v", f, err)
	}
	for _, c2 := range []struct {
		opts floatingips.ListOpts
		want []string
	}{
		{floatingips.ListOpts{PortID: top.port}, []string{f.ID}},
		{floatingips.ListOpts{RouterID: top.router}, []string{f.ID}},
		{floatingips.ListOpts{FixedIP: top.ip}, []string{f.ID}},
		{floatingips.ListOpts{FloatingIP: free}, []string{second.ID}},
		{floatingips.ListOpts{FloatingNetworkID: top.ext, Description: "gc"}, []string{f.ID}},
		{floatingips.ListOpts{FloatingNetworkID: top.ext, SortKey: "floating_ip_address", SortDir: "desc"}, e.byAddressDesc(t, f.ID, second.ID, top.fip)},
		{floatingips.ListOpts{Status: "ACTIVE"}, nil},
	} {
		if got := gcFloatingIPIDs(t, c, c2.opts); !reflect.DeepEqual(got, c2.want) {
			t.Errorf("%+v: %v, want %v", c2.opts, got, c2.want)
		}
	}
	none := ""
	f, err = floatingips.Update(ctx, c, f.ID, floatingips.UpdateOpts{PortID: &none}).Extract()
	if err != nil || f.PortID != "" || f.FixedIP != "" || f.RouterID != "" {
		t.Fatalf("disassociated: %+v %v", f, err)
	}
	for _, id := range []string{f.ID, second.ID} {
		if err := floatingips.Delete(ctx, c, id).ExtractErr(); err != nil {
			t.Fatal(err)
		}
		if _, err := floatingips.Get(ctx, c, id).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
			t.Fatalf("get after delete: %v", err)
		}
	}
}

// byAddressDesc orders floating IPs by address, highest first.
func (e *env) byAddressDesc(t *testing.T, ids ...string) []string {
	t.Helper()
	addr := map[string]netip.Addr{}
	for _, id := range ids {
		addr[id] = netip.MustParseAddr(e.fip(t, "/v2.0/floatingips/"+id)["floating_ip_address"].(string))
	}
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b string) int { return addr[b].Compare(addr[a]) })
	return out
}

func gcFloatingIPIDs(t *testing.T, c *gophercloud.ServiceClient, opts floatingips.ListOpts) []string {
	t.Helper()
	pages, err := floatingips.List(c, opts).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all, err := floatingips.ExtractFloatingIPs(pages)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range all {
		ids = append(ids, f.ID)
	}
	return ids
}

func TestGophercloudPortForwardings(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	top := e.pfTop(t)
	c := e.client(e.member)
	ssh, err := portforwarding.Create(ctx, c, top.fip, portforwarding.CreateOpts{InternalPortID: top.port, InternalIPAddress: top.ip,
		InternalPort: 22, ExternalPort: 2222, Protocol: "tcp", Description: "ssh"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	want := portforwarding.PortForwarding{ID: ssh.ID, Description: "ssh", InternalPortID: top.port, ExternalPort: 2222,
		ExternalPortRange: "2222:2222", Protocol: "tcp", InternalPort: 22, InternalPortRange: "22:22", InternalIPAddress: top.ip}
	if *ssh != want {
		t.Fatalf("created %+v, want %+v", *ssh, want)
	}
	rng, err := portforwarding.Create(ctx, c, top.fip, portforwarding.CreateOpts{InternalPortID: top.port, InternalIPAddress: top.ip,
		InternalPortRange: "5000:5009", ExternalPortRange: "6000:6009", Protocol: "udp"}).Extract()
	if err != nil || rng.ExternalPort != 0 || rng.InternalPort != 0 || rng.ExternalPortRange != "6000:6009" || rng.InternalPortRange != "5000:5009" {
		t.Fatalf("range: %+v %v", rng, err)
	}
	if got, err := portforwarding.Get(ctx, c, top.fip, ssh.ID).Extract(); err != nil || *got != want {
		t.Fatalf("get: %+v %v", got, err)
	}
	for _, c2 := range []struct {
		opts portforwarding.ListOpts
		want []string
	}{
		{portforwarding.ListOpts{Protocol: "udp"}, []string{rng.ID}},
		{portforwarding.ListOpts{ExternalPort: "2222"}, []string{ssh.ID}},
		{portforwarding.ListOpts{InternalPortID: top.port, SortKey: "external_port_range", SortDir: "desc"}, []string{rng.ID, ssh.ID}},
	} {
		if got := gcForwardingIDs(t, c, top.fip, c2.opts); !reflect.DeepEqual(got, c2.want) {
			t.Errorf("%+v: %v, want %v", c2.opts, got, c2.want)
		}
	}
	if _, err := gcForwardings(c, top.fip, portforwarding.ListOpts{InternalIPAddress: top.ip}); !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Fatalf("internal_ip_address is no filter: %v", err)
	}
	e.checkForwardingUpdateAndDelete(t, c, top, ssh.ID, rng.ID)
}

// checkForwardingUpdateAndDelete changes the forwarding ssh, then deletes
// it and rng, the floating IP's two; its router goes with the last one.
func (e *env) checkForwardingUpdateAndDelete(t *testing.T, c *gophercloud.ServiceClient, top pfTopology, ssh, rng string) {
	t.Helper()
	ctx := context.Background()
	desc := "moved"
	got, err := portforwarding.Update(ctx, c, top.fip, ssh, portforwarding.UpdateOpts{Description: &desc, ExternalPort: 2223}).Extract()
	if err != nil || got.Description != desc || got.ExternalPort != 2223 || got.ExternalPortRange != "2223:2223" || got.InternalPort != 22 {
		t.Fatalf("updated: %+v %v", got, err)
	}
	var f struct {
		RouterID        string           `json:"router_id"`
		PortForwardings []map[string]any `json:"port_forwardings"`
	}
	if err := floatingips.Get(ctx, c, top.fip).ExtractInto(&f); err != nil || f.RouterID != top.router || len(f.PortForwardings) != 2 {
		t.Fatalf("floating IP with forwardings: %+v %v", f, err)
	}
	for _, id := range []string{ssh, rng} {
		if err := portforwarding.Delete(ctx, c, top.fip, id).ExtractErr(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := portforwarding.Get(ctx, c, top.fip, ssh).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if fip, err := floatingips.Get(ctx, c, top.fip).Extract(); err != nil || fip.RouterID != "" {
		t.Fatalf("floating IP without forwardings: %+v %v", fip, err)
	}
}

func gcForwardings(c *gophercloud.ServiceClient, fip string, opts portforwarding.ListOpts) ([]portforwarding.PortForwarding, error) {
	pages, err := portforwarding.List(c, opts, fip).AllPages(context.Background())
	if err != nil {
		return nil, err
	}
	return portforwarding.ExtractPortForwardings(pages)
}

func gcForwardingIDs(t *testing.T, c *gophercloud.ServiceClient, fip string, opts portforwarding.ListOpts) []string {
	t.Helper()
	all, err := gcForwardings(c, fip, opts)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, pf := range all {
		ids = append(ids, pf.ID)
	}
	return ids
}
