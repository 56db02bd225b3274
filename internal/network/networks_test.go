package network_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/network"
)

func TestVersionsAndExtensions(t *testing.T) {
	e := start(t)
	v := e.ok(t, 200, "GET", "/", "", nil)["versions"].([]any)[0].(map[string]any)
	if v["id"] != "v2.0" || v["status"] != "CURRENT" {
		t.Fatalf("versions: %v", v)
	}
	res := e.ok(t, 200, "GET", "/v2.0", e.member, nil)["resources"].([]any)
	if res[0].(map[string]any)["collection"] != "networks" {
		t.Fatalf("resources: %v", res)
	}
	exts := e.ok(t, 200, "GET", "/v2.0/extensions", e.member, nil)["extensions"].([]any)
	aliases := map[string]bool{}
	for _, x := range exts {
		aliases[x.(map[string]any)["alias"].(string)] = true
	}
	for _, a := range []string{"provider", "multi-provider", "external-net", "segment", "network-segment-range", "standard-attr-tag"} {
		if !aliases[a] {
			t.Errorf("extension %s missing", a)
		}
	}
	e.ok(t, 200, "GET", "/v2.0/extensions/provider", e.member, nil)
	e.refused(t, 404, "HTTPNotFound", "Extension with alias nope does not exist", "GET", "/v2.0/extensions/nope", e.member, nil)
	if r := e.do(t, "GET", "/v2.0/networks", "", nil); r.Status != 401 {
		t.Fatalf("no token: %d", r.Status)
	}
}

func TestNetworkLifecycle(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "intnet"})
	want := map[string]any{"name": "intnet", "status": "ACTIVE", "admin_state_up": true, "shared": false,
		"router:external": false, "mtu": float64(1450), "port_security_enabled": true, "project_id": e.alpha,
		"tenant_id": e.alpha, "revision_number": float64(0), "description": "", "l2_adjacency": true,
		"is_default": false, "ipv4_address_scope": nil, "created_at": "2024-01-02T03:04:07Z"}
	for k, v := range want {
		if fmt.Sprint(n[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, n[k], v)
		}
	}
	for _, k := range []string{"provider:network_type", "provider:segmentation_id", "segments"} {
		if _, ok := n[k]; ok {
			t.Errorf("member sees %s", k)
		}
	}
	id := n["id"].(string)
	adm := e.ok(t, 200, "GET", "/v2.0/networks/"+id, e.admin, nil)["network"].(map[string]any)
	if adm["provider:network_type"] != "vxlan" || adm["provider:segmentation_id"] != float64(1) || adm["provider:physical_network"] != nil {
		t.Fatalf("admin view: %v", adm)
	}
	up := e.ok(t, 200, "PUT", "/v2.0/networks/"+id, e.member, map[string]any{"network": map[string]any{"name": "renamed", "admin_state_up": "false"}})["network"].(map[string]any)
	if up["name"] != "renamed" || up["admin_state_up"] != false || up["revision_number"] != float64(1) {
		t.Fatalf("update: %v", up)
	}
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+id, e.member, nil)
	e.refused(t, 404, "NetworkNotFound", "Network "+id+" could not be found.", "GET", "/v2.0/networks/"+id, e.member, nil)
}

func TestNetworkBadInput(t *testing.T) {
	e := start(t, func(o *network.Options) { o.VLANRanges = []string{"physnet1"} })
	id := e.createNet(t, e.member, map[string]any{"name": "x"})["id"].(string)
	for _, c := range []struct {
		name, method, path string
		token              string
		body               any
		status             int
		typ, msg           string
	}{
		{"unknown attribute", "POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{"bogus": 1}},
			400, "HTTPBadRequest", "Unrecognized attribute(s) 'bogus'"},
		{"bad boolean", "POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{"admin_state_up": "maybe"}},
			400, "InvalidInput", "Invalid input for operation: 'maybe' cannot be converted to boolean."},
		{"long name", "POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{"name": strings.Repeat("n", 256)}},
			400, "HTTPBadRequest", ""},
		{"no body", "POST", "/v2.0/networks", e.member, map[string]any{},
			400, "HTTPBadRequest", "Resource body required"},
		{"read-only", "PUT", "/v2.0/networks/" + id, e.member, map[string]any{"network": map[string]any{"status": "DOWN"}},
			400, "HTTPBadRequest", "Cannot update read-only attribute status"},
		{"provider as member", "POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{"provider:network_type": "vxlan"}},
			403, "PolicyNotAuthorized", "(rule:create_network and rule:create_network:provider:network_type) is disallowed by policy"},
		{"shared as member", "POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{"shared": true}},
			403, "PolicyNotAuthorized", "(rule:create_network and rule:create_network:shared) is disallowed by policy"},
		{"vlan id without physnet", "POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "vlan", "provider:segmentation_id": 5}},
			400, "InvalidInput", "Invalid input for operation: segmentation_id requires physical_network for VLAN provider network."},
		{"vlan id out of range", "POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "vlan", "provider:physical_network": "physnet1", "provider:segmentation_id": 4095}},
			400, "InvalidInput", "Invalid input for operation: segmentation_id out of range (1 through 4094)."},
		{"unknown vlan physnet", "POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "vlan", "provider:physical_network": "nope"}},
			400, "InvalidInput", "Invalid input for operation: physical_network 'nope' unknown for VLAN provider network."},
		{"unsupported type", "POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "geneve"}},
			400, "InvalidInput", "Invalid input for operation: network_type value 'geneve' not supported."},
		{"flat without physnet", "POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "flat"}},
			400, "InvalidInput", "Invalid input for operation: physical_network required for flat provider network."},
		{"physnet on vxlan", "POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "vxlan", "provider:physical_network": "p"}},
			400, "InvalidInput", "Invalid input for operation: provider:physical_network specified for vxlan network."},
		{"segments and provider", "POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "vxlan", "segments": []any{map[string]any{"provider:network_type": "vxlan"}}}},
			400, "SegmentsSetInConjunctionWithProviders", "Segments and provider values cannot both be set."},
		{"mtu too big", "POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{"mtu": 9000}},
			400, "InvalidInput", "Invalid input for operation: Requested MTU is too big, maximum is 1450."},
		{"bad filter", "GET", "/v2.0/networks?bogus=1", e.member, nil,
			400, "HTTPBadRequest", "['bogus'] is invalid attribute for filtering"},
		{"bad sort key", "GET", "/v2.0/networks?sort_key=bogus&sort_dir=asc", e.member, nil,
			400, "HTTPBadRequest", "['bogus'] is invalid attribute for sort_keys"},
		{"bad limit", "GET", "/v2.0/networks?limit=x", e.member, nil,
			400, "BadRequest", "Bad limit request: Limit must be an integer 0 or greater and not 'x'."},
		{"segments as member", "GET", "/v2.0/segments", e.member, nil,
			403, "PolicyNotAuthorized", "rule:get_segment is disallowed by policy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.msg, c.method, c.path, c.token, c.body)
		})
	}
}

func TestProviderNetworks(t *testing.T) {
	e := start(t, func(o *network.Options) { o.VLANRanges = []string{"physnet1:100:101"} })
	flat := e.createNet(t, e.admin, map[string]any{"name": "ext", "router:external": true,
		"provider:network_type": "flat", "provider:physical_network": "provider"})
	if flat["mtu"] != float64(1500) || flat["provider:segmentation_id"] != nil || flat["router:external"] != true {
		t.Fatalf("flat: %v", flat)
	}
	e.refused(t, 409, "FlatNetworkInUse", "Unable to create the flat network. Physical network provider is in use.",
		"POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "flat", "provider:physical_network": "provider"}})
	vlan := e.createNet(t, e.admin, map[string]any{"provider:network_type": "vlan", "provider:physical_network": "physnet1", "provider:segmentation_id": 5})
	if vlan["mtu"] != float64(1500) {
		t.Fatalf("vlan mtu: %v", vlan["mtu"])
	}
	e.refused(t, 409, "VlanIdInUse", "Unable to create the network. The VLAN 5 on physical network physnet1 is in use.",
		"POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "vlan", "provider:physical_network": "physnet1", "provider:segmentation_id": 5}})
	partial := e.createNet(t, e.admin, map[string]any{"provider:network_type": "vlan"})
	if partial["provider:segmentation_id"] != float64(100) || partial["provider:physical_network"] != "physnet1" {
		t.Fatalf("partial vlan: %v", partial)
	}
	gre := e.createNet(t, e.admin, map[string]any{"provider:network_type": "gre", "provider:segmentation_id": 7})
	if gre["mtu"] != float64(1458) {
		t.Fatalf("gre mtu: %v", gre["mtu"])
	}
	e.refused(t, 409, "TunnelIdInUse", "Unable to create the network. The tunnel ID 7 is in use.",
		"POST", "/v2.0/networks", e.admin, map[string]any{"network": map[string]any{"provider:network_type": "gre", "provider:segmentation_id": 7}})
	// The member sees the external network but not its provider attributes.
	got := e.ok(t, 200, "GET", "/v2.0/networks/"+flat["id"].(string), e.member, nil)["network"].(map[string]any)
	if _, ok := got["provider:network_type"]; ok {
		t.Fatalf("member sees provider attributes: %v", got)
	}
	// Changing the VLAN tag moves the allocation.
	up := e.ok(t, 200, "PUT", "/v2.0/networks/"+vlan["id"].(string), e.admin, map[string]any{"network": map[string]any{"provider:segmentation_id": 6}})["network"].(map[string]any)
	if up["provider:segmentation_id"] != float64(6) {
		t.Fatalf("vlan update: %v", up)
	}
	e.createNet(t, e.admin, map[string]any{"provider:network_type": "vlan", "provider:physical_network": "physnet1", "provider:segmentation_id": 5})
}

func TestMultiSegmentNetwork(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.admin, map[string]any{"segments": []any{
		map[string]any{"provider:network_type": "vxlan", "provider:segmentation_id": 50},
		map[string]any{"provider:network_type": "gre"},
	}})
	segs, ok := n["segments"].([]any)
	if !ok || len(segs) != 2 || n["mtu"] != float64(1450) {
		t.Fatalf("multi-segment: %v", n)
	}
	if _, ok := n["provider:network_type"]; ok {
		t.Fatalf("provider attributes on a multi-segment network: %v", n)
	}
	list := e.ok(t, 200, "GET", "/v2.0/segments?network_id="+n["id"].(string)+"&sort_key=segmentation_id&sort_dir=desc", e.admin, nil)["segments"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["segmentation_id"] != float64(50) {
		t.Fatalf("segments: %v", list)
	}
	e.refused(t, 400, "SegmentsContainDuplicateEntry", "Duplicate segment entry in request.", "POST", "/v2.0/networks", e.admin,
		map[string]any{"network": map[string]any{"segments": []any{
			map[string]any{"provider:network_type": "vxlan", "provider:segmentation_id": 60},
			map[string]any{"provider:network_type": "vxlan", "provider:segmentation_id": 60}}}})
}

func TestSegmentAllocationAndRelease(t *testing.T) {
	e := start(t, func(o *network.Options) { o.VXLANRanges = []string{"10:11"} })
	a := e.createNet(t, e.member, map[string]any{"name": "a"})
	b := e.createNet(t, e.member, map[string]any{"name": "b"})
	e.refused(t, 503, "NoNetworkAvailable", "Unable to create the network. No tenant network is available for allocation.",
		"POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{"name": "c"}})
	seg := func(id string) any {
		return e.ok(t, 200, "GET", "/v2.0/networks/"+id, e.admin, nil)["network"].(map[string]any)["provider:segmentation_id"]
	}
	if seg(a["id"].(string)) != float64(10) || seg(b["id"].(string)) != float64(11) {
		t.Fatalf("ids: %v %v", seg(a["id"].(string)), seg(b["id"].(string)))
	}
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+a["id"].(string), e.member, nil)
	c := e.createNet(t, e.member, map[string]any{"name": "c"})
	if seg(c["id"].(string)) != float64(10) {
		t.Fatalf("released id not reused: %v", seg(c["id"].(string)))
	}
	ranges := e.ok(t, 200, "GET", "/v2.0/network-segment-ranges?network_type=vxlan", e.admin, nil)["network_segment_ranges"].([]any)
	r := ranges[0].(map[string]any)
	if r["default"] != true || r["shared"] != true || r["minimum"] != float64(10) || len(r["used"].(map[string]any)) != 2 {
		t.Fatalf("default range: %v", r)
	}
	// A new range makes room again.
	e.ok(t, 201, "POST", "/v2.0/network-segment-ranges", e.admin, map[string]any{"network_segment_range": map[string]any{
		"name": "more", "network_type": "vxlan", "minimum": 20, "maximum": 20}})
	d := e.createNet(t, e.member, map[string]any{"name": "d"})
	if seg(d["id"].(string)) != float64(20) {
		t.Fatalf("new range not used: %v", seg(d["id"].(string)))
	}
	e.refused(t, 400, "NetworkSegmentRangeDefaultReadOnly", "", "DELETE", "/v2.0/network-segment-ranges/"+r["id"].(string), e.admin, nil)
}

func TestRevisionIfMatch(t *testing.T) {
	e := start(t)
	id := e.createNet(t, e.member, map[string]any{"name": "r"})["id"].(string)
	body := map[string]any{"network": map[string]any{"name": "r2"}}
	e.refused(t, 412, "RevisionNumberConstraintFailed", "Constrained to 5, but current revision is 0",
		"PUT", "/v2.0/networks/"+id, e.member, body, "If-Match", "revision_number=5")
	e.ok(t, 200, "PUT", "/v2.0/networks/"+id, e.member, body, "If-Match", "revision_number=0")
	e.refused(t, 412, "RevisionNumberConstraintFailed", "Constrained to 0, but current revision is 1",
		"DELETE", "/v2.0/networks/"+id, e.member, nil, "If-Match", "revision_number=0")
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+id, e.member, nil, "If-Match", "revision_number=1")
}

func TestListQueries(t *testing.T) {
	e := start(t)
	for _, name := range []string{"c", "a", "b", "d"} {
		e.createNet(t, e.member, map[string]any{"name": name, "admin_state_up": name != "d"})
	}
	names := func(path string) string {
		var out []string
		for _, n := range e.ok(t, 200, "GET", path, e.member, nil)["networks"].([]any) {
			out = append(out, fmt.Sprint(n.(map[string]any)["name"]))
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct{ path, want string }{
		{"/v2.0/networks?sort_key=name&sort_dir=asc", "a,b,c,d"},
		{"/v2.0/networks?sort_key=name&sort_dir=desc", "d,c,b,a"},
		{"/v2.0/networks?name=a&name=c&sort_key=name&sort_dir=asc", "a,c"},
		{"/v2.0/networks?admin_state_up=false", "d"},
		{"/v2.0/networks?admin_state_up=True&sort_key=name&sort_dir=desc", "c,b,a"},
		{"/v2.0/networks?sort_key=admin_state_up&sort_dir=asc&sort_key=name&sort_dir=desc", "d,c,b,a"},
		{"/v2.0/networks?sort_key=name&sort_dir=asc&limit=2", "a,b"},
		{"/v2.0/networks?mtu=1450&name=b", "b"},
	} {
		if got := names(c.path); got != c.want {
			t.Errorf("%s: %s, want %s", c.path, got, c.want)
		}
	}
	fields := e.ok(t, 200, "GET", "/v2.0/networks?fields=id&fields=name", e.member, nil)["networks"].([]any)
	if len(fields[0].(map[string]any)) != 2 {
		t.Fatalf("fields: %v", fields[0])
	}
	// Paging forwards through the links.
	var seen []string
	path := "/v2.0/networks?sort_key=name&sort_dir=asc&limit=3"
	for i := 0; path != "" && i < 5; i++ {
		body := e.ok(t, 200, "GET", path, e.member, nil)
		for _, n := range body["networks"].([]any) {
			seen = append(seen, n.(map[string]any)["name"].(string))
		}
		path = ""
		links, _ := body["networks_links"].([]any)
		for _, l := range links {
			if l.(map[string]any)["rel"] == "next" {
				path = strings.TrimPrefix(l.(map[string]any)["href"].(string), e.root)
			}
		}
	}
	if strings.Join(seen, ",") != "a,b,c,d" {
		t.Fatalf("paged: %v", seen)
	}
	// A previous link from the second page leads back to the first.
	body := e.ok(t, 200, "GET", "/v2.0/networks?sort_key=name&sort_dir=asc&limit=2", e.member, nil)
	next := body["networks_links"].([]any)[0].(map[string]any)
	if next["rel"] != "next" || !strings.Contains(next["href"].(string), "marker=") {
		t.Fatalf("links: %v", body["networks_links"])
	}
	second := e.ok(t, 200, "GET", strings.TrimPrefix(next["href"].(string), e.root), e.member, nil)
	var prev string
	for _, l := range second["networks_links"].([]any) {
		if l.(map[string]any)["rel"] == "previous" {
			prev = strings.TrimPrefix(l.(map[string]any)["href"].(string), e.root)
		}
	}
	if got := names(prev); got != "a,b" || !strings.HasSuffix(prev, "page_reverse=True") {
		t.Fatalf("previous %s: %s", prev, got)
	}
}

func TestTenantIsolation(t *testing.T) {
	e := start(t)
	other, _ := e.project(t, "beta", "member")
	id := e.createNet(t, e.member, map[string]any{"name": "mine"})["id"].(string)
	e.refused(t, 404, "NetworkNotFound", "", "GET", "/v2.0/networks/"+id, other, nil)
	e.refused(t, 404, "NetworkNotFound", "", "PUT", "/v2.0/networks/"+id, other, map[string]any{"network": map[string]any{"name": "x"}})
	e.refused(t, 404, "NetworkNotFound", "", "DELETE", "/v2.0/networks/"+id, other, nil)
	if l := e.ok(t, 200, "GET", "/v2.0/networks", other, nil)["networks"].([]any); len(l) != 0 {
		t.Fatalf("beta sees %v", l)
	}
	shared := e.createNet(t, e.admin, map[string]any{"name": "pub", "shared": true})["id"].(string)
	e.ok(t, 200, "GET", "/v2.0/networks/"+shared, other, nil)
	e.refused(t, 403, "PolicyNotAuthorized", "", "PUT", "/v2.0/networks/"+shared, other, map[string]any{"network": map[string]any{"name": "x"}})
}

func TestTags(t *testing.T) {
	e := start(t)
	a := e.createNet(t, e.member, map[string]any{"name": "a"})["id"].(string)
	b := e.createNet(t, e.member, map[string]any{"name": "b"})["id"].(string)
	base := "/v2.0/networks/" + a + "/tags"
	e.ok(t, 201, "PUT", base+"/red", e.member, nil)
	e.ok(t, 200, "PUT", "/v2.0/networks/"+b+"/tags", e.member, map[string]any{"tags": []string{"blue", "red"}})
	e.ok(t, 204, "GET", base+"/red", e.member, nil)
	e.refused(t, 404, "TagNotFound", "Tag blue could not be found.", "GET", base+"/blue", e.member, nil)
	if tags := e.ok(t, 200, "GET", "/v2.0/networks/"+b+"/tags", e.member, nil)["tags"].([]any); len(tags) != 2 {
		t.Fatalf("tags: %v", tags)
	}
	count := func(q string) int {
		return len(e.ok(t, 200, "GET", "/v2.0/networks?"+q, e.member, nil)["networks"].([]any))
	}
	for q, want := range map[string]int{"tags=red": 2, "tags=red,blue": 1, "tags-any=blue": 1, "not-tags=red,blue": 1, "not-tags-any=blue": 1} {
		if got := count(q); got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
	n := e.ok(t, 200, "GET", "/v2.0/networks/"+a, e.member, nil)["network"].(map[string]any)
	if n["revision_number"] != float64(1) || fmt.Sprint(n["tags"]) != "[red]" {
		t.Fatalf("tagged network: %v", n)
	}
	e.ok(t, 204, "DELETE", base+"/red", e.member, nil)
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+b+"/tags", e.member, nil)
	e.refused(t, 404, "TagResourceNotFound", "Resource networks nope could not be found.", "GET", "/v2.0/networks/nope/tags", e.member, nil)
	e.refused(t, 400, "InvalidInput", "Invalid input for operation: Invalid tags body.", "PUT", base, e.member, map[string]any{"nope": 1})
}
