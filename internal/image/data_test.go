package image_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// qemuImage makes a real image with qemu-img (make test installs it).
func qemuImage(t *testing.T, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("qemu-img"); err != nil {
		t.Skip("qemu-img is not installed (make test installs qemu-utils)")
	}
	dir := t.TempDir()
	cmd := exec.Command("qemu-img", append([]string{"create"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("qemu-img %v: %v %s", args, err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, args[len(args)-2]))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestUploadChecksFormat: data in a real format must be declared as that
// format and must not point outside itself; a refused upload kills the
// image and leaves no data behind. Unrecognised data is accepted as any
// format, as Tempest's random-byte images need.
func TestUploadChecksFormat(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	qcow2 := qemuImage(t, "-f", "qcow2", "disk.qcow2", "16M")
	backed := qemuImage(t, "-f", "qcow2", "-F", "raw", "-b", "/etc/passwd", "backed.qcow2", "16M")
	cases := []struct {
		name, diskFormat string
		data             []byte
		status           int
		message          string
	}{
		{"qcow2 declared qcow2", "qcow2", qcow2, 204, ""},
		{"random bytes declared vhd", "vhd", randomBytes(4096), 204, ""},
		{"qcow2 declared raw", "raw", qcow2, 400, "does not match the image data (detected qcow2)"},
		{"qcow2 with a backing file", "qcow2", backed, 400, "backing file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(t, "POST", "/v2/images", alice, map[string]any{"name": c.name, "disk_format": c.diskFormat, "container_format": "bare"})
			id := r.Body["id"].(string)
			up := e.do(t, "PUT", "/v2/images/"+id+"/file", alice, c.data)
			if up.Status != c.status || !strings.Contains(string(up.Raw), c.message) {
				t.Fatalf("upload: %d %s", up.Status, up.Raw)
			}
			shown := e.do(t, "GET", "/v2/images/"+id, alice, nil).Body
			if c.status == 204 {
				if shown["status"] != "active" {
					t.Fatalf("accepted upload left %v", shown["status"])
				}
				return
			}
			if shown["status"] != "killed" || shown["size"] != nil || shown["checksum"] != nil {
				t.Fatalf("refused upload left %v", shown)
			}
			if _, err := os.Stat(filepath.Join(e.dir, id)); !os.IsNotExist(err) {
				t.Fatalf("refused data stored: %v", err)
			}
			if left, _ := os.ReadDir(filepath.Join(e.dir, "staging")); len(left) != 0 {
				t.Fatalf("refused data left staged: %d files", len(left))
			}
		})
	}
	if r := e.do(t, "GET", "/v2/images", alice, nil); len(r.Body["images"].([]any)) != len(cases) {
		t.Fatalf("images: %s", r.Raw)
	}
}

// TestTrailingSlashIsNotAnImage: as upstream, /v2/images/ names no image.
func TestTrailingSlashIsNotAnImage(t *testing.T) {
	e := start(t)
	for _, method := range []string{"GET", "DELETE"} {
		if r := e.do(t, method, "/v2/images/", e.admin, nil); r.Status != 404 {
			t.Fatalf("%s /v2/images/: %d", method, r.Status)
		}
	}
}
