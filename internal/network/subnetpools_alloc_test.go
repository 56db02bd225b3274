package network_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

// wantNeutronError fails unless err is a Neutron error of typ and msg.
func wantNeutronError(t *testing.T, err error, status int, typ, msg string) {
	t.Helper()
	var ne *neutronerr.Error
	if !errors.As(err, &ne) || ne.Type != typ || ne.Message != msg || ne.Status != status {
		t.Fatalf("error %v, want %d %s %q", err, status, typ, msg)
	}
}

// Twenty /29s fill a pool of a /25 and a /27, each handed out once, then
// the pool is exhausted.
func TestAllocateSubnetFromPool(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.admin, map[string]any{"name": "n"})["id"].(string)
	pool := e.pool(t, e.admin, map[string]any{"name": "p", "prefixes": []any{"10.10.0.0/25", "10.10.1.0/27"},
		"min_prefixlen": 24, "default_prefixlen": 29})["id"].(string)
	seen := map[string]bool{}
	for range 20 {
		c, err := e.svc.AllocateFromPoolForTest(t.Context(), net, pool, e.alpha, "", 0, 4)
		if err != nil {
			t.Fatal(err)
		}
		if seen[c] {
			t.Fatalf("%s handed out twice", c)
		}
		seen[c] = true
	}
	if !seen["10.10.0.0/29"] || !seen["10.10.1.24/29"] {
		t.Fatalf("allocated: %v", seen)
	}
	_, err := e.svc.AllocateFromPoolForTest(t.Context(), net, pool, e.alpha, "", 0, 4)
	wantNeutronError(t, err, 500, "SubnetAllocationError", "Failed to allocate subnet: Insufficient prefix space to allocate subnet size /29.")
}

func TestAllocateSubnetFromPoolRequests(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.admin, map[string]any{"name": "n"})["id"].(string)
	pool := e.pool(t, e.admin, map[string]any{"name": "p", "prefixes": []any{"10.20.0.0/16"},
		"min_prefixlen": 20, "max_prefixlen": 28, "default_prefixlen": 24, "default_quota": 1024})["id"].(string)
	alloc := func(cidr string, plen, ver int) (string, error) {
		return e.svc.AllocateFromPoolForTest(t.Context(), net, pool, e.alpha, cidr, plen, ver)
	}
	if c, err := alloc("10.20.7.0/24", 0, 0); err != nil || c != "10.20.7.0/24" {
		t.Fatalf("specific: %s %v", c, err)
	}
	if c, err := alloc("", 0, 4); err != nil || c != "10.20.6.0/24" { // smallest free block first
		t.Fatalf("default length: %s %v", c, err)
	}
	_, err := alloc("10.20.7.128/25", 0, 0)
	wantNeutronError(t, err, 500, "SubnetAllocationError", "Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes.")
	_, err = alloc("", 29, 0)
	wantNeutronError(t, err, 400, "MaxPrefixSubnetAllocationError", "Unable to allocate subnet with prefix length 29, maximum allowed prefix is 28.")
	_, err = alloc("", 16, 0)
	wantNeutronError(t, err, 400, "MinPrefixSubnetAllocationError", "Unable to allocate subnet with prefix length 16, minimum allowed prefix is 20.")
	_, err = alloc("", 0, 6)
	wantNeutronError(t, err, 400, "BadRequest", "Bad subnets request: Cannot allocate IPv6 subnet from IPv4 subnet pool.")
	_, err = alloc("", 20, 4) // 512 used + 4096 over a 1024 quota
	wantNeutronError(t, err, 409, "SubnetPoolQuotaExceeded", "Per-tenant subnet pool prefix quota exceeded.")
	_, err = e.svc.AllocateFromPoolForTest(t.Context(), net, "00000000-0000-4000-8000-999999999999", e.alpha, "", 24, 4)
	wantNeutronError(t, err, 404, "SubnetPoolNotFound", "Subnet pool 00000000-0000-4000-8000-999999999999 could not be found.")
}

func TestSubnetPoolPrefixOps(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	id := e.pool(t, e.member, map[string]any{"name": "p", "prefixes": []any{"10.0.0.0/24"}, "default_prefixlen": 26})["id"].(string)
	base := "/v2.0/subnetpools/" + id
	got := e.ok(t, 200, "PUT", base+"/add_prefixes", e.member, map[string]any{"prefixes": []any{"10.0.1.0/24", "192.168.0.0/24"}})
	if !slices.Equal(got["prefixes"].([]any), []any{"10.0.0.0/23", "192.168.0.0/24"}) {
		t.Fatalf("added: %v", got)
	}
	if _, err := e.svc.AllocateFromPoolForTest(t.Context(), net, id, e.alpha, "192.168.0.64/26", 0, 0); err != nil {
		t.Fatal(err)
	}
	e.refused(t, 400, "IllegalSubnetPoolPrefixUpdate", "Illegal update to prefixes: One or more the prefixes to be removed is in use by a subnet..",
		"PUT", base+"/remove_prefixes", e.member, map[string]any{"prefixes": []any{"192.168.0.0/24"}})
	got = e.ok(t, 200, "PUT", base+"/remove_prefixes", e.member, map[string]any{"prefixes": []any{"10.0.1.0/24", "172.16.0.0/12"}})
	if !slices.Equal(got["prefixes"].([]any), []any{"10.0.0.0/24", "192.168.0.0/24"}) {
		t.Fatalf("removed: %v", got)
	}
	show := e.ok(t, 200, "GET", base, e.member, nil)["subnetpool"].(map[string]any)
	if show["revision_number"] != float64(2) {
		t.Fatalf("revision after two prefix changes: %v", show)
	}
	e.refused(t, 400, "HTTPBadRequest", "Request body contains invalid data", "PUT", base+"/add_prefixes", e.member, map[string]any{"prefixes": []any{}})
	e.refused(t, 400, "SubnetPoolDeleteError", "Unable to delete subnet pool: Subnet pool has existing allocations.", "DELETE", base, e.member, nil)
}

func TestNetworkAddressScopes(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	scope := e.scope(t, e.member, map[string]any{"ip_version": 6})["id"].(string)
	id := e.pool(t, e.member, map[string]any{"name": "p", "prefixes": []any{"2001:db8::/48"}, "address_scope_id": scope})["id"].(string)
	if _, err := e.svc.AllocateFromPoolForTest(t.Context(), net, id, e.alpha, "", 0, 6); err != nil {
		t.Fatal(err)
	}
	if v4, v6, err := e.svc.NetworkScopesForTest(t.Context(), net); err != nil || v4 != "" || v6 != scope {
		t.Fatalf("scopes: %q %q %v", v4, v6, err)
	}
}

// Parallel allocations from one pool never share a prefix (the pool's
// row lock on PostgreSQL, the single writer on SQLite).
func TestAllocateSubnetFromPoolParallel(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.admin, map[string]any{"name": "n"})["id"].(string)
	pool := e.pool(t, e.admin, map[string]any{"name": "p", "prefixes": []any{"10.30.0.0/24"}, "default_prefixlen": 28})["id"].(string)
	got := make([]string, 12)
	errs := make([]error, len(got))
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i], errs[i] = e.svc.AllocateFromPoolForTest(t.Context(), net, pool, e.alpha, "", 0, 0) })
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, c := range got {
		if errs[i] != nil || seen[c] {
			t.Fatalf("allocation %d: %q %v (all: %v)", i, c, errs[i], got)
		}
		seen[c] = true
	}
}
