package compute_test

import (
	"context"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/quotasets"

	"github.com/monostack/monostack/internal/compute"
)

// bootOK boots one server for token and returns its id.
func (e *serversEnv) bootOK(t *testing.T, token, flavor string) string {
	t.Helper()
	body := e.boot(t, token, "2.79", map[string]any{"name": "vm", "imageRef": e.image, "flavorRef": flavor, "networks": "none"})
	return body["server"].(map[string]any)["id"].(string)
}

func TestInstanceQuotaRefusesThirdBoot(t *testing.T) {
	e := startServers(t)
	ctx := context.Background()
	tok, pid := e.project(t, "p1", "member")
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	admin := e.computeClient(e.admin, "2.79")
	qs, err := quotasets.Update(ctx, admin, pid, quotasets.UpdateOpts{Instances: intp(2)}).Extract()
	if err != nil || qs.Instances != 2 {
		t.Fatalf("%+v %v", qs, err)
	}
	e.bootOK(t, tok, flavor)
	e.bootOK(t, tok, flavor)
	body := map[string]any{"server": map[string]any{"name": "vm", "imageRef": e.image, "flavorRef": flavor, "networks": "none"}}
	msg := e.refused(t, "POST", "/v2.1/servers", tok, body, 403, "OpenStack-API-Version", "compute 2.79")
	if msg != "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances" {
		t.Fatal(msg)
	}
	// Lowering the limit below what is used is refused unless forced.
	if msg := e.refused(t, "PUT", "/v2.1/os-quota-sets/"+pid, e.admin, map[string]any{"quota_set": map[string]any{"instances": 1}}, 400); msg != "Quota limit 1 for instances must be greater than or equal to already used and reserved 2." {
		t.Fatal(msg)
	}
	if _, err := quotasets.Update(ctx, admin, pid, quotasets.UpdateOpts{Instances: intp(1), Force: true}).Extract(); err != nil {
		t.Fatal(err)
	}
	d, err := quotasets.GetDetail(ctx, admin, pid).Extract()
	if err != nil || d.Instances.InUse != 2 || d.Instances.Limit != 1 || d.Cores.InUse != 2 || d.RAM.InUse != 1024 {
		t.Fatalf("%+v %v", d, err)
	}
}

func TestInstanceQuotaCoresAndRAMMessage(t *testing.T) {
	e := startServers(t)
	tok, pid := e.project(t, "p1", "member")
	flavor := e.flavor(t, "big", 4, 4096, 1)
	r := e.do(t, "PUT", "/v2.1/os-quota-sets/"+pid, e.admin, map[string]any{"quota_set": map[string]any{"cores": 2, "ram": "2048"}})
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	body := map[string]any{"server": map[string]any{"name": "vm", "imageRef": e.image, "flavorRef": flavor, "networks": "none"}}
	msg := e.refused(t, "POST", "/v2.1/servers", tok, body, 403, "OpenStack-API-Version", "compute 2.79")
	if msg != "Quota exceeded for cores, ram: Requested 4, 4096, but already used 0, 0 of 2, 2048 cores, ram" {
		t.Fatal(msg)
	}
}

func TestUserQuotaScopesInstanceCheck(t *testing.T) {
	e := startServers(t)
	tok, pid := e.project(t, "p1", "member")
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	r := e.do(t, "GET", "/v2.1/os-keypairs", tok, nil) // any call; the user id comes from a keypair below
	if r.Status != 200 {
		t.Fatal(r.Status)
	}
	kp := e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "k"}})
	user := kp.Body["keypair"].(map[string]any)["user_id"].(string)
	// A user limit above the project's remaining quota is refused.
	if msg := e.refused(t, "PUT", "/v2.1/os-quota-sets/"+pid+"?user_id="+user, e.admin,
		map[string]any{"quota_set": map[string]any{"instances": 11}}, 400); msg != "Quota limit 11 for instances must be less than or equal to 10." {
		t.Fatal(msg)
	}
	if r := e.do(t, "PUT", "/v2.1/os-quota-sets/"+pid+"?user_id="+user, e.admin, map[string]any{"quota_set": map[string]any{"instances": 1}}); r.Status != 200 || r.Body["quota_set"].(map[string]any)["instances"] != float64(1) {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	e.bootOK(t, tok, flavor)
	body := map[string]any{"server": map[string]any{"name": "vm", "imageRef": e.image, "flavorRef": flavor, "networks": "none"}}
	if msg := e.refused(t, "POST", "/v2.1/servers", tok, body, 403, "OpenStack-API-Version", "compute 2.79"); msg != "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances" {
		t.Fatal(msg)
	}
	// The project's own limit is unchanged; deleting the user's restores it.
	if r := e.do(t, "GET", "/v2.1/os-quota-sets/"+pid, e.admin, nil); r.Body["quota_set"].(map[string]any)["instances"] != float64(10) {
		t.Fatalf("%s", r.Raw)
	}
	if r := e.do(t, "DELETE", "/v2.1/os-quota-sets/"+pid+"?user_id="+user, e.admin, nil); r.Status != 202 {
		t.Fatal(r.Status)
	}
	e.bootOK(t, tok, flavor)
}

func TestBootHonoursPrivateFlavorsAndKeypairs(t *testing.T) {
	e := startServers(t)
	tok, pid := e.project(t, "p1", "member")
	e.env.mkFlavor(t, "priv", "private", 64, 1, false)
	body := func(extra map[string]any) map[string]any {
		s := map[string]any{"name": "vm", "imageRef": e.image, "flavorRef": "priv", "networks": "none"}
		for k, v := range extra {
			s[k] = v
		}
		return map[string]any{"server": s}
	}
	if msg := e.refused(t, "POST", "/v2.1/servers", tok, body(nil), 400, "OpenStack-API-Version", "compute 2.79"); msg != "Flavor priv could not be found." {
		t.Fatal(msg)
	}
	if r := e.do(t, "POST", "/v2.1/flavors/priv/action", e.admin, map[string]any{"addTenantAccess": map[string]any{"tenant": pid}}); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if msg := e.refused(t, "POST", "/v2.1/servers", tok, body(map[string]any{"key_name": "nokey"}), 400, "OpenStack-API-Version", "compute 2.79"); msg != "Invalid key_name provided." {
		t.Fatal(msg)
	}
	kp := e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "k"}})
	srv := e.boot(t, tok, "2.79", body(map[string]any{"key_name": "k"})["server"].(map[string]any))
	id := srv["server"].(map[string]any)["id"].(string)
	// Deleting the flavor leaves the server's copy intact.
	if r := e.do(t, "DELETE", "/v2.1/flavors/priv", e.admin, nil); r.Status != 202 {
		t.Fatal(r.Status)
	}
	shown := e.show(t, tok, "2.79", id)
	fl := shown["flavor"].(map[string]any)
	if fl["original_name"] != "private" || fl["ram"] != float64(64) || shown["key_name"] != "k" {
		t.Fatalf("%v", shown)
	}
	_ = kp
}

func TestQuotaSetViewsByMicroversion(t *testing.T) {
	e := startResources(t)
	tok, pid := e.project(t, "p1", "member")
	_, other := e.project(t, "p2", "member")
	keys := func(mv string) map[string]any {
		r := e.do(t, "GET", "/v2.1/os-quota-sets/"+pid, tok, nil, "OpenStack-API-Version", "compute "+mv)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		return r.Body["quota_set"].(map[string]any)
	}
	q := keys("2.1")
	if len(q) != 15 || q["id"] != pid || q["instances"] != float64(10) || q["cores"] != float64(20) || q["ram"] != float64(51200) ||
		q["fixed_ips"] != float64(-1) || q["injected_files"] != float64(5) || q["injected_file_content_bytes"] != float64(10240) ||
		q["injected_file_path_bytes"] != float64(255) || q["key_pairs"] != float64(100) || q["metadata_items"] != float64(128) {
		t.Fatalf("2.1: %v", q)
	}
	if q := keys("2.36"); len(q) != 11 || q["floating_ips"] != nil || q["injected_files"] == nil {
		t.Fatalf("2.36: %v", q)
	}
	if q := keys("2.57"); len(q) != 8 || q["injected_files"] != nil || q["server_group_members"] != float64(10) {
		t.Fatalf("2.57: %v", q)
	}
	for _, c := range []struct {
		method, path string
		body         any
		mv           string
		status       int
		want         string
	}{
		{"GET", "/v2.1/os-quota-sets/" + other, nil, "2.1", 403, "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed."},
		{"PUT", "/v2.1/os-quota-sets/" + pid, map[string]any{"quota_set": map[string]any{"instances": 5}}, "2.1", 403, "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed."},
		{"DELETE", "/v2.1/os-quota-sets/" + pid, nil, "2.1", 403, "Policy doesn't allow os_compute_api:os-quota-sets:delete to be performed."},
		{"GET", "/v2.1/os-quota-sets/" + pid + "?foo=1", nil, "2.75", 400, "Additional properties are not allowed ('foo' was unexpected)"},
	} {
		if got := e.refused(t, c.method, c.path, tok, c.body, c.status, "OpenStack-API-Version", "compute "+c.mv); got != c.want {
			t.Errorf("%s %s: got %q want %q", c.method, c.path, got, c.want)
		}
	}
	for _, c := range []struct {
		body   map[string]any
		mv     string
		status int
		want   string
	}{
		{map[string]any{"instances": -2}, "2.1", 400, "Invalid input for field/attribute instances. Value: -2. -2 is less than the minimum of -1"},
		{map[string]any{"instances": "x"}, "2.1", 400, "Invalid input for field/attribute instances. Value: x. 'x' does not match '^-?[0-9]+$'"},
		{map[string]any{"networks": 1}, "2.1", 400, "The networks quota has been removed"},
		{map[string]any{"floating_ips": 1}, "2.36", 400, "Invalid input for field/attribute quota_set. Value: {'floating_ips': 1}. Additional properties are not allowed ('floating_ips' was unexpected)"},
		{map[string]any{"injected_files": 1}, "2.57", 400, "Invalid input for field/attribute quota_set. Value: {'injected_files': 1}. Additional properties are not allowed ('injected_files' was unexpected)"},
		{map[string]any{"force": "maybe"}, "2.1", 400, "Invalid input for field/attribute force. Value: maybe. 'maybe' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"},
	} {
		if got := e.refused(t, "PUT", "/v2.1/os-quota-sets/"+pid, e.admin, map[string]any{"quota_set": c.body}, c.status, "OpenStack-API-Version", "compute "+c.mv); got != c.want {
			t.Errorf("%v: got %q want %q", c.body, got, c.want)
		}
	}
	if msg := e.refused(t, "GET", "/v2.1/os-quota-sets/nope", e.admin, nil, 400); msg != "Project ID nope is not a valid project." {
		t.Fatal(msg)
	}
	r := e.do(t, "PUT", "/v2.1/os-quota-sets/"+pid, e.admin, map[string]any{"quota_set": map[string]any{"instances": 3, "metadata_items": -1}})
	if q := r.Body["quota_set"].(map[string]any); r.Status != 200 || q["id"] != nil || q["instances"] != float64(3) || q["metadata_items"] != float64(-1) {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "DELETE", "/v2.1/os-quota-sets/"+pid, e.admin, nil); r.Status != 202 {
		t.Fatal(r.Status)
	}
	if q := keys("2.79"); q["instances"] != float64(10) {
		t.Fatalf("after delete: %v", q)
	}
	if r := e.do(t, "GET", "/v2.1/os-quota-sets/"+pid+"/defaults", tok, nil); r.Status != 200 || r.Body["quota_set"].(map[string]any)["id"] != pid {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestQuotaClassAndConfiguredDefaults(t *testing.T) {
	e := start(t, func(o *compute.Options) { o.QuotaDefaults = map[string]int{"instances": 3, "cores": 7} })
	if err := e.svc.Bootstrap(context.Background()); err != nil {
		t.Fatal(err)
	}
	tok, pid := e.project(t, "p1", "member")
	get := func(path, mv string) map[string]any {
		r := e.do(t, "GET", path, e.admin, nil, "OpenStack-API-Version", "compute "+mv)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		for _, v := range r.Body {
			return v.(map[string]any)
		}
		return nil
	}
	if q := get("/v2.1/os-quota-sets/"+pid, "2.79"); q["instances"] != float64(3) || q["cores"] != float64(7) || q["ram"] != float64(51200) {
		t.Fatalf("configured defaults: %v", q)
	}
	c := get("/v2.1/os-quota-class-sets/default", "2.49")
	if c["id"] != "default" || c["instances"] != float64(3) || c["server_groups"] != nil || c["floating_ips"] == nil {
		t.Fatalf("2.49 class: %v", c)
	}
	if c := get("/v2.1/os-quota-class-sets/default", "2.50"); c["server_groups"] != float64(10) || c["floating_ips"] != nil || c["injected_files"] == nil {
		t.Fatalf("2.50 class: %v", c)
	}
	r := e.do(t, "PUT", "/v2.1/os-quota-class-sets/default", e.admin, map[string]any{"quota_class_set": map[string]any{"instances": 5}},
		"OpenStack-API-Version", "compute 2.57")
	if q := r.Body["quota_class_set"].(map[string]any); r.Status != 200 || q["id"] != nil || q["instances"] != float64(5) || q["injected_files"] != nil {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	// The default class outranks the configured defaults.
	if q := get("/v2.1/os-quota-sets/"+pid+"/defaults", "2.79"); q["instances"] != float64(5) || q["cores"] != float64(7) {
		t.Fatalf("%v", q)
	}
	if msg := e.refused(t, "PUT", "/v2.1/os-quota-class-sets/default", tok, map[string]any{"quota_class_set": map[string]any{"instances": 1}}, 403); msg != "Policy doesn't allow os_compute_api:os-quota-class-sets:update to be performed." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "PUT", "/v2.1/os-quota-class-sets/default", e.admin, map[string]any{"quota_class_set": map[string]any{"injected_files": 1}}, 400, "OpenStack-API-Version", "compute 2.57"); msg != "Invalid input for field/attribute quota_class_set. Value: {'injected_files': 1}. Additional properties are not allowed ('injected_files' was unexpected)" {
		t.Fatal(msg)
	}
}
