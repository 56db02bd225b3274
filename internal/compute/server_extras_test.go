package compute_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/instanceactions"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servergroups"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/tags"

	"github.com/monostack/monostack/internal/compute"
)

func TestServerMetadataAPI(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.Metadata = map[string]string{"a": "1"} })
	c := e.computeClient(tok, "2.1")
	md, err := servers.UpdateMetadata(context.Background(), c, id, servers.MetadataOpts{"b": "2"}).Extract()
	if err != nil || md["a"] != "1" || md["b"] != "2" {
		t.Fatalf("merge: %v %v", md, err)
	}
	md, err = servers.ResetMetadata(context.Background(), c, id, servers.MetadataOpts{"c": "3"}).Extract()
	if err != nil || len(md) != 1 || md["c"] != "3" {
		t.Fatalf("replace: %v %v", md, err)
	}
	if _, err := servers.CreateMetadatum(context.Background(), c, id, servers.MetadatumOpts{"d": "4"}).Extract(); err != nil {
		t.Fatal(err)
	}
	if m, err := servers.Metadatum(context.Background(), c, id, "d").Extract(); err != nil || m["d"] != "4" {
		t.Fatalf("show: %v %v", m, err)
	}
	if err := servers.DeleteMetadatum(context.Background(), c, id, "d").ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers/"+id+"/metadata/d", tok, nil, 404); msg != "Metadata item was not found" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "PUT", "/v2.1/servers/"+id+"/metadata/x", tok, map[string]any{"meta": map[string]any{"y": "1"}}, 400); msg != "Request body and URI mismatch" {
		t.Fatal(msg)
	}
	building := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.VMState = "building" })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+building+"/metadata", tok, map[string]any{"metadata": map[string]any{"y": "1"}}, 409); msg != "Cannot 'update metadata' instance "+building+" while it is in vm_state building" {
		t.Fatal(msg)
	}
}

func TestServerTagsAPI(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	c := e.computeClient(tok, "2.26")
	got, err := tags.ReplaceAll(context.Background(), c, id, tags.ReplaceAllOpts{Tags: []string{"b", "a"}}).Extract()
	if err != nil || strings.Join(got, ",") != "a,b" {
		t.Fatalf("replace: %v %v", got, err)
	}
	if err := tags.Add(context.Background(), c, id, "c").ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if ok, err := tags.Check(context.Background(), c, id, "c").Extract(); err != nil || !ok {
		t.Fatalf("check: %v %v", ok, err)
	}
	if err := tags.Delete(context.Background(), c, id, "c").ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if msg := e.refused(t, "PUT", "/v2.1/servers/"+id+"/tags/a,b", tok, nil, 400, "OpenStack-API-Version", "compute 2.26"); !strings.HasPrefix(msg, "Tag 'a,b' is invalid.") {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "PUT", "/v2.1/servers/"+id+"/tags/"+strings.Repeat("x", 61), tok, nil, 400, "OpenStack-API-Version", "compute 2.26"); !strings.Contains(msg, "is too long") {
		t.Fatal(msg)
	}
	many := make([]string, 51)
	for i := range many {
		many[i] = strings.Repeat("t", i+1)[:min(i+1, 60)]
	}
	if msg := e.refused(t, "PUT", "/v2.1/servers/"+id+"/tags", tok, map[string]any{"tags": many}, 400, "OpenStack-API-Version", "compute 2.26"); !strings.Contains(msg, "is too long") {
		t.Fatal(msg)
	}
	if err := tags.DeleteAll(context.Background(), c, id).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if got, _ := tags.List(context.Background(), c, id).Extract(); len(got) != 0 {
		t.Fatalf("after delete all: %v", got)
	}
	e.refused(t, "GET", "/v2.1/servers/"+id+"/tags", tok, nil, 404, "OpenStack-API-Version", "compute 2.25")
}

func TestServerGroupsAPI(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	tok, project := e.project(t, "alpha", "member")
	old := e.computeClient(tok, "2.1")
	g, err := servergroups.Create(context.Background(), old, servergroups.CreateOpts{Name: "g", Policies: []string{"anti-affinity"}}).Extract()
	if err != nil || g.Policies[0] != "anti-affinity" {
		t.Fatalf("create 2.1: %+v %v", g, err)
	}
	newer := e.computeClient(tok, "2.64")
	g2, err := servergroups.Create(context.Background(), newer, servergroups.CreateOpts{Name: "g2", Policy: "anti-affinity",
		Rules: &servergroups.Rules{MaxServerPerHost: 2}}).Extract()
	if err != nil || g2.Policy == nil || *g2.Policy != "anti-affinity" || g2.Rules.MaxServerPerHost != 2 || g2.ProjectID != project {
		t.Fatalf("create 2.64: %+v %v", g2, err)
	}
	if msg := e.refused(t, "POST", "/v2.1/os-server-groups", tok, map[string]any{"server_group": map[string]any{"name": "x", "policy": "affinity",
		"rules": map[string]any{"max_server_per_host": 2}}}, 400, "OpenStack-API-Version", "compute 2.64"); msg != "Only anti-affinity policy supports rules." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "POST", "/v2.1/os-server-groups", tok, map[string]any{"server_group": map[string]any{"name": "x", "policies": []any{"soft-affinity"}}}, 400, "OpenStack-API-Version", "compute 2.14"); !strings.Contains(msg, "is not one of") {
		t.Fatal(msg)
	}
	body := map[string]any{"server": map[string]any{"name": "m", "imageRef": e.image, "flavorRef": flavor},
		"os:scheduler_hints": map[string]any{"group": g.ID}}
	r := e.do(t, "POST", "/v2.1/servers", tok, body)
	if r.Status != 202 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	sid := r.Body["server"].(map[string]any)["id"].(string)
	got, err := servergroups.Get(context.Background(), old, g.ID).Extract()
	if err != nil || len(got.Members) != 1 || got.Members[0] != sid {
		t.Fatalf("members: %+v %v", got, err)
	}
	if sg := e.show(t, tok, "2.71", sid)["server_groups"].([]any); len(sg) != 1 || sg[0] != g.ID {
		t.Fatalf("server_groups: %v", sg)
	}
	pages, err := servergroups.List(old, nil).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if all, _ := servergroups.ExtractServerGroups(pages); len(all) != 2 {
		t.Fatalf("list: %v", all)
	}
	other, _ := e.project(t, "beta", "member")
	e.refused(t, "DELETE", "/v2.1/os-server-groups/"+g.ID, other, nil, 403)
	if err := servergroups.Delete(context.Background(), old, g.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-server-groups/"+g.ID, tok, nil, 404); msg != "Instance group "+g.ID+" could not be found." {
		t.Fatal(msg)
	}
}

func TestInstanceActionsAPI(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	tok, _ := e.project(t, "alpha", "member")
	r := e.boot(t, tok, "2.1", map[string]any{"name": "x", "imageRef": e.image, "flavorRef": flavor})
	id := r["server"].(map[string]any)["id"].(string)
	c := e.computeClient(tok, "2.58")
	pages, err := instanceactions.List(c, id, nil).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	acts, err := instanceactions.ExtractInstanceActions(pages)
	if err != nil || len(acts) != 1 || acts[0].Action != "create" {
		t.Fatalf("actions: %+v %v", acts, err)
	}
	a, err := instanceactions.Get(context.Background(), c, id, acts[0].RequestID).Extract()
	if err != nil || a.Action != "create" {
		t.Fatalf("show: %+v %v", a, err)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions/req-nope", tok, nil, 404); msg != "Action req-nope not found" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions?marker=req-nope", tok, nil, 400, "OpenStack-API-Version", "compute 2.58"); msg != "Marker req-nope could not be found." {
		t.Fatal(msg)
	}
	// Deleted servers keep their actions from 2.21.
	e.do(t, "DELETE", "/v2.1/servers/"+id, tok, nil)
	if got := e.do(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions", tok, nil, "OpenStack-API-Version", "compute 2.21"); len(got.Body["instanceActions"].([]any)) != 2 {
		t.Fatalf("after delete: %s", got.Raw)
	}
}

func TestUpdateServer(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	r := e.do(t, "PUT", "/v2.1/servers/"+id, tok, map[string]any{"server": map[string]any{"name": "new", "description": "d"}},
		"OpenStack-API-Version", "compute 2.19")
	srv := r.Body["server"].(map[string]any)
	if r.Status != 200 || srv["name"] != "new" || srv["description"] != "d" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if _, ok := srv["OS-EXT-STS:vm_state"]; ok {
		t.Fatal("pre-2.75 update response shows vm_state")
	}
	full := e.do(t, "PUT", "/v2.1/servers/"+id, tok, map[string]any{"server": map[string]any{"name": "n2"}}, "OpenStack-API-Version", "compute 2.75")
	if full.Body["server"].(map[string]any)["OS-EXT-STS:vm_state"] != "active" {
		t.Fatalf("2.75 update: %s", full.Raw)
	}
	if msg := e.refused(t, "PUT", "/v2.1/servers/"+id, tok, map[string]any{"server": map[string]any{"description": "d"}}, 400); !strings.Contains(msg, "'description' was unexpected") {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "PUT", "/v2.1/servers/"+id, tok, map[string]any{"server": map[string]any{"name": " x"}}, 400); !strings.HasPrefix(msg, "An invalid 'name' value was provided.") {
		t.Fatal(msg)
	}
}

func TestServerAddressesAndIPs(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	srv := e.show(t, tok, "2.1", id)
	addrs := srv["addresses"].(map[string]any)["private"].([]any)
	a := addrs[0].(map[string]any)
	if a["addr"] != "10.0.0.5" || a["version"] != float64(4) || a["OS-EXT-IPS:type"] != "fixed" {
		t.Fatalf("addresses: %v", srv["addresses"])
	}
	r := e.do(t, "GET", "/v2.1/servers/"+id+"/ips/private", tok, nil)
	if r.Status != 200 || len(r.Body["private"].([]any)) != 1 {
		t.Fatalf("ips: %s", r.Raw)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers/"+id+"/ips/public", tok, nil, 404); msg != "Instance is not a member of specified network" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "POST", "/v2.1/servers/"+id+"/action", tok, map[string]any{"os-getConsoleOutput": map[string]any{"length": 5}}, 404); msg != "Guest does not have a console available." {
		t.Fatal(msg)
	}
}
