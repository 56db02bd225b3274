package format

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// These tests inspect images made by the real qemu-img (Debian package
// qemu-utils) and compare the virtual size with what qemu-img reports.

func qemuImgPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("qemu-img")
	if err != nil {
		t.Skip("qemu-img not installed (Debian package qemu-utils)")
	}
	return p
}

func qemuImg(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(qemuImgPath(t), args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("qemu-img %v: %v\n%s", args, err, out)
	}
}

// qemuVirtualSize asks qemu-img for the virtual size, forcing the format so
// that qemu-img does not probe (it would call a fixed VHD raw).
func qemuVirtualSize(t *testing.T, dir, qemuFormat, name string) int64 {
	t.Helper()
	cmd := exec.Command(qemuImgPath(t), "info", "--output=json", "-f", qemuFormat, name)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qemu-img info %s: %v", name, err)
	}
	var info struct {
		VirtualSize int64 `json:"virtual-size"`
	}
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("qemu-img info %s: %v", name, err)
	}
	return info.VirtualSize
}

func inspectFile(t testing.TB, path string) Info {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(f, st.Size())
	if err != nil {
		t.Fatalf("Inspect(%s): %v", path, err)
	}
	return info
}

func TestInspectQemuImg(t *testing.T) {
	tests := []struct {
		name       string
		qemuFormat string
		opts       string
		size       string
		want       string
	}{
		{"raw", "raw", "", "1G", Raw},
		{"qcow2 v2", "qcow2", "compat=0.10", "1G", QCOW2},
		{"qcow2 v3", "qcow2", "compat=1.1", "10G", QCOW2},
		{"qcow2 v3 lazy refcounts", "qcow2", "lazy_refcounts=on", "1G", QCOW2},
		{"qcow2 v3 zstd", "qcow2", "compression_type=zstd", "1G", QCOW2},
		{"qcow2 v3 small clusters", "qcow2", "cluster_size=512", "100M", QCOW2},
		{"qcow2 v3 metadata preallocation", "qcow2", "preallocation=metadata", "64M", QCOW2},
		{"vmdk monolithicSparse", "vmdk", "", "1G", VMDK},
		{"vmdk streamOptimized", "vmdk", "subformat=streamOptimized", "1G", VMDK},
		{"vmdk scsi", "vmdk", "adapter_type=lsilogic", "100M", VMDK},
		{"vhd dynamic", "vpc", "", "1G", VHD},
		{"vhd dynamic exact size", "vpc", "force_size=on", "1G", VHD},
		{"vhd fixed", "vpc", "subformat=fixed", "16M", VHD},
		{"vhdx dynamic", "vhdx", "", "10G", VHDX},
		{"vhdx fixed", "vhdx", "subformat=fixed", "8M", VHDX},
		{"vdi dynamic", "vdi", "", "1G", VDI},
		{"vdi static", "vdi", "static=on", "8M", VDI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"create", "-q", "-f", tc.qemuFormat}
			if tc.opts != "" {
				args = append(args, "-o", tc.opts)
			}
			qemuImg(t, dir, append(args, "disk", tc.size)...)
			info := inspectFile(t, filepath.Join(dir, "disk"))
			assertInfo(t, info, tc.want, qemuVirtualSize(t, dir, tc.qemuFormat, "disk"), "")
			if !Matches(tc.want, info) {
				t.Errorf("Matches(%q, %+v) = false", tc.want, info)
			}
			if got := Matches(Raw, info); got != (tc.want == Raw) {
				t.Errorf("Matches(raw, %+v) = %v: a %s uploaded as raw must be refused", info, got, tc.want)
			}
		})
	}
}

func TestInspectQemuImgUnsafe(t *testing.T) {
	tests := []struct {
		name   string
		setup  [][]string // qemu-img commands run before making "disk"
		create []string
		want   string
		unsafe string
	}{
		{"qcow2 backing qcow2", [][]string{{"create", "-q", "-f", "qcow2", "base", "1G"}},
			[]string{"-f", "qcow2", "-b", "base", "-F", "qcow2"}, QCOW2, "backing file"},
		{"qcow2 backing raw", [][]string{{"create", "-q", "-f", "raw", "base", "1G"}},
			[]string{"-f", "qcow2", "-b", "base", "-F", "raw"}, QCOW2, "backing file"},
		{"qcow2 data file", nil, []string{"-f", "qcow2", "-o", "data_file=data"}, QCOW2, "external data file"},
		{"qcow2 raw data file", nil, []string{"-f", "qcow2", "-o", "data_file=data,data_file_raw=on"}, QCOW2, "external data file"},
		{"qcow2 extended L2 (refused like oslo.utils)", nil, []string{"-f", "qcow2", "-o", "extended_l2=on"}, QCOW2, "unknown incompatible"},
		{"vmdk monolithicFlat", nil, []string{"-f", "vmdk", "-o", "subformat=monolithicFlat"}, VMDK, "other files"},
		{"vmdk twoGbMaxExtentSparse", nil, []string{"-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse"}, VMDK, "other files"},
		{"vmdk twoGbMaxExtentFlat", nil, []string{"-f", "vmdk", "-o", "subformat=twoGbMaxExtentFlat"}, VMDK, "other files"},
		{"vmdk delta of a parent", [][]string{{"create", "-q", "-f", "vmdk", "base", "1G"}},
			[]string{"-f", "vmdk", "-b", "base", "-F", "vmdk"}, VMDK, "parent image"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, cmd := range tc.setup {
				qemuImg(t, dir, cmd...)
			}
			args := append(append([]string{"create", "-q"}, tc.create...), "disk", "1G")
			qemuImg(t, dir, args...)
			assertInfo(t, inspectFile(t, filepath.Join(dir, "disk")), tc.want, 0, tc.unsafe)
		})
	}
}
