package image_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/members"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/image"
)

// sharing is a shared image of alice's project and a second project, bob's.
type sharing struct {
	e                  *env
	alice, bob         string // tokens
	aliceProj, bobProj string
	img                string // image id
}

func startSharing(t *testing.T) *sharing {
	t.Helper()
	return shareOn(t, start(t))
}

func shareOn(t *testing.T, e *env) *sharing {
	t.Helper()
	s := &sharing{e: e}
	s.alice, s.aliceProj = e.project(t, "alice")
	s.bob, s.bobProj = e.project(t, "bob")
	im, err := images.Create(context.Background(), e.client(s.alice), images.CreateOpts{Name: "shared-img",
		DiskFormat: "raw", ContainerFormat: "bare"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if im.Visibility != images.ImageVisibilityShared {
		t.Fatalf("default visibility %q", im.Visibility)
	}
	s.img = im.ID
	return s
}

// listedIDs are the ids images.List gives token with opts.
func listedIDs(t *testing.T, e *env, token string, opts images.ListOpts) map[string]bool {
	t.Helper()
	pages, err := images.List(e.client(token), opts).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	list, err := images.ExtractImages(pages)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, im := range list {
		out[im.ID] = true
	}
	return out
}

func TestGophercloudImageMembers(t *testing.T) {
	s := startSharing(t)
	ctx := context.Background()
	ac, bc := s.e.client(s.alice), s.e.client(s.bob)

	m, err := members.Create(ctx, ac, s.img, s.bobProj).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if m.MemberID != s.bobProj || m.ImageID != s.img || m.Status != "pending" || m.Schema != "/v2/schemas/member" || m.CreatedAt.IsZero() {
		t.Fatalf("created %+v", m)
	}
	if _, err := members.Create(ctx, ac, s.img, "not-a-keystone-project").Extract(); err != nil {
		t.Fatal(err) // as upstream, any member id is taken
	}
	pages, err := members.List(ac, s.img).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := members.ExtractMembers(pages)
	if len(all) != 2 || all[0].MemberID != s.bobProj || all[1].MemberID != "not-a-keystone-project" {
		t.Fatalf("owner's list %+v", all)
	}
	pages, err = members.List(bc, s.img).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if own, _ := members.ExtractMembers(pages); len(own) != 1 || own[0].MemberID != s.bobProj {
		t.Fatalf("a member sees only itself, got %+v", own)
	}
	if got, err := members.Get(ctx, bc, s.img, s.bobProj).Extract(); err != nil || got.Status != "pending" {
		t.Fatalf("member get: %+v %v", got, err)
	}

	m, err = members.Update(ctx, bc, s.img, s.bobProj, members.UpdateOpts{Status: "accepted"}).Extract()
	if err != nil || m.Status != "accepted" {
		t.Fatalf("accept: %+v %v", m, err)
	}
	if got, _ := members.Get(ctx, ac, s.img, s.bobProj).Extract(); got.Status != "accepted" {
		t.Fatalf("owner sees %+v", got)
	}

	if err := members.Delete(ctx, ac, s.img, s.bobProj).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := members.Get(ctx, ac, s.img, s.bobProj).Err; err == nil {
		t.Fatal("deleted membership still shown")
	}
	if msg := s.e.refused(t, "GET", "/v2/images/"+s.img, s.bob, nil, 404); msg != "No image found with ID "+s.img {
		t.Fatalf("former member reads the image: %q", msg)
	}

	// Deleting the image deletes its memberships.
	if err := images.Delete(ctx, ac, s.img).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	var left int
	err = s.e.id.DB.Read(ctx, func(tx *db.Tx) error {
		return tx.QueryRow("SELECT COUNT(*) FROM image_members WHERE image_id = ?", s.img).Scan(&left)
	})
	if err != nil || left != 0 {
		t.Fatalf("memberships left after the image's deletion: %d %v", left, err)
	}
}

func TestImageMemberShapes(t *testing.T) {
	s := startSharing(t)
	stamp := `"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"`
	one := `\{"member_id":"` + s.bobProj + `","image_id":"` + s.img + `","status":"%s","created_at":` + stamp +
		`,"updated_at":` + stamp + `,"schema":"/v2/schemas/member"\}`
	shape := func(r *response, status int, re string) {
		t.Helper()
		if r.Status != status || r.Header.Get("Content-Type") != "application/json" || !regexp.MustCompile("^"+re+"$").Match(r.Raw) {
			t.Fatalf("%d %s\n%s", r.Status, r.Header.Get("Content-Type"), r.Raw)
		}
	}
	base := "/v2/images/" + s.img + "/members"
	shape(s.e.do(t, "POST", base, s.alice, map[string]any{"member": s.bobProj}), 200, fmt.Sprintf(one, "pending"))
	shape(s.e.do(t, "GET", base, s.alice, nil), 200, `\{"members":\[`+fmt.Sprintf(one, "pending")+`\],"schema":"/v2/schemas/members"\}`)
	shape(s.e.do(t, "GET", base+"/"+s.bobProj, s.bob, nil), 200, fmt.Sprintf(one, "pending"))
	// Like Glance, other keys of an update body are ignored.
	shape(s.e.do(t, "PUT", base+"/"+s.bobProj, s.bob, map[string]any{"status": "rejected", "member": "x"}), 200, fmt.Sprintf(one, "rejected"))
	if r := s.e.do(t, "DELETE", base+"/"+s.bobProj, s.alice, nil); r.Status != 204 || len(r.Raw) != 0 {
		t.Fatalf("delete: %d %q", r.Status, r.Raw)
	}
	shape(s.e.do(t, "GET", base, s.alice, nil), 200, `\{"members":\[\],"schema":"/v2/schemas/members"\}`)
}

// TestImageMemberIsolation: a project that is neither owner nor member
// sees nothing of a shared image, and a member sees only its own
// membership.
func TestImageMemberIsolation(t *testing.T) {
	s := startSharing(t)
	e := s.e
	carol, _ := e.project(t, "carol")
	base := "/v2/images/" + s.img + "/members"
	for _, m := range []string{s.bobProj, "dave-project"} {
		if r := e.do(t, "POST", base, s.alice, map[string]any{"member": m}); r.Status != 200 {
			t.Fatalf("add %s: %d %s", m, r.Status, r.Raw)
		}
	}
	notFound := "Image " + s.img + " not found."
	for _, c := range []struct {
		method, path string
		body         any
		want         string
	}{
		{"GET", "/v2/images/" + s.img, nil, "No image found with ID " + s.img},
		{"GET", base, nil, notFound},
		{"GET", base + "/" + s.bobProj, nil, notFound},
		{"POST", base, map[string]any{"member": "x"}, notFound},
		{"PUT", base + "/" + s.bobProj, map[string]any{"status": "accepted"}, notFound},
		{"DELETE", base + "/" + s.bobProj, nil, notFound},
	} {
		if msg := e.refused(t, c.method, c.path, carol, c.body, 404); msg != c.want {
			t.Fatalf("%s %s: %q", c.method, c.path, msg)
		}
	}
	if listedIDs(t, e, carol, images.ListOpts{MemberStatus: images.ImageMemberStatusAll, Visibility: "all"})[s.img] {
		t.Fatal("carol lists the shared image")
	}
	if r := e.do(t, "GET", base, s.bob, nil); len(r.Body["members"].([]any)) != 1 {
		t.Fatalf("bob sees others' memberships: %s", r.Raw)
	}
	if msg := e.refused(t, "GET", base+"/dave-project", s.bob, nil, 404); msg != "dave-project not found in the member list of the image "+s.img+"." {
		t.Fatalf("bob reads dave's membership: %q", msg)
	}
	if msg := e.refused(t, "PUT", base+"/dave-project", s.bob, map[string]any{"status": "accepted"}, 404); msg != "dave-project not found in the member list of the image "+s.img+"." {
		t.Fatalf("bob accepts for dave: %q", msg)
	}
}

// TestImageMemberAcceptChangesList: a pending or rejected share is read by
// id but listed only on request; accepting lists it by default.
func TestImageMemberAcceptChangesList(t *testing.T) {
	s := startSharing(t)
	e, ctx, bc := s.e, context.Background(), s.e.client(s.bob)
	if _, err := members.Create(ctx, e.client(s.alice), s.img, s.bobProj).Extract(); err != nil {
		t.Fatal(err)
	}
	listed := func(opts images.ListOpts) bool { return listedIDs(t, e, s.bob, opts)[s.img] }
	shared := images.ListOpts{Visibility: images.ImageVisibilityShared}
	check := func(status string, byDefault, asShared bool) {
		t.Helper()
		if listed(images.ListOpts{}) != byDefault || listed(shared) != asShared {
			t.Fatalf("%s: default list %v, visibility=shared %v", status, !byDefault, !asShared)
		}
		if !listed(images.ListOpts{MemberStatus: images.ImageMemberStatus(status)}) || !listed(images.ListOpts{MemberStatus: images.ImageMemberStatusAll}) {
			t.Fatalf("%s: not listed with member_status=%s or all", status, status)
		}
		if got, err := images.Get(ctx, bc, s.img).Extract(); err != nil || got.ID != s.img {
			t.Fatalf("%s: member cannot read the image: %v", status, err)
		}
	}
	check("pending", false, false)
	if _, err := members.Update(ctx, bc, s.img, s.bobProj, members.UpdateOpts{Status: "accepted"}).Extract(); err != nil {
		t.Fatal(err)
	}
	check("accepted", true, true)
	if _, err := members.Update(ctx, bc, s.img, s.bobProj, members.UpdateOpts{Status: "rejected"}).Extract(); err != nil {
		t.Fatal(err)
	}
	check("rejected", false, false)
	if !listedIDs(t, e, s.alice, shared)[s.img] {
		t.Fatal("the owner's visibility=shared list lacks its image")
	}
	for q, want := range map[string]string{"bogus": "Invalid status: bogus", "": "Invalid status: "} {
		if msg := e.refused(t, "GET", "/v2/images?member_status="+q, s.bob, nil, 400); msg != want {
			t.Fatalf("member_status=%s: %q", q, msg)
		}
	}
}

func TestImageMemberRefusals(t *testing.T) {
	s := startSharing(t)
	e, ctx := s.e, context.Background()
	ac := e.client(s.alice)
	if _, err := members.Create(ctx, ac, s.img, s.bobProj).Extract(); err != nil {
		t.Fatal(err)
	}
	private, err := images.Create(ctx, ac, images.CreateOpts{Name: "p", Visibility: ptr(images.ImageVisibilityPrivate)}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	public, err := images.Create(ctx, e.client(e.admin), images.CreateOpts{Name: "pub", Visibility: ptr(images.ImageVisibilityPublic)}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	base, mine := "/v2/images/"+s.img+"/members", "/v2/images/"+s.img+"/members/"+s.bobProj
	for _, c := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		want                      string
	}{
		{"private image", "POST", "/v2/images/" + private.ID + "/members", s.alice, map[string]any{"member": s.bobProj}, 403,
			"Not allowed to create members for image " + private.ID + "."},
		{"public image, admin", "POST", "/v2/images/" + public.ID + "/members", e.admin, map[string]any{"member": s.bobProj}, 403,
			"Not allowed to create members for image " + public.ID + "."},
		{"owner accepts for the member", "PUT", mine, s.alice, map[string]any{"status": "accepted"}, 403,
			"Not allowed to update members for image " + s.img + "."},
		{"owner sends a bad status", "PUT", mine, s.alice, map[string]any{"status": "bogus"}, 403,
			"Not allowed to update members for image " + s.img + "."},
		{"unknown status", "PUT", mine, s.bob, map[string]any{"status": "bogus"}, 400,
			`Incorrect request: Status must be "pending", "accepted" or "rejected".`},
		{"status not a string", "PUT", mine, s.bob, map[string]any{"status": 1}, 400,
			`Incorrect request: Status must be "pending", "accepted" or "rejected".`},
		{"no status", "PUT", mine, s.bob, map[string]any{"state": "accepted"}, 400, "Status not specified"},
		{"status body a list", "PUT", mine, s.bob, []byte(`["accepted"]`), 400, `Expected a status in the form: {"status": "status"}`},
		{"duplicate", "POST", base, s.alice, map[string]any{"member": s.bobProj}, 409,
			"Member " + s.bobProj + " is duplicated for image " + s.img},
		{"member adds a member", "POST", base, s.bob, map[string]any{"member": "x"}, 403,
			"Not allowed to create members for image " + s.img + "."},
		{"member removes itself", "DELETE", mine, s.bob, nil, 403, "Not allowed to delete members for image " + s.img + "."},
		{"no member", "POST", base, s.alice, map[string]any{"foo": "x"}, 400, "Member to be added not specified"},
		{"empty member", "POST", base, s.alice, map[string]any{"member": ""}, 400, "Member can't be empty"},
		{"null member", "POST", base, s.alice, map[string]any{"member": nil}, 400, "Member can't be empty"},
		{"member a list", "POST", base, s.alice, map[string]any{"member": []string{"x"}}, 400, `Expected a member in the form: {"member": "image_id"}`},
		{"body a list", "POST", base, s.alice, []byte(`[1]`), 400, `Expected a member in the form: {"member": "image_id"}`},
		{"body a string", "POST", base, s.alice, []byte(`"x"`), 400, "Unexpected body type. Expected list/dict."},
		{"malformed JSON", "POST", base, s.alice, []byte(`{`), 400, "Malformed JSON in request body."},
		{"no body", "POST", base, s.alice, []byte{}, 400, "Body expected in request."},
		{"bad body before unknown image", "POST", "/v2/images/00000000-0000-4000-8000-000000000000/members", s.alice,
			map[string]any{"foo": "x"}, 400, "Member to be added not specified"},
		{"unknown image", "GET", "/v2/images/00000000-0000-4000-8000-000000000000/members", s.alice, nil, 404,
			"Image 00000000-0000-4000-8000-000000000000 not found."},
		{"list of a private image", "GET", "/v2/images/" + private.ID + "/members", s.alice, nil, 403,
			"Not allowed to list members for image " + private.ID + ": Only shared images have members."},
		{"member of a private image", "GET", "/v2/images/" + private.ID + "/members/x", s.alice, nil, 404,
			"Only shared images have members."},
		{"unknown member", "GET", base + "/nobody", s.alice, nil, 404, "nobody not found in the member list of the image " + s.img + "."},
		{"delete unknown member", "DELETE", base + "/nobody", s.alice, nil, 404, "nobody not found in the member list of the image " + s.img + "."},
	} {
		if msg := e.refused(t, c.method, c.path, c.token, c.body, c.status); msg != c.want {
			t.Errorf("%s: %q, want %q", c.name, msg, c.want)
		}
	}
	if got, _ := members.Get(ctx, ac, s.img, s.bobProj).Extract(); got.Status != "pending" {
		t.Fatalf("status after refusals: %+v", got)
	}
}

// TestImageMemberAdmin: an admin shares any shared image and sets any
// membership's status, as Glance's legacy checks skip admins.
func TestImageMemberAdmin(t *testing.T) {
	s := startSharing(t)
	e, ctx, adm := s.e, context.Background(), s.e.client(s.e.admin)
	if _, err := members.Create(ctx, adm, s.img, s.bobProj).Extract(); err != nil {
		t.Fatal(err)
	}
	if m, err := members.Update(ctx, adm, s.img, s.bobProj, members.UpdateOpts{Status: "accepted"}).Extract(); err != nil || m.Status != "accepted" {
		t.Fatalf("admin accepts: %+v %v", m, err)
	}
	if !listedIDs(t, e, s.bob, images.ListOpts{})[s.img] {
		t.Fatal("the admin's accept did not list the image for bob")
	}
	if err := members.Delete(ctx, adm, s.img, s.bobProj).ExtractErr(); err != nil {
		t.Fatal(err)
	}
}

func TestImageMemberQuota(t *testing.T) {
	s := startSharing(t)
	e := s.e
	base := "/v2/images/" + s.img + "/members"
	for i := range 128 {
		if r := e.do(t, "POST", base, s.alice, map[string]any{"member": fmt.Sprintf("p%03d", i)}); r.Status != 200 {
			t.Fatalf("member %d: %d %s", i, r.Status, r.Raw)
		}
	}
	want := "Image member limit exceeded for image " + s.img + ": The limit has been exceeded on the number of allowed image " +
		"members for this image. Attempted: 129, Maximum: 128:"
	if msg := e.refused(t, "POST", base, s.alice, map[string]any{"member": "one-more"}, 413); msg != want {
		t.Fatalf("over the default quota: %q", msg)
	}
	// As upstream, the quota is checked before duplicates.
	if msg := e.refused(t, "POST", base, s.alice, map[string]any{"member": "p000"}, 413); msg != want {
		t.Fatalf("duplicate at the quota: %q", msg)
	}

	withImageOptions(t, e, func(o *image.Options) { o.ImageMemberQuota = 1 })
	im, _ := images.Create(context.Background(), e.client(s.alice), images.CreateOpts{Name: "two"}).Extract()
	base = "/v2/images/" + im.ID + "/members"
	if r := e.do(t, "POST", base, s.alice, map[string]any{"member": "a"}); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if msg := e.refused(t, "POST", base, s.alice, map[string]any{"member": "b"}, 413); !strings.HasSuffix(msg, "Attempted: 2, Maximum: 1:") {
		t.Fatalf("quota 1: %q", msg)
	}
	withImageOptions(t, e, func(o *image.Options) { o.ImageMemberQuota = -1 })
	if r := e.do(t, "POST", base, s.alice, map[string]any{"member": "b"}); r.Status != 200 {
		t.Fatalf("unlimited: %d %s", r.Status, r.Raw)
	}
}

// TestImageMemberPolicy: the member rules of a policy file decide, with
// upstream's messages (a refused get_member is a 404 on show and an empty
// list).
func TestImageMemberPolicy(t *testing.T) {
	e := start(t)
	file := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(file, []byte("add_member: '!'\nget_member: '!'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withImageOptions(t, e, func(o *image.Options) { o.PolicyFile = file })
	s := shareOn(t, e)
	base := "/v2/images/" + s.img + "/members"
	if msg := e.refused(t, "POST", base, s.alice, map[string]any{"member": s.bobProj}, 403); msg != "You are not authorized to complete add_member action." {
		t.Fatalf("add_member: %q", msg)
	}
	if msg := e.refused(t, "GET", base+"/"+s.bobProj, s.alice, nil, 404); msg != "You are not authorized to complete get_member action." {
		t.Fatalf("get_member: %q", msg)
	}
	if r := e.do(t, "GET", base, s.alice, nil); r.Status != 200 || string(r.Raw) != `{"members":[],"schema":"/v2/schemas/members"}` {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
}

// TestImageVisibilityRules pins what each project sees: community images
// by id but listed only on request, ownerless images by id, an admin's own
// community images in its default list.
func TestImageVisibilityRules(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	alice, _ := e.project(t, "alice")
	bob, _ := e.project(t, "bob")
	community, err := images.Create(ctx, e.client(alice), images.CreateOpts{Name: "c", Visibility: ptr(images.ImageVisibilityCommunity)}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := images.Get(ctx, e.client(bob), community.ID).Extract(); err != nil {
		t.Fatalf("community image by id: %v", err)
	}
	for vis, want := range map[images.ImageVisibility]bool{"": false, "all": true, "community": true, "shared": false} {
		if listedIDs(t, e, bob, images.ListOpts{Visibility: vis})[community.ID] != want {
			t.Fatalf("bob's list with visibility=%q: want listed %v", vis, want)
		}
	}
	if !listedIDs(t, e, alice, images.ListOpts{})[community.ID] {
		t.Fatal("the owner's default list lacks its community image")
	}

	r := e.do(t, "POST", "/v2/images", e.admin, map[string]any{"name": "ownerless", "visibility": "private", "owner": nil})
	ownerless, _ := r.Body["id"].(string)
	if r.Status != 201 || r.Body["owner"] != nil {
		t.Fatalf("ownerless create: %d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "GET", "/v2/images/"+ownerless, bob, nil); r.Status != 200 {
		t.Fatalf("Glance shows an ownerless image to all: %d %s", r.Status, r.Raw)
	}
	if listedIDs(t, e, bob, images.ListOpts{Visibility: "all"})[ownerless] {
		t.Fatal("an ownerless private image is listed to others")
	}

	adminCommunity, err := images.Create(ctx, e.client(e.admin), images.CreateOpts{Name: "ac", Visibility: ptr(images.ImageVisibilityCommunity)}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	adminList := listedIDs(t, e, e.admin, images.ListOpts{})
	if !adminList[adminCommunity.ID] || adminList[community.ID] {
		t.Fatalf("admin's default list: own community %v, alice's community %v", adminList[adminCommunity.ID], adminList[community.ID])
	}
}
