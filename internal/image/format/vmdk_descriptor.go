package format

import (
	"bytes"
	"fmt"
	"strings"
)

// descriptor is a VMDK text descriptor, parsed cautiously: every line must
// be a comment, a ddb entry, a key=value header field or an extent line.
type descriptor struct {
	createType  string
	createTypes int  // "createType" anywhere, comments included
	parentHint  bool // "parentFileNameHint" anywhere: QEMU finds it with strstr
	extents     []vmdkExtent
	problem     string // first reason the text cannot be trusted
}

type vmdkExtent struct {
	line string
	kind string // sparse, flat, zero, vmfs, ...
}

// parseDescriptor reads the text up to the first NUL. Keys, types and
// access modes compare case-insensitively, as in oslo.utils.
func parseDescriptor(raw []byte) descriptor {
	raw, _, _ = bytes.Cut(raw, []byte{0})
	var d descriptor
	for _, c := range raw {
		if c >= 0x80 {
			d.problem = "VMDK descriptor is not ASCII text"
			return d
		}
	}
	text := strings.ToLower(string(raw))
	d.createTypes = strings.Count(text, "createtype")
	d.parentHint = strings.Contains(text, "parentfilenamehint")
	for _, line := range strings.Split(text, "\n") {
		if why := d.addLine(strings.TrimSpace(line)); why != "" && d.problem == "" {
			d.problem = why
		}
	}
	return d
}

func (d *descriptor) addLine(line string) string {
	if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "ddb") {
		return ""
	}
	if key, value, ok := strings.Cut(line, "="); ok && !strings.Contains(key, " ") {
		if key == "createtype" {
			d.createType = clip(strings.Trim(value, `"`), 64)
		}
		return ""
	}
	switch access, _, _ := strings.Cut(line, " "); access {
	case "rw", "rdonly", "noaccess":
		e := vmdkExtent{line: line}
		if f := strings.Fields(line); len(f) >= 3 {
			e.kind = f[2]
		}
		d.extents = append(d.extents, e)
		return ""
	}
	return fmt.Sprintf("unrecognised VMDK descriptor line %q", clip(line, 64))
}

// sparseUnsafe says why a descriptor embedded in a sparse VMDK could make a
// reader open something other than this one file.
func (d descriptor) sparseUnsafe() string {
	switch {
	case d.problem != "":
		return d.problem
	case d.createTypes != 1:
		return fmt.Sprintf("VMDK descriptor names createType %d times, want exactly once", d.createTypes)
	case d.createType != "monolithicsparse" && d.createType != "streamoptimized":
		return fmt.Sprintf("VMDK createType %q is not allowed (only monolithicSparse and streamOptimized)", d.createType)
	case d.parentHint:
		return "VMDK descriptor names a parent image (parentFileNameHint)"
	case len(d.extents) != 1:
		return fmt.Sprintf("VMDK descriptor has %d extents, a single-file VMDK has exactly one", len(d.extents))
	case d.extents[0].kind != "sparse":
		return fmt.Sprintf("VMDK extent of type %q is not inside this file", clip(d.extents[0].kind, 16))
	case strings.ContainsAny(d.extents[0].line, `/\`):
		return "VMDK extent names a file in another directory"
	}
	return ""
}

// looksLikeDescriptor is true when either oslo.utils (the first 512 bytes
// are printable ASCII) or QEMU's vmdk_probe would try the text as a
// descriptor.
func looksLikeDescriptor(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	return isText(head[:min(len(head), 512)]) || qemuProbesDescriptor(head[:min(len(head), 2048)])
}

func isText(b []byte) bool {
	for _, c := range b {
		if (c < 0x1c || c > 0x7e) && (c < '\t' || c > '\r') {
			return false
		}
	}
	return true
}

var descriptorVersions = []string{"version=1\n", "version=2\n", "version=3\n", "version=1\r\n", "version=2\r\n", "version=3\r\n"}

// qemuProbesDescriptor mirrors QEMU's vmdk_probe: "#" comment lines (which
// may hold any bytes) and space-only lines, then a "version=N" line.
func qemuProbesDescriptor(p []byte) bool {
	for len(p) > 0 {
		switch p[0] {
		case '#':
			var ok bool
			if _, p, ok = bytes.Cut(p, []byte("\n")); !ok {
				return false
			}
		case ' ':
			p = bytes.TrimPrefix(bytes.TrimLeft(p, " "), []byte("\r"))
			if len(p) == 0 || p[0] != '\n' {
				return false
			}
			p = p[1:]
		default:
			for _, v := range descriptorVersions {
				if bytes.HasPrefix(p, []byte(v)) {
					return true
				}
			}
			return false
		}
	}
	return false
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
