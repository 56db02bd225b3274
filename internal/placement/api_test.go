package placement_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/placement/v1/resourceproviders"
)

const (
	rpA = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
	rpB = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
	c1  = "c1c1c1c1-c1c1-c1c1-c1c1-c1c1c1c1c1c1"
)

func TestVersionDocumentNeedsNoToken(t *testing.T) {
	e := start(t)
	r := must(t, e.doAs(t, "", "GET", "/", "", nil), 200)
	v := r.Body["versions"].([]any)[0].(map[string]any)
	if v["id"] != "v1.0" || v["max_version"] != "1.39" || v["min_version"] != "1.0" || v["status"] != "CURRENT" {
		t.Fatalf("version document %s", r.Raw)
	}
	if got := r.Header.Get("OpenStack-API-Version"); got != "placement 1.0" {
		t.Fatalf("version header %q", got)
	}
	must(t, e.doAs(t, "", "GET", "/resource_providers", "", nil), 401)
}

func TestMicroversionRefusals(t *testing.T) {
	e := start(t)
	r := must(t, e.do(t, "GET", "/resource_providers", "1.99", nil), 406)
	pe := placementError(t, r)
	if pe["max_version"] != "1.39" || pe["min_version"] != "1.0" ||
		!strings.HasSuffix(pe["detail"].(string), "Invalid microversion: Unacceptable version header: 1.99") {
		t.Fatalf("406 body %s", r.Raw)
	}
	r = must(t, e.do(t, "GET", "/resource_providers", "abc", nil), 400)
	if pe := placementError(t, r); !strings.Contains(pe["detail"].(string), "Invalid microversion: invalid version string: abc") {
		t.Fatalf("400 body %s", r.Raw)
	}
	// Routes newer than the version asked are 404s.
	must(t, e.do(t, "GET", "/traits", "1.5", nil), 404)
	must(t, e.do(t, "GET", "/traits", "1.6", nil), 200)
}

func TestProvidersThroughGophercloud(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client("1.20")
	rp, err := resourceproviders.Create(ctx, c, resourceproviders.CreateOpts{Name: "root", UUID: rpA}).Extract()
	if err != nil || rp.UUID != rpA || rp.Generation != 0 {
		t.Fatalf("create: %+v %v", rp, err)
	}
	c = e.client("1.37")
	child, err := resourceproviders.Create(ctx, c, resourceproviders.CreateOpts{Name: "child", UUID: rpB, ParentProviderUUID: rpA}).Extract()
	if err != nil || child.RootProviderUUID != rpA || child.ParentProviderUUID != rpA {
		t.Fatalf("child: %+v %v", child, err)
	}
	pages, err := resourceproviders.List(c, resourceproviders.ListOpts{InTree: rpA}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := resourceproviders.ExtractResourceProviders(pages)
	if len(all) != 2 {
		t.Fatalf("in_tree: %+v", all)
	}
	name := "renamed"
	if got, err := resourceproviders.Update(ctx, c, rpA, resourceproviders.UpdateOpts{Name: &name}).Extract(); err != nil || got.Name != "renamed" {
		t.Fatalf("update: %+v %v", got, err)
	}
	// A parent with children cannot go.
	detail := e.refused(t, "DELETE", "/resource_providers/"+rpA, "1.37", nil, 409, "placement.resource_provider.cannot_delete_parent")
	if !strings.Contains(detail, "Unable to delete parent resource provider "+rpA+": It has child resource providers.") {
		t.Fatalf("detail %q", detail)
	}
	if err := resourceproviders.Delete(ctx, c, rpB).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := resourceproviders.Delete(ctx, c, rpA).ExtractErr(); err != nil {
		t.Fatal(err)
	}
}

func TestProviderRefusals(t *testing.T) {
	e := start(t)
	must(t, e.do(t, "POST", "/resource_providers", "1.20", map[string]any{"name": "a", "uuid": rpA}), 200)
	detail := e.refused(t, "POST", "/resource_providers", "1.30", map[string]any{"name": "a"}, 409, "placement.duplicate_name")
	if !strings.Contains(detail, "Conflicting resource provider name: a already exists.") {
		t.Fatalf("detail %q", detail)
	}
	detail = e.refused(t, "POST", "/resource_providers", "1.30", map[string]any{"nom": "a"}, 400, "placement.undefined_code")
	if !strings.Contains(detail, "JSON does not validate: 'name' is a required property") {
		t.Fatalf("detail %q", detail)
	}
	e.refused(t, "POST", "/resource_providers", "1.20", map[string]any{"name": "b", "parent_provider_uuid": rpB}, 400, "")
	detail = e.refused(t, "GET", "/resource_providers/"+rpB, "1.30", nil, 404, "placement.resource_provider.not_found")
	if detail != "The resource could not be found.\n\n No resource provider with uuid "+rpB+" found  " {
		t.Fatalf("detail %q", detail)
	}
	// Re-parenting needs 1.37.
	must(t, e.do(t, "POST", "/resource_providers", "1.20", map[string]any{"name": "b", "uuid": rpB, "parent_provider_uuid": rpA}), 200)
	must(t, e.do(t, "POST", "/resource_providers", "1.20", map[string]any{"name": "c", "uuid": c1}), 200)
	detail = e.refused(t, "PUT", "/resource_providers/"+rpB, "1.36", map[string]any{"name": "b", "parent_provider_uuid": c1}, 400, "")
	if !strings.Contains(detail, "re-parenting a provider is not currently allowed.") {
		t.Fatalf("detail %q", detail)
	}
	detail = e.refused(t, "PUT", "/resource_providers/"+rpA, "1.37", map[string]any{"name": "a", "parent_provider_uuid": rpB}, 400, "")
	if !strings.Contains(detail, "creating loop in the provider tree is not allowed.") {
		t.Fatalf("detail %q", detail)
	}
	r := must(t, e.do(t, "PUT", "/resource_providers/"+rpB, "1.37", map[string]any{"name": "b", "parent_provider_uuid": nil}), 200)
	if r.Body["root_provider_uuid"] != rpB {
		t.Fatalf("un-parented: %s", r.Raw)
	}
}

func TestInventoryGenerationsAndInUse(t *testing.T) {
	e := start(t)
	e.provider(t, rpA, "a", 8, 1024, 10)
	r := must(t, e.do(t, "GET", "/resource_providers/"+rpA+"/inventories", "1.30", nil), 200)
	if r.Body["resource_provider_generation"] != 1.0 {
		t.Fatalf("generation: %s", r.Raw)
	}
	vcpu := r.Body["inventories"].(map[string]any)["VCPU"].(map[string]any)
	if vcpu["max_unit"] != float64(0x7FFFFFFF) || vcpu["allocation_ratio"] != 1.0 || vcpu["step_size"] != 1.0 {
		t.Fatalf("defaults: %v", vcpu)
	}
	stale := map[string]any{"resource_provider_generation": 0, "inventories": map[string]any{"VCPU": map[string]any{"total": 4}}}
	detail := e.refused(t, "PUT", "/resource_providers/"+rpA+"/inventories", "1.30", stale, 409, "placement.concurrent_update")
	if !strings.Contains(detail, "resource provider generation conflict") {
		t.Fatalf("detail %q", detail)
	}
	bad := map[string]any{"resource_provider_generation": 1, "inventories": map[string]any{"VCPU": map[string]any{"total": 4, "reserved": 5}}}
	detail = e.refused(t, "PUT", "/resource_providers/"+rpA+"/inventories", "1.30", bad, 400, "")
	if !strings.Contains(detail, "The reserved value is greater than total.") {
		t.Fatalf("detail %q", detail)
	}
	must(t, e.do(t, "PUT", "/allocations/"+c1, "1.30", map[string]any{"allocations": map[string]any{rpA: map[string]any{"resources": map[string]any{"DISK_GB": 2}}},
		"project_id": "p", "user_id": "u", "consumer_generation": nil}), 204)
	drop := map[string]any{"resource_provider_generation": 2, "inventories": map[string]any{"VCPU": map[string]any{"total": 4}}}
	detail = e.refused(t, "PUT", "/resource_providers/"+rpA+"/inventories", "1.30", drop, 409, "placement.inventory.inuse")
	if !strings.Contains(detail, "Inventory for 'DISK_GB' on resource provider '"+rpA+"' in use.") {
		t.Fatalf("detail %q", detail)
	}
	e.refused(t, "DELETE", "/resource_providers/"+rpA, "1.30", nil, 409, "placement.resource_provider.inuse")
}

func TestAllocationsShapesAndConsumerGenerations(t *testing.T) {
	e := start(t)
	e.provider(t, rpA, "a", 8, 1024, 10)
	body := map[string]any{"allocations": map[string]any{rpA: map[string]any{"resources": map[string]any{"VCPU": 2, "MEMORY_MB": 512}}},
		"project_id": "p", "user_id": "u", "consumer_generation": nil, "consumer_type": "INSTANCE"}
	must(t, e.do(t, "PUT", "/allocations/"+c1, "1.38", body), 204)
	r := must(t, e.do(t, "GET", "/allocations/"+c1, "1.38", nil), 200)
	if r.Body["consumer_generation"] != 1.0 || r.Body["consumer_type"] != "INSTANCE" || r.Body["project_id"] != "p" {
		t.Fatalf("1.38 body %s", r.Raw)
	}
	r = must(t, e.do(t, "GET", "/allocations/"+c1, "1.11", nil), 200)
	if _, has := r.Body["project_id"]; has {
		t.Fatalf("1.11 shows project_id: %s", r.Raw)
	}
	detail := e.refused(t, "PUT", "/allocations/"+c1, "1.38", body, 409, "placement.concurrent_update")
	if !strings.Contains(detail, "consumer generation conflict - expected 1 but got None") {
		t.Fatalf("detail %q", detail)
	}
	body["consumer_generation"] = 1
	body["allocations"] = map[string]any{rpA: map[string]any{"resources": map[string]any{"VCPU": 9}}}
	detail = e.refused(t, "PUT", "/allocations/"+c1, "1.38", body, 409, "placement.undefined_code")
	if !strings.Contains(detail, "Unable to allocate inventory: Unable to create allocation for 'VCPU' on resource provider '"+rpA+"'. The requested amount would exceed the capacity.") {
		t.Fatalf("detail %q", detail)
	}
	r = must(t, e.do(t, "GET", "/resource_providers/"+rpA+"/allocations", "1.38", nil), 200)
	if got := r.Body["allocations"].(map[string]any)[c1].(map[string]any); got["consumer_generation"] != 1.0 {
		t.Fatalf("provider allocations %s", r.Raw)
	}
	r = must(t, e.do(t, "GET", "/usages?project_id=p", "1.38", nil), 200)
	if u := r.Body["usages"].(map[string]any)["INSTANCE"].(map[string]any); u["consumer_count"] != 1.0 || u["VCPU"] != 2.0 {
		t.Fatalf("usages %s", r.Raw)
	}
	must(t, e.do(t, "DELETE", "/allocations/"+c1, "1.38", nil), 204)
	e.refused(t, "DELETE", "/allocations/"+c1, "1.38", nil, 404, "")
}
