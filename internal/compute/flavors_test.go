package compute_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/db"
)

// startResources is a compute API whose project checks ask the identity
// tables, as the lead wires Keystone in.
func startResources(t *testing.T) *env {
	t.Helper()
	var e *env
	e = start(t, func(o *compute.Options) {
		o.ProjectExists = func(ctx context.Context, id string) (bool, error) {
			var ok bool
			err := e.id.DB.Read(ctx, func(tx *db.Tx) (err error) {
				ok, err = tx.Exists(`SELECT 1 FROM identity_projects WHERE id = ?`, id)
				return err
			})
			return ok, err
		}
	})
	return e
}

func intp(n int) *int { return &n }

func TestFlavorCreateShowListDelete(t *testing.T) {
	e := startResources(t)
	ctx := context.Background()
	c := e.client(e.admin, "2.79")
	c.Type = "compute"
	f, err := flavors.Create(ctx, c, flavors.CreateOpts{Name: "newflavor", ID: "20", RAM: 768, VCPUs: 1,
		Disk: intp(1), Description: "small one"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "20" || f.RAM != 768 || f.Disk != 1 || f.VCPUs != 1 || !f.IsPublic || f.RxTxFactor != 1 || f.Description != "small one" {
		t.Fatalf("created %+v", f)
	}
	got, err := flavors.Get(ctx, c, "20").Extract()
	if err != nil || got.Name != "newflavor" || got.ExtraSpecs == nil {
		t.Fatalf("get %+v %v", got, err)
	}
	pages, err := flavors.ListDetail(c, nil).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := flavors.ExtractFlavors(pages)
	if len(all) != 1 || all[0].ID != "20" {
		t.Fatalf("list %+v", all)
	}
	if err := flavors.Delete(ctx, c, "20").ExtractErr(); err != nil {
		t.Fatal(err)
	}
	msg := e.refused(t, "GET", "/v2.1/flavors/20", e.admin, nil, 404)
	if msg != "Flavor 20 could not be found." {
		t.Fatal(msg)
	}
}

func TestFlavorAutoIDAndNumericID(t *testing.T) {
	e := startResources(t)
	r := e.do(t, "POST", "/v2.1/flavors", e.admin, map[string]any{"flavor": map[string]any{
		"name": "auto", "ram": 64, "vcpus": 1, "disk": 0}})
	id, _ := r.Body["flavor"].(map[string]any)["id"].(string)
	if r.Status != 200 || len(id) != 36 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	r = e.do(t, "POST", "/v2.1/flavors", e.admin, map[string]any{"flavor": map[string]any{
		"name": "num", "ram": "64", "vcpus": "2", "disk": 0, "id": 7, "rxtx_factor": 2.5}})
	fl := r.Body["flavor"].(map[string]any)
	if r.Status != 200 || fl["id"] != "7" || fl["vcpus"] != float64(2) || fl["rxtx_factor"] != 2.5 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	// Before 2.75 a zero swap is "", and 2.55 adds the description.
	if fl["swap"] != "" || fl["OS-FLV-DISABLED:disabled"] != false {
		t.Fatalf("%s", r.Raw)
	}
	if _, ok := fl["description"]; ok {
		t.Fatalf("description before 2.55: %s", r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/flavors/7", e.admin, nil, "OpenStack-API-Version", "compute 2.75")
	fl = r.Body["flavor"].(map[string]any)
	if fl["swap"] != float64(0) || fl["description"] != nil || fl["extra_specs"] == nil {
		t.Fatalf("%s", r.Raw)
	}
	if !strings.Contains(string(r.Raw), `"rxtx_factor": 2.5`) && !strings.Contains(string(r.Raw), `"rxtx_factor":2.5`) {
		t.Fatalf("%s", r.Raw)
	}
}

func TestFlavorCreateRefusals(t *testing.T) {
	e := startResources(t)
	member, _ := e.project(t, "p1", "member")
	good := map[string]any{"name": "newflavor", "ram": 768, "vcpus": 1, "disk": 1, "id": "20"}
	msg := e.refused(t, "POST", "/v2.1/flavors", member, map[string]any{"flavor": good}, 403)
	if msg != "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed." {
		t.Fatal(msg)
	}
	if r := e.do(t, "POST", "/v2.1/flavors", e.admin, map[string]any{"flavor": good}); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	with := func(k string, v any) map[string]any {
		f := map[string]any{"name": "x", "ram": 1, "vcpus": 1, "disk": 0}
		if v == nil {
			delete(f, k)
		} else {
			f[k] = v
		}
		return map[string]any{"flavor": f}
	}
	for _, c := range []struct {
		body   map[string]any
		status int
		want   string
	}{
		{map[string]any{"flavor": map[string]any{"name": "newflavor", "ram": 1, "vcpus": 1, "disk": 0}}, 409, "Flavor with name newflavor already exists."},
		{map[string]any{"flavor": map[string]any{"name": "other", "ram": 1, "vcpus": 1, "disk": 0, "id": 20}}, 409, "Flavor with ID 20 already exists."},
		{with("ram", 0), 400, "Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1"},
		{with("vcpus", "abc"), 400, "Invalid input for field/attribute vcpus. Value: abc. 'abc' does not match '^[0-9]+$'"},
		{with("disk", 2147483648), 400, "Invalid input for field/attribute disk. Value: 2147483648. 2147483648 is greater than the maximum of 2147483647"},
		{with("swap", 1.5), 400, "Invalid input for field/attribute swap. Value: 1.5. 1.5 is not of type 'integer', 'string'"},
		{with("rxtx_factor", 0), 400, "Invalid input for field/attribute rxtx_factor. Value: 0. 0 is less than or equal to the minimum of 0"},
		{with("os-flavor-access:is_public", "maybe"), 400, "Invalid input for field/attribute os-flavor-access:is_public. Value: maybe. 'maybe' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"},
		{with("id", " bad"), 400, "Invalid input for field/attribute id. Value:  bad. ' bad' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'"},
		{with("name", " x"), 400, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."},
		{with("disk", nil), 400, "Invalid input for field/attribute flavor. Value: {'name': 'x', 'ram': 1, 'vcpus': 1}. 'disk' is a required property"},
		{with("description", "d"), 400, "Invalid input for field/attribute flavor. Value: {'description': 'd', 'disk': 0, 'name': 'x', 'ram': 1, 'vcpus': 1}. Additional properties are not allowed ('description' was unexpected)"},
		{map[string]any{"flavors": map[string]any{}}, 400, "'flavor' is a required property"},
	} {
		if got := e.refused(t, "POST", "/v2.1/flavors", e.admin, c.body, c.status); got != c.want {
			t.Errorf("%v:\n got %q\nwant %q", c.body, got, c.want)
		}
	}
}

func TestFlavorUpdateDescription(t *testing.T) {
	e := startResources(t)
	ctx := context.Background()
	c := e.client(e.admin, "2.55")
	c.Type = "compute"
	if _, err := flavors.Create(ctx, c, flavors.CreateOpts{Name: "f", ID: "f1", RAM: 64, VCPUs: 1, Disk: intp(0)}).Extract(); err != nil {
		t.Fatal(err)
	}
	f, err := flavors.Update(ctx, c, "f1", flavors.UpdateOpts{Description: "now described"}).Extract()
	if err != nil || f.Description != "now described" {
		t.Fatalf("%+v %v", f, err)
	}
	body := map[string]any{"flavor": map[string]any{"description": "x"}}
	if msg := e.refused(t, "PUT", "/v2.1/flavors/f1", e.admin, body, 404, "OpenStack-API-Version", "compute 2.54"); msg != "The resource could not be found." {
		t.Fatal(msg)
	}
	member, _ := e.project(t, "p1", "member")
	if msg := e.refused(t, "PUT", "/v2.1/flavors/f1", member, body, 403, "OpenStack-API-Version", "compute 2.55"); msg != "Policy doesn't allow os_compute_api:os-flavor-manage:update to be performed." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "PUT", "/v2.1/flavors/nope", e.admin, body, 404, "OpenStack-API-Version", "compute 2.55"); msg != "Flavor nope could not be found." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "PUT", "/v2.1/flavors/f1", e.admin, map[string]any{"flavor": map[string]any{}}, 400, "OpenStack-API-Version", "compute 2.55"); msg != "Invalid input for field/attribute flavor. Value: {}. 'description' is a required property" {
		t.Fatal(msg)
	}
}

// mkFlavor creates a flavor as admin through the raw API.
func (e *env) mkFlavor(t *testing.T, id, name string, ram, disk int, public bool) {
	t.Helper()
	r := e.do(t, "POST", "/v2.1/flavors", e.admin, map[string]any{"flavor": map[string]any{
		"id": id, "name": name, "ram": ram, "vcpus": 1, "disk": disk, "os-flavor-access:is_public": public}})
	if r.Status != 200 {
		t.Fatalf("create flavor: %d %s", r.Status, r.Raw)
	}
}

func flavorIDs(t *testing.T, r *response) []string {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	var ids []string
	for _, f := range r.Body["flavors"].([]any) {
		ids = append(ids, f.(map[string]any)["id"].(string))
	}
	return ids
}

func TestFlavorListFiltersSortPaging(t *testing.T) {
	e := startResources(t)
	for _, f := range []struct {
		id        string
		ram, disk int
	}{{"1", 512, 1}, {"2", 2048, 20}, {"3", 4096, 40}, {"42", 128, 1}, {"5", 16384, 160}} {
		e.mkFlavor(t, f.id, "m-"+f.id, f.ram, f.disk, true)
	}
	e.mkFlavor(t, "p", "private", 64, 0, false)
	get := func(q string) []string { return flavorIDs(t, e.do(t, "GET", "/v2.1/flavors"+q, e.admin, nil)) }
	for q, want := range map[string]string{
		"":                                     "1 2 3 42 5", // flavorid is a string: 42 sorts before 5
		"?minRam=2048":                         "2 3 5",
		"?minDisk=40&sort_dir=desc":            "5 3",
		"?sort_key=memory_mb":                  "42 1 2 3 5",
		"?is_public=false":                     "p",
		"?is_public=None&sort_key=root_gb":     "p 1 42 2 3 5",
		"?limit=2&marker=2":                    "3 42",
		"?sort_key=name&sort_dir=desc&limit=1": "5",
	} {
		if got := strings.Join(get(q), " "); got != want {
			t.Errorf("%s: got %s want %s", q, got, want)
		}
	}
	r := e.do(t, "GET", "/v2.1/flavors/detail?limit=2", e.admin, nil)
	links := r.Body["flavors_links"].([]any)
	next := links[0].(map[string]any)["href"].(string)
	if !strings.HasSuffix(next, "/v2.1/flavors/detail?limit=2&marker=2") {
		t.Fatal(next)
	}
	// gophercloud follows the links.
	c := e.client(e.admin, "2.79")
	c.Type = "compute"
	pages, err := flavors.ListDetail(c, flavors.ListOpts{Limit: 2}).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all, _ := flavors.ExtractFlavors(pages)
	if len(all) != 5 {
		t.Fatalf("%d flavors over pages", len(all))
	}
	for _, c := range []struct{ q, mv, want string }{
		{"?minRam=abc", "2.1", "Invalid minRam filter [abc]"},
		{"?minDisk=x", "2.1", "Invalid minDisk filter [x]"},
		{"?is_public=maybe", "2.1", "Invalid is_public filter [maybe]"},
		{"?marker=nope", "2.1", "marker [nope] not found"},
		{"?limit=-1", "2.1", "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'"},
		{"?sort_dir=up", "2.1", "Invalid input for query parameters sort_dir. Value: up. 'up' is not one of ['asc', 'desc']"},
		{"?sort_key=ram", "2.1", "Invalid input for query parameters sort_key. Value: ram. 'ram' is not one of ['created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus']"},
		{"?foo=1", "2.75", "Additional properties are not allowed ('foo' was unexpected)"},
	} {
		if got := e.refused(t, "GET", "/v2.1/flavors"+c.q, e.admin, nil, 400, "OpenStack-API-Version", "compute "+c.mv); got != c.want {
			t.Errorf("%s: got %q want %q", c.q, got, c.want)
		}
	}
	if r := e.do(t, "GET", "/v2.1/flavors?foo=1", e.admin, nil, "OpenStack-API-Version", "compute 2.74"); r.Status != 200 {
		t.Fatalf("unknown parameter before 2.75: %d", r.Status)
	}
}

func TestFlavorAccessPrivateVisibility(t *testing.T) {
	e := startResources(t)
	ctx := context.Background()
	member, p1 := e.project(t, "p1", "member")
	other, _ := e.project(t, "p2", "member")
	e.mkFlavor(t, "pub", "public", 64, 0, true)
	e.mkFlavor(t, "priv", "private", 64, 0, false)
	admin := e.client(e.admin, "2.79")
	admin.Type = "compute"
	see := func(tok string) string {
		return strings.Join(flavorIDs(t, e.do(t, "GET", "/v2.1/flavors", tok, nil)), " ")
	}
	if got := see(member); got != "pub" {
		t.Fatalf("member sees %s", got)
	}
	if msg := e.refused(t, "GET", "/v2.1/flavors/priv", member, nil, 404); msg != "Flavor priv could not be found." {
		t.Fatal(msg)
	}
	acc, err := flavors.AddAccess(ctx, admin, "priv", flavors.AddAccessOpts{Tenant: p1}).Extract()
	if err != nil || len(acc) != 1 || acc[0].TenantID != p1 || acc[0].FlavorID != "priv" {
		t.Fatalf("%+v %v", acc, err)
	}
	if got := see(member); got != "priv pub" {
		t.Fatalf("granted member sees %s", got)
	}
	if got := see(other); got != "pub" {
		t.Fatalf("other project sees %s", got)
	}
	if r := e.do(t, "GET", "/v2.1/flavors/priv", member, nil); r.Status != 200 {
		t.Fatalf("%d", r.Status)
	}
	pages, err := flavors.ListAccesses(admin, "priv").AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := flavors.ExtractAccesses(pages); len(list) != 1 {
		t.Fatalf("%+v", list)
	}
	for _, c := range []struct {
		path   string
		body   any
		tok    string
		status int
		want   string
	}{
		{"/v2.1/flavors/priv/action", map[string]any{"addTenantAccess": map[string]any{"tenant": p1}}, e.admin, 409,
			"Flavor access already exists for flavor priv and project " + p1 + " combination."},
		{"/v2.1/flavors/pub/action", map[string]any{"addTenantAccess": map[string]any{"tenant": p1}}, e.admin, 409,
			"Can not add access to a public flavor."},
		{"/v2.1/flavors/priv/action", map[string]any{"addTenantAccess": map[string]any{"tenant": "nope"}}, e.admin, 400,
			"Project ID nope is not a valid project."},
		{"/v2.1/flavors/priv/action", map[string]any{"removeTenantAccess": map[string]any{"tenant": "nope"}}, e.admin, 404,
			"Flavor access not found for priv / nope combination."},
		{"/v2.1/flavors/priv/action", map[string]any{"addTenantAccess": map[string]any{"tenant": p1}}, member, 403,
			"Policy doesn't allow os_compute_api:os-flavor-access:add_tenant_access to be performed."},
		{"/v2.1/flavors/priv/action", map[string]any{"addTenantAccess": map[string]any{}}, e.admin, 400,
			"Invalid input for field/attribute addTenantAccess. Value: {}. 'tenant' is a required property"},
		{"/v2.1/flavors/priv/action", map[string]any{"frob": nil}, e.admin, 400, "There is no such action: frob"},
	} {
		if got := e.refused(t, "POST", c.path, c.tok, c.body, c.status, "OpenStack-API-Version", "compute 2.7"); got != c.want {
			t.Errorf("%v: got %q want %q", c.body, got, c.want)
		}
	}
	if msg := e.refused(t, "GET", "/v2.1/flavors/pub/os-flavor-access", e.admin, nil, 404); msg != "Access list not available for public flavors." {
		t.Fatal(msg)
	}
	if _, err := flavors.RemoveAccess(ctx, admin, "priv", flavors.RemoveAccessOpts{Tenant: p1}).Extract(); err != nil {
		t.Fatal(err)
	}
	if got := see(member); got != "pub" {
		t.Fatalf("revoked member sees %s", got)
	}
}

func TestFlavorExtraSpecs(t *testing.T) {
	e := startResources(t)
	ctx := context.Background()
	e.mkFlavor(t, "f", "f", 64, 0, true)
	c := e.client(e.admin, "2.61")
	c.Type = "compute"
	specs, err := flavors.CreateExtraSpecs(ctx, c, "f", flavors.ExtraSpecsOpts{"hw:cpu_policy": "dedicated", "k": "v"}).Extract()
	if err != nil || specs["k"] != "v" {
		t.Fatalf("%v %v", specs, err)
	}
	if _, err := flavors.UpdateExtraSpec(ctx, c, "f", flavors.ExtraSpecsOpts{"k": "w"}).Extract(); err != nil {
		t.Fatal(err)
	}
	one, err := flavors.GetExtraSpec(ctx, c, "f", "k").Extract()
	if err != nil || one["k"] != "w" {
		t.Fatalf("%v %v", one, err)
	}
	f, _ := flavors.Get(ctx, c, "f").Extract()
	if f.ExtraSpecs["hw:cpu_policy"] != "dedicated" {
		t.Fatalf("2.61 flavor body: %+v", f.ExtraSpecs)
	}
	if r := e.do(t, "GET", "/v2.1/flavors/f", e.admin, nil, "OpenStack-API-Version", "compute 2.60"); strings.Contains(string(r.Raw), "extra_specs") {
		t.Fatalf("extra_specs before 2.61: %s", r.Raw)
	}
	if err := flavors.DeleteExtraSpec(ctx, c, "f", "k").ExtractErr(); err != nil {
		t.Fatal(err)
	}
	member, _ := e.project(t, "p1", "member")
	for _, x := range []struct {
		method, path string
		body         any
		tok          string
		status       int
		want         string
	}{
		{"GET", "/v2.1/flavors/f/os-extra_specs/k", nil, e.admin, 404, "Flavor f has no extra specs with key k."},
		{"DELETE", "/v2.1/flavors/f/os-extra_specs/k", nil, e.admin, 404, "Flavor f has no extra specs with key k."},
		{"PUT", "/v2.1/flavors/f/os-extra_specs/k", map[string]any{"j": "1"}, e.admin, 400, "Request body and URI mismatch"},
		{"PUT", "/v2.1/flavors/f/os-extra_specs/k", map[string]any{"j": "1", "k": "2"}, e.admin, 400, "{'j': '1', 'k': '2'} has too many properties"},
		{"POST", "/v2.1/flavors/f/os-extra_specs", map[string]any{"extra_specs": map[string]any{"k": "v"}}, member, 403, "Policy doesn't allow os_compute_api:os-flavor-extra-specs:create to be performed."},
		{"POST", "/v2.1/flavors/nope/os-extra_specs", map[string]any{"extra_specs": map[string]any{"k": "v"}}, e.admin, 404, "Flavor nope could not be found."},
		{"POST", "/v2.1/flavors/f/os-extra_specs", map[string]any{"extra_specs": map[string]any{"k": true}}, e.admin, 400, "Invalid input for field/attribute k. Value: True. True is not of type 'string', 'number'"},
	} {
		if got := e.refused(t, x.method, x.path, x.tok, x.body, x.status); got != x.want {
			t.Errorf("%s %s: got %q want %q", x.method, x.path, got, x.want)
		}
	}
	// Numbers are accepted and echoed; stored as strings.
	r := e.do(t, "POST", "/v2.1/flavors/f/os-extra_specs", e.admin, map[string]any{"extra_specs": map[string]any{"n": 2}})
	if r.Status != 200 || r.Body["extra_specs"].(map[string]any)["n"] != float64(2) {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "GET", "/v2.1/flavors/f/os-extra_specs", member, nil); r.Status != 200 || r.Body["extra_specs"].(map[string]any)["n"] != "2" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestFlavorDeleteRefusals(t *testing.T) {
	e := startResources(t)
	member, _ := e.project(t, "p1", "member")
	e.mkFlavor(t, "f", "f", 64, 0, true)
	if msg := e.refused(t, "DELETE", "/v2.1/flavors/f", member, nil, 403); msg != "Policy doesn't allow os_compute_api:os-flavor-manage:delete to be performed." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "DELETE", "/v2.1/flavors/nope", e.admin, nil, 404); msg != "Flavor nope could not be found." {
		t.Fatal(msg)
	}
	if r := e.do(t, "DELETE", "/v2.1/flavors/f", e.admin, nil); r.Status != http.StatusAccepted {
		t.Fatalf("%d", r.Status)
	}
}

func TestBootstrapDefaultFlavorsIdempotent(t *testing.T) {
	e := startResources(t)
	ctx := context.Background()
	for range 2 {
		if err := e.svc.Bootstrap(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client(e.admin, "2.79")
	c.Type = "compute"
	pages, err := flavors.ListDetail(c, nil).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := flavors.ExtractFlavors(pages)
	got := map[string]flavors.Flavor{}
	for _, f := range all {
		got[f.Name] = f
	}
	if len(all) != 7 || got["m1.tiny"].ID != "1" || got["m1.tiny"].RAM != 512 || got["m1.nano"].ID != "42" ||
		got["m1.micro"].RAM != 192 || got["m1.xlarge"].VCPUs != 8 || got["m1.small"].Disk != 20 {
		t.Fatalf("%+v", got)
	}
}

var _ = gophercloud.ErrUnexpectedResponseCode{}

func TestFlavorByIDSeesPrivateFlavors(t *testing.T) {
	e := startResources(t)
	e.mkFlavor(t, "priv", "private", 64, 0, false)
	name, vcpus, err := compute.FlavorByID(e.id.DB, "priv")
	if err != nil || name != "private" || vcpus != 1 {
		t.Fatalf("%s %d %v", name, vcpus, err)
	}
	if _, _, err := compute.FlavorByID(e.id.DB, "nope"); err == nil || err.Error() != "Flavor nope could not be found." {
		t.Fatalf("%v", err)
	}
}
