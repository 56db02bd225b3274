package compute_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/monostack/monostack/internal/compute"
)

func TestCreateServerWithGophercloud(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	tok, project := e.project(t, "alpha", "member")
	c := e.computeClient(tok, "2.79")
	created, err := servers.Create(context.Background(), c, servers.CreateOpts{Name: "web", ImageRef: e.image,
		FlavorRef: flavor, Networks: "auto", Metadata: map[string]string{"role": "web"}, Tags: []string{"a", "b"},
		UserData: []byte("#!/bin/sh\necho hi\n")}, nil).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if created.AdminPass == "" || created.ID == "" {
		t.Fatalf("create response: %+v", created)
	}
	got, err := servers.Get(context.Background(), c, created.ID).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "BUILD" || got.TenantID != project || got.Metadata["role"] != "web" || got.Name != "web" {
		t.Fatalf("server: %+v", got)
	}
	if got.Tags == nil || strings.Join(*got.Tags, ",") != "a,b" {
		t.Fatalf("tags: %v", got.Tags)
	}
	raw := e.show(t, tok, "2.79", created.ID)
	for k, want := range map[string]any{"OS-EXT-STS:vm_state": "building", "OS-EXT-STS:task_state": "scheduling",
		"OS-EXT-STS:power_state": float64(0), "progress": float64(0), "locked": false, "hostId": "",
		"OS-DCF:diskConfig": "MANUAL", "config_drive": "", "description": nil} {
		if raw[k] != want {
			t.Errorf("%s = %#v, want %#v", k, raw[k], want)
		}
	}
	if _, ok := raw["OS-EXT-SRV-ATTR:host"]; ok {
		t.Error("a member sees extended server attributes")
	}
	if f := raw["flavor"].(map[string]any); f["original_name"] != "m1.tiny" || f["ram"] != float64(512) {
		t.Errorf("2.47 flavor: %v", f)
	}
}

func TestCreateServerResponseShape(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	tok, _ := e.project(t, "alpha", "member")
	r := e.do(t, "POST", "/v2.1/servers", tok, map[string]any{"server": map[string]any{"name": "x",
		"imageRef": e.image, "flavorRef": flavor, "adminPass": "s3cret"}})
	if r.Status != 202 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	srv := r.Body["server"].(map[string]any)
	id := srv["id"].(string)
	if srv["adminPass"] != "s3cret" || srv["OS-DCF:diskConfig"] != "MANUAL" ||
		!strings.HasSuffix(r.Header.Get("Location"), "/v2.1/servers/"+id) {
		t.Fatalf("response: %s %v", r.Raw, r.Header)
	}
	sgs := srv["security_groups"].([]any)
	if len(sgs) != 1 || sgs[0].(map[string]any)["name"] != "default" {
		t.Fatalf("security groups: %v", sgs)
	}
	links := srv["links"].([]any)
	if links[0].(map[string]any)["rel"] != "self" || links[1].(map[string]any)["rel"] != "bookmark" {
		t.Fatalf("links: %v", links)
	}
	// Before 2.47 the flavor is an id with a link; before 2.19 the description is the name.
	show := e.show(t, tok, "2.1", id)
	if show["flavor"].(map[string]any)["id"] != flavor {
		t.Fatalf("2.1 flavor: %v", show["flavor"])
	}
	if _, ok := show["description"]; ok {
		t.Fatal("2.1 shows a description")
	}
	if d := e.show(t, tok, "2.19", id)["description"]; d != "x" {
		t.Fatalf("description of a pre-2.19 create: %v", d)
	}
}

func TestCreateServerAdminSeesExtendedAttributes(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	ud := base64.StdEncoding.EncodeToString([]byte("hello"))
	body := e.boot(t, e.admin, "2.3", map[string]any{"name": "My Server_1", "imageRef": e.image,
		"flavorRef": flavor, "user_data": ud})
	srv := e.show(t, e.admin, "2.3", body["server"].(map[string]any)["id"].(string))
	if srv["OS-EXT-SRV-ATTR:hostname"] != "my-server-1" || srv["OS-EXT-SRV-ATTR:user_data"] != ud ||
		srv["OS-EXT-SRV-ATTR:launch_index"] != float64(0) || srv["OS-EXT-SRV-ATTR:host"] != nil ||
		!strings.HasPrefix(srv["OS-EXT-SRV-ATTR:instance_name"].(string), "instance-") ||
		!strings.HasPrefix(srv["OS-EXT-SRV-ATTR:reservation_id"].(string), "r-") {
		t.Fatalf("extended attributes: %v", srv)
	}
}

func TestMultiCreateNamesAndReservation(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	tok, _ := e.project(t, "alpha", "member")
	r := e.boot(t, tok, "2.79", map[string]any{"name": "node", "imageRef": e.image, "flavorRef": flavor,
		"networks": "none", "min_count": 3, "return_reservation_id": true})
	resID, _ := r["reservation_id"].(string)
	if !strings.HasPrefix(resID, "r-") || len(r) != 1 {
		t.Fatalf("reservation response: %v", r)
	}
	list := e.do(t, "GET", "/v2.1/servers/detail?reservation_id="+resID+"&sort_key=display_name&sort_dir=asc", tok, nil,
		"OpenStack-API-Version", "compute 2.79")
	got := list.Body["servers"].([]any)
	if len(got) != 3 {
		t.Fatalf("servers: %s", list.Raw)
	}
	for n, s := range got {
		if name := s.(map[string]any)["name"]; name != "node-"+string(rune('1'+n)) {
			t.Errorf("server %d named %v", n, name)
		}
	}
}

func TestCreateServerRefusals(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	zero := e.flavor(t, "zero", 1, 512, 0)
	big := e.images.add(compute.ImageMeta{Name: "big", Size: 2 << 30})
	minDisk := e.images.add(compute.ImageMeta{Name: "mindisk", MinDiskGB: 5})
	minRAM := e.images.add(compute.ImageMeta{Name: "minram", MinRAMMB: 4096})
	queued := e.images.add(compute.ImageMeta{Name: "queued", Status: "queued"})
	tok, _ := e.project(t, "alpha", "member")
	base := func(kv ...any) map[string]any {
		s := map[string]any{"name": "x", "imageRef": e.image, "flavorRef": flavor}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(s, kv[i].(string))
				continue
			}
			s[kv[i].(string)] = kv[i+1]
		}
		return map[string]any{"server": s}
	}
	cases := []struct {
		name   string
		mv     string
		body   map[string]any
		status int
		msg    string
	}{
		{"no name", "2.1", base("name", nil), 400, "'name' is a required property"},
		{"no networks at 2.37", "2.37", base(), 400, "'networks' is a required property"},
		{"description before 2.19", "2.18", base("description", "d"), 400, "Additional properties are not allowed ('description' was unexpected)"},
		{"missing image", "2.1", base("imageRef", nil), 400, "Missing imageRef attribute"},
		{"unknown image", "2.1", base("imageRef", "6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11"), 400, "Can not find requested image"},
		{"image not active", "2.1", base("imageRef", queued), 400, "Image " + queued + " is not active."},
		{"unknown flavor", "2.1", base("flavorRef", "nope"), 400, "Flavor nope could not be found."},
		{"image too big", "2.1", base("imageRef", big), 400, "Flavor's disk is too small for requested image. Flavor disk is 1073741824 bytes, image is 2147483648 bytes."},
		{"min disk", "2.1", base("imageRef", minDisk), 400, "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is 1073741824 bytes, minimum size is 5368709120 bytes."},
		{"min ram", "2.1", base("imageRef", minRAM), 400, "Flavor's memory is too small for requested image."},
		{"zero disk", "2.1", base("flavorRef", zero), 403, "Only volume-backed servers are allowed for flavors with zero disk."},
		{"unknown zone", "2.1", base("availability_zone", "mars"), 400, "The requested availability zone is not available"},
		{"forced host", "2.1", base("availability_zone", "nova:host1"), 403, "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed."},
		{"bad zone", "2.1", base("availability_zone", "a:b:c:d"), 400, "Invalid input received: Unable to parse availability_zone"},
		{"bad user data", "2.1", base("user_data", "not base64!"), 400, "is not a 'base64'"},
		{"min over max", "2.1", base("min_count", 3, "max_count", 2), 400, "min_count must be <= max_count"},
		{"unknown network", "2.37", base("networks", []any{map[string]any{"uuid": "6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11"}}), 400, "Network 6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11 could not be found."},
		{"bad networks word", "2.37", base("networks", "some"), 400, "is not valid under any of the given schemas"},
		{"fixed ip multi", "2.1", base("max_count", 2, "networks", []any{map[string]any{"uuid": compute.StubNetworkID(), "fixed_ip": "10.0.0.9"}}), 400, "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified."},
		{"volume source", "2.1", base("block_device_mapping_v2", []any{map[string]any{"source_type": "volume", "uuid": "6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11", "destination_type": "volume", "boot_index": 0}}), 400, "Block Device Mapping is Invalid"},
		{"unknown group", "2.1", map[string]any{"server": base()["server"], "os:scheduler_hints": map[string]any{"group": "6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11"}}, 400, "Instance group 6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11 could not be found."},
		{"unknown same_host", "2.1", map[string]any{"server": base()["server"], "os:scheduler_hints": map[string]any{"same_host": "6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11"}}, 400, "Instance 6e5b6a2c-86a7-4b64-b1d0-6f2c3d6b0e11 could not be found."},
		{"tags before 2.52", "2.51", base("networks", "auto", "tags", []any{"a"}), 400, "'tags' was unexpected"},
		{"too many metadata", "2.1", base("metadata", manyMetadata(129)), 403, "Maximum number of metadata items exceeds 128"},
		{"host before 2.74", "2.73", base("networks", "auto", "host", "h1"), 400, "'host' was unexpected"},
		{"requested host by member", "2.74", base("networks", "auto", "host", "h1"), 403, "Policy doesn't allow compute:servers:create:requested_destination to be performed."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := e.refused(t, "POST", "/v2.1/servers", tok, c.body, c.status, "OpenStack-API-Version", "compute "+c.mv)
			if !strings.Contains(msg, c.msg) {
				t.Fatalf("message %q, want %q", msg, c.msg)
			}
		})
	}
}

func manyMetadata(n int) map[string]any {
	m := map[string]any{}
	for i := 0; i < n; i++ {
		m["k"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}
	return m
}

func TestCreateServerOnStubNetworkGetsAddress(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	tok, _ := e.project(t, "alpha", "member")
	r := e.do(t, "GET", "/v2.1/os-networks", tok, nil)
	nets := r.Body["networks"].([]any)
	if len(nets) != 1 || nets[0].(map[string]any)["label"] != "private" || nets[0].(map[string]any)["id"] != compute.StubNetworkID() {
		t.Fatalf("os-networks: %s", r.Raw)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-networks", tok, nil, 404, "OpenStack-API-Version", "compute 2.36"); msg == "" {
		t.Fatal("os-networks at 2.36")
	}
	e.boot(t, tok, "2.37", map[string]any{"name": "x", "imageRef": e.image, "flavorRef": flavor,
		"networks": []any{map[string]any{"uuid": compute.StubNetworkID()}}})
}
