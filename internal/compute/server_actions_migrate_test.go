package compute_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/compute"
)

// migrateAction posts a migrate action as admin at microversion mv.
func (c *cloud) migrateAction(t *testing.T, id, mv string, arg any) *response {
	t.Helper()
	return c.do(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, map[string]any{"migrate": arg},
		"OpenStack-API-Version", "compute "+mv)
}

// otherHost is the fake host a server is not on.
func otherHost(host any) string {
	if host == "host1" {
		return "host2"
	}
	return "host1"
}

func TestMigrateMovesToTheOtherHostAndConfirms(t *testing.T) {
	// Even when resizes may stay on their host, a migration leaves it.
	c := startCloud(t, hostConfig{hosts: 2, vcpus: 8, memoryMB: 8192, diskGB: 100},
		func(o *compute.Options) { o.AllowResizeToSameHost = true })
	s := c.settle(t, c.boot(t, "mover", "1", nil))
	id, src := s["id"].(string), s["OS-EXT-SRV-ATTR:host"].(string)
	// Fill the other host so the weighers would rather keep the source.
	for _, name := range []string{"fill1", "fill2"} {
		c.settle(t, c.boot(t, name, "2", map[string]any{"availability_zone": "nova:" + otherHost(src)}))
	}
	if r := c.migrateAction(t, id, "2.1", nil); r.Status != 202 {
		t.Fatalf("migrate: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "VERIFY_RESIZE")
	s = c.server(t, id)
	if s["OS-EXT-SRV-ATTR:host"] != otherHost(src) {
		t.Fatalf("migrated from %s to %v", src, s["OS-EXT-SRV-ATTR:host"])
	}
	if fl := s["flavor"].(map[string]any); fl["original_name"] != "m1.tiny" {
		t.Fatalf("flavor after migrate %v", fl)
	}
	c.getJSON(t, "/v2.1/os-migrations?instance_uuid="+id, func(b map[string]any) {
		ms := b["migrations"].([]any)
		if len(ms) != 1 || ms[0].(map[string]any)["migration_type"] != "migration" {
			t.Fatalf("migrations %v", ms)
		}
	})
	r := c.do(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, map[string]any{"confirmResize": nil})
	if r.Status != 204 {
		t.Fatalf("confirm: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "ACTIVE")
	if got := c.usage(t, src, "VCPU"); got != 0 {
		t.Fatalf("confirmed instance is ACTIVE while the source still holds %d VCPU", got)
	}
	if got := c.usage(t, otherHost(src), "VCPU"); got != 3 {
		t.Fatalf("new host VCPU usage %d", got)
	}
	r = c.do(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions", c.admin, nil)
	if a := r.Body["instanceActions"].([]any); a[len(a)-1].(map[string]any)["action"] != "create" ||
		a[1].(map[string]any)["action"] != "migrate" {
		t.Fatalf("instance actions %v", a)
	}
}

func TestMigrateToHostRevertsAndRefuses(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2, vcpus: 8, memoryMB: 8192, diskGB: 100})
	s := c.settle(t, c.boot(t, "mover", "1", nil))
	id, src := s["id"].(string), s["OS-EXT-SRV-ATTR:host"].(string)
	for _, tc := range []struct {
		mv   string
		arg  any
		want string
	}{
		{"2.56", map[string]any{"host": src}, "Cannot migrate to the host where the server exists."},
		{"2.56", map[string]any{"host": "nowhere"}, "Compute host nowhere could not be found."},
		{"2.56", map[string]any{"hots": "x"}, "Invalid input for field/attribute migrate. Value: {'hots': 'x'}. Additional properties are not allowed ('hots' was unexpected)"},
	} {
		msg := c.refused(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, map[string]any{"migrate": tc.arg}, 400,
			"OpenStack-API-Version", "compute "+tc.mv)
		if msg != tc.want {
			t.Fatalf("%v: %q, want %q", tc.arg, msg, tc.want)
		}
	}
	user, _ := c.project(t, "plain", "member")
	if msg := c.refused(t, "POST", "/v2.1/servers/"+id+"/action", user, map[string]any{"migrate": nil}, 404); msg == "" {
		t.Fatal("no message")
	}
	if r := c.migrateAction(t, id, "2.56", map[string]any{"host": otherHost(src)}); r.Status != 202 {
		t.Fatalf("migrate: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "VERIFY_RESIZE")
	if h := c.server(t, id)["OS-EXT-SRV-ATTR:host"]; h != otherHost(src) {
		t.Fatalf("on %v", h)
	}
	msg := c.refused(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, map[string]any{"migrate": nil}, 409)
	if msg != "Cannot 'migrate' instance "+id+" while it is in vm_state resized" {
		t.Fatalf("409 %q", msg)
	}
	r := c.do(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, map[string]any{"revertResize": nil})
	if r.Status != 202 {
		t.Fatalf("revert: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "ACTIVE")
	if h := c.server(t, id)["OS-EXT-SRV-ATTR:host"]; h != src {
		t.Fatalf("reverted to %v", h)
	}
}

func TestMigrateRefusedToNonAdmin(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2, vcpus: 8, memoryMB: 8192, diskGB: 100})
	user, _ := c.project(t, "owner", "member")
	r := c.do(t, "POST", "/v2.1/servers", user, map[string]any{"server": map[string]any{"name": "mine",
		"imageRef": c.image, "flavorRef": "1", "networks": "none"}}, "OpenStack-API-Version", "compute 2.79")
	if r.Status != 202 {
		t.Fatalf("boot: %d %s", r.Status, r.Raw)
	}
	id := c.settle(t, r.Body["server"].(map[string]any)["id"].(string))["id"].(string)
	msg := c.refused(t, "POST", "/v2.1/servers/"+id+"/action", user, map[string]any{"migrate": nil}, 403)
	if msg != "Policy doesn't allow os_compute_api:os-migrate-server:migrate to be performed." {
		t.Fatalf("403 %q", msg)
	}
}

// slowPlacement delays allocation writes while slow is set.
type slowPlacement struct {
	compute.Placement
	slow *atomic.Bool
}

func (p slowPlacement) PostAllocations(ctx context.Context, m map[string]placementapi.AllocationsPut) error {
	if p.slow.Load() {
		time.Sleep(300 * time.Millisecond)
	}
	return p.Placement.PostAllocations(ctx, m)
}

// A reverted resize shows ACTIVE only once its old claim is back, so the
// next resize can start at once (it used to fail on a stale generation).
func TestRevertShowsActiveOnlyWithItsClaimBack(t *testing.T) {
	var slow atomic.Bool
	c := startCloud(t, hostConfig{hosts: 2, vcpus: 8, memoryMB: 8192, diskGB: 100}, func(o *compute.Options) {
		o.Placement = slowPlacement{o.Placement, &slow}
	})
	s := c.settle(t, c.boot(t, "reverter", "1", nil))
	id, src := s["id"].(string), s["OS-EXT-SRV-ATTR:host"].(string)
	resize := map[string]any{"resize": map[string]any{"flavorRef": "2"}}
	if r := c.do(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, resize); r.Status != 202 {
		t.Fatalf("resize: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "VERIFY_RESIZE")
	slow.Store(true)
	if r := c.do(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, map[string]any{"revertResize": nil}); r.Status != 202 {
		t.Fatalf("revert: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "ACTIVE")
	if got := c.usage(t, otherHost(src), "VCPU"); got != 0 {
		t.Fatalf("reverted instance is ACTIVE while the destination still holds %d VCPU", got)
	}
	slow.Store(false)
	if r := c.do(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, resize); r.Status != 202 {
		t.Fatalf("second resize: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "VERIFY_RESIZE")
}
