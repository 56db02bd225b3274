package image_test

import (
	"context"
	"slices"
	"testing"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/image"
)

func TestInProcessListShowsWhatTheImageAPIListShows(t *testing.T) {
	e := start(t)
	alice, aliceProject := e.project(t, "alice")
	bob, bobProject := e.project(t, "bob")
	own := e.newImage(t, alice, map[string]any{"name": "own"})
	public := e.newImage(t, e.admin, map[string]any{"name": "pub", "visibility": "public"})
	bobs := e.newImage(t, bob, map[string]any{"name": "bobs"})
	community := e.newImage(t, bob, map[string]any{"name": "comm", "visibility": "community"})
	shared := e.newImage(t, bob, map[string]any{"name": "shared", "visibility": "shared"})
	if r := e.do(t, "POST", "/v2/images/"+shared+"/members", bob, map[string]any{"member": aliceProject}); r.Status != 200 {
		t.Fatalf("member: %d %s", r.Status, r.Raw)
	}
	ids := func(project string, admin bool) []string {
		list, err := e.svc.List(context.Background(), project, admin)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, i := range list {
			out = append(out, i.ID)
		}
		return out
	}
	if got := ids(aliceProject, false); !slices.Equal(got, []string{public, own}) {
		t.Fatalf("alice sees %v (pending share hidden)", got)
	}
	if r := e.do(t, "PUT", "/v2/images/"+shared+"/members/"+aliceProject, alice, map[string]any{"status": "accepted"}); r.Status != 200 {
		t.Fatalf("accept: %d %s", r.Status, r.Raw)
	}
	if got := ids(aliceProject, false); !slices.Equal(got, []string{shared, public, own}) {
		t.Fatalf("alice sees %v after accepting", got)
	}
	if got := ids(bobProject, false); !slices.Equal(got, []string{shared, community, bobs, public}) {
		t.Fatalf("bob sees %v", got)
	}
	if got := ids(aliceProject, true); !slices.Equal(got, []string{shared, bobs, public, own}) {
		t.Fatalf("admin in alice's project sees %v", got)
	}
}

func TestInProcessUpdatePropertiesKeepsGlanceRules(t *testing.T) {
	e := start(t)
	withImageOptions(t, e, func(o *image.Options) { o.ImagePropertyQuota = 2 })
	id := e.newImage(t, e.admin, map[string]any{"name": "props", "a": "1", "b": "2"})
	ctx := context.Background()
	if err := e.svc.UpdateProperties(ctx, id, map[string]string{"b": "20", "c": "3"}, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	after, _ := e.svc.Lookup(ctx, "", true, id)
	if len(after.Properties) != 2 || after.Properties["b"] != "20" || after.Properties["c"] != "3" {
		t.Fatalf("properties %v", after.Properties)
	}
	err := e.svc.UpdateProperties(ctx, id, map[string]string{"d": "4"}, nil)
	if !errs.Is(err, errs.TooLarge) {
		t.Fatalf("over the property quota: %v", err)
	}
	err = e.svc.UpdateProperties(ctx, id, map[string]string{"os_glance_x": "1"}, []string{"c"})
	if !errs.Is(err, errs.Forbidden) {
		t.Fatalf("reserved property: %v", err)
	}
	if again, _ := e.svc.Lookup(ctx, "", true, id); len(again.Properties) != 2 || again.Properties["c"] != "3" {
		t.Fatalf("a refused update changed %v", again.Properties)
	}
	if err := e.svc.UpdateProperties(ctx, "nope", nil, []string{"a"}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("missing image: %v", err)
	}
}
