package image_test

import (
	"testing"
)

// TestImportRecordsATask: as Glance's 2.12 API, an import leaves an
// api_image_import task on the image, tied to the import request's id.
func TestImportRecordsATask(t *testing.T) {
	e := start(t)
	t.Cleanup(e.svc.Wait)
	alice, project := e.project(t, "alice")
	id := e.do(t, "POST", "/v2/images", alice, map[string]any{"name": "x", "disk_format": "raw", "container_format": "bare"}).Body["id"].(string)
	if r := e.do(t, "PUT", "/v2/images/"+id+"/stage", alice, randomBytes(2048)); r.Status != 204 {
		t.Fatalf("stage: %d %s", r.Status, r.Raw)
	}
	imp := e.do(t, "POST", "/v2/images/"+id+"/import", alice, map[string]any{"method": map[string]any{"name": "glance-direct"}})
	if imp.Status != 202 {
		t.Fatalf("import: %d %s", imp.Status, imp.Raw)
	}
	e.svc.Wait()
	tasks := e.do(t, "GET", "/v2/images/"+id+"/tasks", alice, nil).Body["tasks"].([]any)
	if len(tasks) != 1 {
		t.Fatalf("tasks: %v", tasks)
	}
	task := tasks[0].(map[string]any)
	method := task["input"].(map[string]any)["import_req"].(map[string]any)["method"].(map[string]any)["name"]
	if task["status"] != "success" || task["type"] != "api_image_import" || task["owner"] != project || method != "glance-direct" ||
		task["request_id"] != imp.Header.Get("X-Openstack-Request-Id") || task["result"].(map[string]any)["image_id"] != id || task["expires_at"] == nil {
		t.Fatalf("task: %v", task)
	}
	bob, _ := e.project(t, "bob")
	if r := e.do(t, "GET", "/v2/images/"+id+"/tasks", bob, nil); r.Status != 404 {
		t.Fatalf("another project reads the tasks: %d", r.Status)
	}
}
