package compute_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/httpx"
)

// activeServer writes an ACTIVE, launched server on host1 for project.
func (e *serversEnv) activeServer(t *testing.T, project string, mut ...func(*compute.TestInstance)) string {
	t.Helper()
	ti := compute.TestInstance{UUID: httpx.NewUUID(), ProjectID: project, UserID: "u", Name: "vm", VMState: "active",
		Host: "host1", Launched: true, ImageRef: e.image, IP: "10.0.0.5",
		Flavor: computerpc.Flavor{ID: "f1", Name: "m1.tiny", VCPUs: 1, MemoryMB: 512, RootGB: 1}}
	for _, m := range mut {
		m(&ti)
	}
	if err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{ti}); err != nil {
		t.Fatal(err)
	}
	return ti.UUID
}

func (e *serversEnv) state(t *testing.T, id string) (vm, task string) {
	t.Helper()
	vm, task, _, err := compute.InstanceState(e.id.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	return vm, task
}

func TestActionsSetTaskStateAndRecordAction(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	cases := []struct {
		vm, body, task, action string
	}{
		{"active", `{"os-stop": null}`, "powering-off", "stop"},
		{"stopped", `{"os-start": null}`, "powering-on", "start"},
		{"active", `{"reboot": {"type": "HARD"}}`, "rebooting_hard", "reboot"},
		{"active", `{"reboot": {"type": "SOFT"}}`, "rebooting", "reboot"},
		{"active", `{"pause": null}`, "pausing", "pause"},
		{"paused", `{"unpause": null}`, "unpausing", "unpause"},
		{"active", `{"suspend": null}`, "suspending", "suspend"},
		{"suspended", `{"resume": null}`, "resuming", "resume"},
		{"active", `{"shelve": null}`, "shelving", "shelve"},
		{"rescued", `{"unrescue": null}`, "unrescuing", "unrescue"},
		{"active", `{"trigger_crash_dump": null}`, "", "trigger_crash_dump"},
	}
	for _, c := range cases {
		t.Run(c.action+"-"+c.vm, func(t *testing.T) {
			id := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.VMState = c.vm })
			r := e.do(t, "POST", "/v2.1/servers/"+id+"/action", tok, rawJSON(c.body), "OpenStack-API-Version", "compute 2.79")
			if r.Status != 202 {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			if _, task := e.state(t, id); task != c.task {
				t.Fatalf("task_state %q, want %q", task, c.task)
			}
			acts := e.do(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions", tok, nil).Body["instanceActions"].([]any)
			if len(acts) != 1 || acts[0].(map[string]any)["action"] != c.action {
				t.Fatalf("actions: %v", acts)
			}
		})
	}
}

func TestActionRefusedByStateLockAndPolicy(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	stopped := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.VMState = "stopped" })
	msg := e.refused(t, "POST", "/v2.1/servers/"+stopped+"/action", tok, map[string]any{"os-stop": nil}, 409)
	if want := "Cannot 'stop' instance " + stopped + " while it is in vm_state stopped"; msg != want {
		t.Fatalf("%q, want %q", msg, want)
	}
	busy := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.TaskState = "rebooting" })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+busy+"/action", tok, map[string]any{"pause": nil}, 409); msg != "Cannot 'pause' instance "+busy+" while it is in task_state rebooting" {
		t.Fatal(msg)
	}
	locked := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.Locked = true })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+locked+"/action", tok, map[string]any{"os-stop": nil}, 409); msg != "Instance "+locked+" is locked" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "DELETE", "/v2.1/servers/"+locked, tok, nil, 409); msg != "Instance "+locked+" is locked" {
		t.Fatal(msg)
	}
	unlaunched := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.Launched = false })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+unlaunched+"/action", tok, map[string]any{"os-stop": nil}, 409); msg != "Cannot 'stop' instance "+unlaunched+" while it is in launched_at None" {
		t.Fatal(msg)
	}
	other, _ := e.project(t, "beta", "member")
	if msg := e.refused(t, "POST", "/v2.1/servers/"+stopped+"/action", other, map[string]any{"os-start": nil}, 404); msg != "Instance "+stopped+" could not be found." {
		t.Fatal(msg)
	}
	reader, _ := e.project(t, "gamma", "reader")
	_ = reader
	if msg := e.refused(t, "POST", "/v2.1/servers/"+stopped+"/action", tok, map[string]any{"os-resetState": map[string]any{"state": "active"}}, 403); msg != "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "POST", "/v2.1/servers/"+stopped+"/action", tok, map[string]any{"restore": nil}, 409); !strings.HasPrefix(msg, "Cannot 'restore' instance") {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "POST", "/v2.1/servers/"+busy+"/action", tok, map[string]any{"changePassword": map[string]any{"adminPass": "x"}}, 409); !strings.Contains(msg, "task_state rebooting") {
		t.Fatal(msg)
	}
	active := e.activeServer(t, project)
	if msg := e.refused(t, "POST", "/v2.1/servers/"+active+"/action", tok, map[string]any{"changePassword": map[string]any{"adminPass": "x"}}, 409); msg != "Set admin password is not supported" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "POST", "/v2.1/servers/"+active+"/action", tok, map[string]any{"trigger_crash_dump": nil}, 400, "OpenStack-API-Version", "compute 2.16"); msg != "There is no such action: trigger_crash_dump" {
		t.Fatal(msg)
	}
}

func TestLockUnlockAndResetState(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	r := e.do(t, "POST", "/v2.1/servers/"+id+"/action", tok, map[string]any{"lock": map[string]any{"locked_reason": "maintenance"}},
		"OpenStack-API-Version", "compute 2.73")
	if r.Status != 202 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	srv := e.show(t, tok, "2.73", id)
	if srv["locked"] != true || srv["locked_reason"] != "maintenance" {
		t.Fatalf("after lock: %v %v", srv["locked"], srv["locked_reason"])
	}
	if got := e.do(t, "GET", "/v2.1/servers?locked=true", tok, nil, "OpenStack-API-Version", "compute 2.73").Body["servers"].([]any); len(got) != 1 {
		t.Fatalf("locked filter: %v", got)
	}
	if err := servers.Unlock(context.Background(), e.computeClient(tok, "2.73"), id).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if srv := e.show(t, tok, "2.73", id); srv["locked"] != false || srv["locked_reason"] != nil {
		t.Fatalf("after unlock: %v", srv)
	}
	if err := servers.ResetState(context.Background(), e.computeClient(e.admin, "2.1"), id, servers.StateError).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if vm, task := e.state(t, id); vm != "error" || task != "" {
		t.Fatalf("after reset: %s %s", vm, task)
	}
	if r := e.do(t, "POST", "/v2.1/servers/"+id+"/action", e.admin, map[string]any{"resetNetwork": nil}); r.Status != 410 {
		t.Fatalf("resetNetwork: %d", r.Status)
	}
}

func TestDeleteServer(t *testing.T) {
	e := startServers(t)
	flavor := e.flavor(t, "m1.tiny", 1, 512, 1)
	tok, project := e.project(t, "alpha", "member")
	// Never scheduled: deleted by the API at once.
	body := e.boot(t, tok, "2.1", map[string]any{"name": "x", "imageRef": e.image, "flavorRef": flavor})
	id := body["server"].(map[string]any)["id"].(string)
	if r := e.do(t, "DELETE", "/v2.1/servers/"+id, tok, nil); r.Status != 204 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if vm, _, deleted, _ := compute.InstanceState(e.id.DB, id); vm != "deleted" || !deleted {
		t.Fatalf("local delete: %s %v", vm, deleted)
	}
	if r := e.do(t, "GET", "/v2.1/servers/"+id, tok, nil); r.Status != 404 {
		t.Fatalf("show deleted: %d", r.Status)
	}
	if got := e.do(t, "GET", "/v2.1/servers/detail?deleted=true&all_tenants=1", e.admin, nil).Body["servers"].([]any); len(got) != 1 || got[0].(map[string]any)["status"] != "DELETED" {
		t.Fatalf("admin deleted list: %v", got)
	}
	// On a host: task_state deleting, for the conductor.
	hosted := e.activeServer(t, project)
	if r := e.do(t, "DELETE", "/v2.1/servers/"+hosted, tok, nil); r.Status != 204 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if vm, task := e.state(t, hosted); vm != "active" || task != "deleting" {
		t.Fatalf("hosted delete: %s %s", vm, task)
	}
}

func TestRebuildResizeCreateImageRescue(t *testing.T) {
	e := startServers(t)
	small := e.flavor(t, "small", 1, 512, 1)
	bigger := e.flavor(t, "bigger", 2, 1024, 2)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.Flavor.ID = small })

	r := e.do(t, "POST", "/v2.1/servers/"+id+"/action", tok, map[string]any{"rebuild": map[string]any{
		"imageRef": e.image, "name": "rebuilt", "metadata": map[string]any{"k": "v"}}}, "OpenStack-API-Version", "compute 2.75")
	if r.Status != 202 {
		t.Fatalf("rebuild: %d %s", r.Status, r.Raw)
	}
	srv := r.Body["server"].(map[string]any)
	if srv["name"] != "rebuilt" || srv["adminPass"] == "" || srv["status"] != "REBUILD" || srv["metadata"].(map[string]any)["k"] != "v" {
		t.Fatalf("rebuild response: %v", srv)
	}
	_ = compute.InsertTestInstances // keep import when cases change
	id2 := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.Flavor.ID = small })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+id2+"/action", tok, map[string]any{"resize": map[string]any{"flavorRef": small}}, 400); msg != "When resizing, instances must change flavor!" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "POST", "/v2.1/servers/"+id2+"/action", tok, map[string]any{"resize": map[string]any{"flavorRef": "nope"}}, 400); msg != "Unable to locate requested flavor." {
		t.Fatal(msg)
	}
	if r := e.do(t, "POST", "/v2.1/servers/"+id2+"/action", tok, map[string]any{"resize": map[string]any{"flavorRef": bigger}}); r.Status != 202 {
		t.Fatalf("resize: %d %s", r.Status, r.Raw)
	}
	if _, task := e.state(t, id2); task != "resize_prep" {
		t.Fatalf("resize task %s", task)
	}
	if msg := e.refused(t, "POST", "/v2.1/servers/"+id2+"/action", tok, map[string]any{"confirmResize": nil}, 409); !strings.Contains(msg, "Cannot 'confirmResize'") {
		t.Fatal(msg)
	}

	id3 := e.activeServer(t, project)
	before := e.images.count()
	r = e.do(t, "POST", "/v2.1/servers/"+id3+"/action", tok, map[string]any{"createImage": map[string]any{"name": "snap"}},
		"OpenStack-API-Version", "compute 2.45")
	if r.Status != 202 || r.Body["image_id"] == nil || e.images.count() != before+1 {
		t.Fatalf("createImage 2.45: %d %s", r.Status, r.Raw)
	}
	id4 := e.activeServer(t, project)
	r = e.do(t, "POST", "/v2.1/servers/"+id4+"/action", tok, map[string]any{"createImage": map[string]any{"name": "snap"}})
	if r.Status != 202 || !strings.Contains(r.Header.Get("Location"), "/images/") {
		t.Fatalf("createImage 2.1: %d %v", r.Status, r.Header)
	}
	// A busy server refuses, and the queued image is not left behind.
	n := e.images.count()
	e.refused(t, "POST", "/v2.1/servers/"+id4+"/action", tok, map[string]any{"createImage": map[string]any{"name": "again"}}, 409)
	if e.images.count() != n {
		t.Fatal("refused createImage left an image")
	}

	id5 := e.activeServer(t, project)
	r = e.do(t, "POST", "/v2.1/servers/"+id5+"/action", tok, map[string]any{"rescue": map[string]any{"adminPass": "pw"}})
	if r.Status != 200 || r.Body["adminPass"] != "pw" {
		t.Fatalf("rescue: %d %s", r.Status, r.Raw)
	}
}

func TestUnshelveAvailabilityZone(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	shelved := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.VMState = "shelved" })
	msg := e.refused(t, "POST", "/v2.1/servers/"+shelved+"/action", tok, map[string]any{"unshelve": map[string]any{"availability_zone": "nova"}}, 409,
		"OpenStack-API-Version", "compute 2.77")
	if !strings.Contains(msg, "The server status must be SHELVED_OFFLOADED.") {
		t.Fatal(msg)
	}
	off := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.VMState = "shelved_offloaded"; ti.Host = "" })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+off+"/action", tok, map[string]any{"unshelve": map[string]any{"availability_zone": "mars"}}, 400,
		"OpenStack-API-Version", "compute 2.77"); msg != "The requested availability zone is not available" {
		t.Fatal(msg)
	}
	if r := e.do(t, "POST", "/v2.1/servers/"+off+"/action", tok, map[string]any{"unshelve": map[string]any{"availability_zone": "nova"}},
		"OpenStack-API-Version", "compute 2.77"); r.Status != 202 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

// rawJSON is a body already in JSON.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }
