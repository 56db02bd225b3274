package compute_test

import (
	"context"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/compute"
)

func backupBody(name string, typ, rotation any) map[string]any {
	return map[string]any{"createBackup": map[string]any{"name": name, "backup_type": typ, "rotation": rotation}}
}

func TestCreateBackupQueuesABackupImage(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	body := backupBody("nightly", "daily", 2)
	body["createBackup"].(map[string]any)["metadata"] = map[string]any{"k": "v"}
	r := e.do(t, "POST", "/v2.1/servers/"+id+"/action", tok, body, "OpenStack-API-Version", "compute 2.45")
	imageID, _ := r.Body["image_id"].(string)
	if r.Status != 202 || imageID == "" {
		t.Fatalf("createBackup: %d %s", r.Status, r.Raw)
	}
	img, err := e.images.Image(t.Context(), "", true, imageID)
	if err != nil {
		t.Fatal(err)
	}
	p := img.Properties
	if img.Name != "nightly" || img.Status != "queued" || img.Owner != project || p["image_type"] != "backup" ||
		p["backup_type"] != "daily" || p["instance_uuid"] != id || p["k"] != "v" {
		t.Fatalf("image %+v", img)
	}
	if _, task := e.state(t, id); task != "image_backup" {
		t.Fatalf("task %s", task)
	}
	acts := e.do(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions", tok, nil)
	if list := acts.Body["instanceActions"].([]any); len(list) != 1 || list[0].(map[string]any)["action"] != "createBackup" {
		t.Fatalf("actions: %s", acts.Raw)
	}
	// Busy now: refused, and no image is left behind.
	n := e.images.count()
	if msg := e.refused(t, "POST", "/v2.1/servers/"+id+"/action", tok, backupBody("again", "daily", 1), 409); msg != "Cannot 'createBackup' instance "+id+" while it is in task_state image_backup" {
		t.Fatal(msg)
	}
	if e.images.count() != n {
		t.Fatal("refused createBackup left an image")
	}
}

func TestCreateBackupLocationBefore245(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	r := e.do(t, "POST", "/v2.1/servers/"+id+"/action", tok, backupBody("b", "weekly", "1"))
	if r.Status != 202 || !strings.Contains(r.Header.Get("Location"), "/v2.1/images/") || len(r.Raw) != 0 {
		t.Fatalf("rotation 1: %d %v %s", r.Status, r.Header, r.Raw)
	}
	id2 := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.VMState = "stopped" })
	r = e.do(t, "POST", "/v2.1/servers/"+id2+"/action", tok, backupBody("b", "weekly", 0))
	if r.Status != 202 || r.Header.Get("Location") != "" {
		t.Fatalf("rotation 0: %d %v", r.Status, r.Header)
	}
}

func TestCreateBackupRefusals(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	path := "/v2.1/servers/" + id + "/action"
	cases := []struct {
		body map[string]any
		msg  string
	}{
		{backupBody("b", "daily", -1), "Invalid input for field/attribute rotation. Value: -1. -1 is less than the minimum of 0"},
		{backupBody("b", "daily", "x"), "Invalid input for field/attribute rotation. Value: x. 'x' does not match '^[0-9]*$'"},
		{backupBody("b", 1, 1), "Invalid input for field/attribute backup_type. Value: 1. 1 is not of type 'string'"},
		{backupBody("", "daily", 1), "Invalid input for field/attribute name. Value: . '' should be non-empty"},
		{map[string]any{"createBackup": map[string]any{"name": "b", "backup_type": "daily"}},
			"Invalid input for field/attribute createBackup. Value: {'backup_type': 'daily', 'name': 'b'}. 'rotation' is a required property"},
		{map[string]any{"createBackup": map[string]any{"name": "b", "backup_type": "daily", "rotation": 1, "x": 1}},
			"Invalid input for field/attribute createBackup. Value: {'backup_type': 'daily', 'name': 'b', 'rotation': 1, 'x': 1}. Additional properties are not allowed ('x' was unexpected)"},
	}
	for _, c := range cases {
		if msg := e.refused(t, "POST", path, tok, c.body, 400); msg != c.msg {
			t.Fatalf("%v: %s", c.body, msg)
		}
	}
	volume := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.ImageRef = "" })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+volume+"/action", tok, backupBody("b", "daily", 1), 400); msg != "Backup is not supported for volume-backed instances." {
		t.Fatal(msg)
	}
	building := e.activeServer(t, project, func(ti *compute.TestInstance) { ti.VMState = "building" })
	if msg := e.refused(t, "POST", "/v2.1/servers/"+building+"/action", tok, backupBody("b", "daily", 1), 409); msg != "Cannot 'createBackup' instance "+building+" while it is in vm_state building" {
		t.Fatal(msg)
	}
	reader, _ := e.project(t, "beta", "reader")
	e.refused(t, "POST", path, reader, backupBody("b", "daily", 1), 404)
	if e.images.count() != 1 {
		t.Fatalf("%d images, want only the boot image", e.images.count())
	}
}

func TestCreateBackupRunsThroughTheConductor(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 1})
	id := c.boot(t, "vm", "1", nil)
	if s := c.settle(t, id); s["status"] != "ACTIVE" {
		t.Fatalf("boot: %v", s["status"])
	}
	r := c.do(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, backupBody("b", "daily", 1), "OpenStack-API-Version", "compute 2.79")
	if r.Status != 202 {
		t.Fatalf("createBackup: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "ACTIVE")
	acts := c.do(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions", c.admin, nil, "OpenStack-API-Version", "compute 2.79")
	var reqID string
	for _, a := range acts.Body["instanceActions"].([]any) {
		if m := a.(map[string]any); m["action"] == "createBackup" {
			reqID = m["request_id"].(string)
		}
	}
	if reqID == "" {
		t.Fatalf("no createBackup action: %s", acts.Raw)
	}
	act := c.do(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions/"+reqID, c.admin, nil, "OpenStack-API-Version", "compute 2.79")
	events := act.Body["instanceAction"].(map[string]any)["events"].([]any)
	if len(events) == 0 || events[0].(map[string]any)["result"] != "Success" {
		t.Fatalf("backup events: %s", act.Raw)
	}
}

func TestCreateBackupRotatesOlderBackups(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 1})
	id := c.settle(t, c.boot(t, "backed", "1", nil))["id"].(string)
	backup := func(name string) {
		r := c.doTB(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, map[string]any{"createBackup": map[string]any{
			"name": name, "backup_type": "daily", "rotation": 2}}, "OpenStack-API-Version", "compute 2.45")
		if r.Status != 202 {
			t.Fatalf("backup %s: %d %s", name, r.Status, r.Raw)
		}
		c.waitStatus(t, id, "ACTIVE")
	}
	for _, n := range []string{"b1", "b2", "b3"} {
		backup(n)
	}
	var names []string
	imgs, err := c.imgs.List(context.Background(), "", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range imgs {
		if im.Properties["image_type"] == "backup" {
			names = append(names, im.Name)
		}
	}
	if strings.Join(names, ",") != "b3,b2" {
		t.Fatalf("backups left %v, want the newest two", names)
	}
}
