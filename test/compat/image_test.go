package compat

import (
	"crypto/md5"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// qcow2File makes a small real qcow2 image with qemu-img (make test
// installs qemu-utils).
func qcow2File(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("qemu-img"); err != nil {
		t.Skip("qemu-img is not installed (make test installs qemu-utils)")
	}
	p := filepath.Join(t.TempDir(), "img.qcow2")
	if out, err := exec.Command("qemu-img", "create", "-f", "qcow2", p, "64M").CombinedOutput(); err != nil {
		t.Fatalf("qemu-img: %v %s", err, out)
	}
	return p
}

func TestImageWalkthrough(t *testing.T) {
	requireCLI(t)
	img := qcow2File(t)
	c := startCloud(t)
	admin := c.admin()

	var cirros map[string]any
	c.jsonOut(t, admin, &cirros, "image", "create", "--disk-format", "qcow2", "--container-format", "bare",
		"--public", "--file", img, "walkimage")
	var shown map[string]any
	c.jsonOut(t, admin, &shown, "image", "show", "walkimage")
	data, _ := os.ReadFile(img)
	sum := md5.Sum(data)
	if shown["status"] != "active" || shown["checksum"] != hex.EncodeToString(sum[:]) || shown["virtual_size"] != float64(64<<20) {
		t.Fatalf("image show: %v", shown)
	}
	out := filepath.Join(t.TempDir(), "out")
	c.ok(t, admin, "image", "save", "--file", out, "walkimage")
	if back, _ := os.ReadFile(out); string(back) != string(data) {
		t.Fatal("image save is not byte-identical")
	}

	// A normal user in its own project.
	c.ok(t, admin, "project", "create", "demo")
	c.ok(t, admin, "user", "create", "--project", "demo", "--password", "demo-pw", "demo")
	c.ok(t, admin, "role", "add", "--project", "demo", "--user", "demo", "member")
	demo := creds{user: "demo", password: "demo-pw", project: "demo"}
	c.ok(t, demo, "image", "create", "--private", "--disk-format", "qcow2", "--container-format", "bare", "--file", img, "mine")
	if list := c.ok(t, demo, "image", "list", "-f", "value", "-c", "Name"); !strings.Contains(list, "walkimage") || !strings.Contains(list, "mine") {
		t.Fatalf("demo's image list: %q", list)
	}
	// As upstream, an admin lists every project's private images.
	if list := c.ok(t, admin, "image", "list", "--private", "-f", "value", "-c", "Name"); !strings.Contains(list, "mine") {
		t.Fatalf("admin's private list lacks demo's image: %q", list)
	}
	_, errOut, err := c.run(t, demo, "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare", "nope")
	if err == nil || !strings.Contains(errOut, "You are not authorized to complete publicize_image action.") {
		t.Fatalf("non-admin public create: %v %s", err, errOut)
	}

	c.ok(t, demo, "image", "set", "--property", "os_distro=debian", "--tag", "t1", "mine")
	var mine map[string]any
	c.jsonOut(t, demo, &mine, "image", "show", "mine")
	if props, _ := mine["properties"].(map[string]any); props["os_distro"] != "debian" || !strings.Contains(strings.Join(toStrings(mine["tags"]), ","), "t1") {
		t.Fatalf("image set: %v", mine)
	}
	c.ok(t, demo, "image", "unset", "--property", "os_distro", "mine")
	c.jsonOut(t, demo, &mine, "image", "show", "mine")
	if props, _ := mine["properties"].(map[string]any); props["os_distro"] != nil {
		t.Fatalf("image unset: %v", mine)
	}

	// Sharing: demo shares with another project, whose user accepts.
	c.ok(t, admin, "project", "create", "other")
	c.ok(t, admin, "user", "create", "--project", "other", "--password", "other-pw", "other")
	c.ok(t, admin, "role", "add", "--project", "other", "--user", "other", "member")
	other := creds{user: "other", password: "other-pw", project: "other"}
	c.ok(t, demo, "image", "set", "--shared", "mine")
	var otherProject map[string]any
	c.jsonOut(t, admin, &otherProject, "project", "show", "other")
	c.ok(t, demo, "image", "add", "project", "mine", otherProject["id"].(string))
	if list := c.ok(t, other, "image", "list", "-f", "value", "-c", "Name"); strings.Contains(list, "mine") {
		t.Fatalf("a pending share is listed: %q", list)
	}
	c.ok(t, other, "image", "set", "--accept", mineID(t, c, demo))
	if list := c.ok(t, other, "image", "list", "-f", "value", "-c", "Name"); !strings.Contains(list, "mine") {
		t.Fatalf("an accepted share is not listed: %q", list)
	}

	c.ok(t, demo, "image", "delete", "mine")
	if list := c.ok(t, demo, "image", "list", "-f", "value", "-c", "Name"); strings.Contains(list, "mine") {
		t.Fatalf("deleted image listed: %q", list)
	}
}

func mineID(t *testing.T, c *cloud, cr creds) string {
	t.Helper()
	return strings.TrimSpace(c.ok(t, cr, "image", "show", "-f", "value", "-c", "id", "mine"))
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
