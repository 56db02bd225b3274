package image_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha512"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imagedata"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
)

func TestGophercloudImageLifecycle(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	alice, aliceProject := e.project(t, "alice")
	bob, _ := e.project(t, "bob")
	admin, ac := e.client(e.admin), e.client(alice)

	public, err := images.Create(ctx, admin, images.CreateOpts{Name: "cirros", DiskFormat: "raw", ContainerFormat: "bare",
		Visibility: ptr(images.ImageVisibilityPublic)}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if public.Status != images.ImageStatusQueued || public.Visibility != images.ImageVisibilityPublic {
		t.Fatalf("created %+v", public)
	}
	private, err := images.Create(ctx, ac, images.CreateOpts{Name: "mine", DiskFormat: "raw", ContainerFormat: "bare",
		Visibility: ptr(images.ImageVisibilityPrivate), Tags: []string{"b", "a"}, Properties: map[string]string{"os_distro": "debian"}}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if private.Owner != aliceProject || strings.Join(private.Tags, ",") != "a,b" || private.Properties["os_distro"] != "debian" {
		t.Fatalf("private image %+v", private)
	}

	data := randomBytes(3<<20 + 17)
	if err := imagedata.Upload(ctx, ac, private.ID, bytes.NewReader(data)).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	got, err := images.Get(ctx, ac, private.ID).Extract()
	if err != nil {
		t.Fatal(err)
	}
	md := md5.Sum(data)
	sh := sha512.Sum512(data)
	if got.Status != images.ImageStatusActive || got.SizeBytes != int64(len(data)) || got.Checksum != hex.EncodeToString(md[:]) {
		t.Fatalf("after upload: status %s size %d checksum %s", got.Status, got.SizeBytes, got.Checksum)
	}
	r := e.do(t, "GET", "/v2/images/"+private.ID, alice, nil)
	if r.Body["os_hash_algo"] != "sha512" || r.Body["os_hash_value"] != hex.EncodeToString(sh[:]) || r.Body["stores"] != "file" {
		t.Fatalf("hashes: %s", r.Raw)
	}
	rc, err := imagedata.Download(ctx, ac, private.ID).Extract()
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(back, data) {
		t.Fatalf("downloaded %d bytes, not what was uploaded", len(back))
	}

	visibleTo := func(token string) map[string]bool {
		pages, err := images.List(e.client(token), images.ListOpts{}).AllPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := images.ExtractImages(pages)
		out := map[string]bool{}
		for _, im := range list {
			out[im.ID] = true
		}
		return out
	}
	if v := visibleTo(alice); !v[public.ID] || !v[private.ID] {
		t.Fatalf("alice sees %v", v)
	}
	if v := visibleTo(bob); !v[public.ID] || v[private.ID] {
		t.Fatalf("bob sees %v", v)
	}
	if err := images.Get(ctx, e.client(bob), private.ID).Err; err == nil {
		t.Fatal("bob reads alice's private image")
	}

	if err := images.Delete(ctx, ac, private.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := images.Get(ctx, ac, private.ID).Err; err == nil {
		t.Fatal("deleted image still shown")
	}
}

func TestNonAdminCannotPublicize(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	r := e.do(t, "POST", "/v2/images", alice, map[string]any{"name": "x", "visibility": "public"})
	if r.Status != 403 || r.Body["message"] != "You are not authorized to complete publicize_image action.<br /><br />\n\n\n" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "GET", "/v2/images", alice, nil); len(r.Body["images"].([]any)) != 0 {
		t.Fatalf("the refused create left an image: %s", r.Raw)
	}
}

func ptr[T any](v T) *T { return &v }

// TestListFiltersBySizeAndProperty: as upstream, size filters exactly and
// an unknown parameter filters on the property of that name.
func TestListFiltersBySizeAndProperty(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	ids := map[string]string{}
	for name, n := range map[string]int{"small": 1000, "big": 2000} {
		id := e.do(t, "POST", "/v2/images", alice, map[string]any{"name": name, "disk_format": "raw",
			"container_format": "bare", "flavour": name}).Body["id"].(string)
		e.do(t, "PUT", "/v2/images/"+id+"/file", alice, randomBytes(n))
		ids[name] = id
	}
	only := func(query, want string) {
		t.Helper()
		list := e.do(t, "GET", "/v2/images?"+query, alice, nil).Body["images"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != ids[want] {
			t.Fatalf("%s: %v", query, list)
		}
	}
	only("size=2000", "big")
	only("flavour=small", "small")
	only("size_max=1500", "small")
}

// TestPagingVisitsEveryImageOnce follows next links under the default
// order (keyset paging) and under a custom sort (scan to the marker).
func TestPagingVisitsEveryImageOnce(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	want := map[string]bool{}
	for i := range 7 {
		id := e.do(t, "POST", "/v2/images", alice, map[string]any{"name": string(rune('a' + i))}).Body["id"].(string)
		want[id] = true
	}
	for _, query := range []string{"limit=3", "limit=3&sort=name:asc"} {
		seen := map[string]bool{}
		path := "/v2/images?" + query
		for path != "" {
			r := e.do(t, "GET", path, alice, nil)
			for _, im := range r.Body["images"].([]any) {
				id := im.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("%s: %s listed twice", query, id)
				}
				seen[id] = true
			}
			path, _ = r.Body["next"].(string)
		}
		if len(seen) != len(want) {
			t.Fatalf("%s: paged through %d of %d images", query, len(seen), len(want))
		}
	}
	if r := e.do(t, "GET", "/v2/images?marker=00000000-0000-0000-0000-000000000000", alice, nil); r.Status != 400 {
		t.Fatalf("unknown marker: %d %s", r.Status, r.Raw)
	}
}
