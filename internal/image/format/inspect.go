package format

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Detected format names. They equal Glance's disk_format values (and
// qemu-img's names, except that qemu calls VHD "vpc").
const (
	Raw   = "raw"
	QCOW2 = "qcow2"
	VMDK  = "vmdk"
	VHD   = "vhd"
	VHDX  = "vhdx"
	VDI   = "vdi"
	ISO   = "iso"
	GPT   = "gpt" // a disk with an MBR or GPT partition table
	LUKS  = "luks"
	QED   = "qed"
)

// Info is what Inspect found in an image.
type Info struct {
	// Format is one of the constants above. For a polyglot that matches
	// several formats it is their names joined by "+", and Unsafe is set.
	Format string
	// VirtualSize is the disk size the guest sees, in bytes; 0 if unknown.
	VirtualSize int64
	// Unsafe, when not empty, says why the image must be refused.
	Unsafe string
}

// Check returns an *UnsafeError when the image must be refused.
func (i Info) Check() error {
	if i.Unsafe == "" {
		return nil
	}
	return &UnsafeError{Format: i.Format, Reason: i.Unsafe}
}

// UnsafeError is an image that a hypervisor or qemu-img could be tricked
// into following outside itself, or that cannot be parsed safely.
type UnsafeError struct {
	Format string
	Reason string
}

func (e *UnsafeError) Error() string {
	return fmt.Sprintf("unsafe %s image: %s", e.Format, e.Reason)
}

// match is one probe's positive answer. contains names formats whose
// signatures may legitimately appear inside this one's payload.
type match struct {
	info     Info
	contains []string
}

// probe recognises one format. It reports false when the image is not of
// its format; once the magic matches, problems go to Info.Unsafe.
type probe func(s *source) (match, bool)

// probes is every format Inspect knows. All of them run on every image so
// that polyglots are caught.
var probes = []probe{
	probeQCOW2,
	probeQED,
	probeVMDK,
	probeVHD,
	probeVHDX,
	probeVDI,
	probeISO,
	probeGPT,
	probeLUKS,
}

// Inspect detects the format of the size-byte image r, its virtual size
// and whether it is safe. It reads only the few regions the formats define
// (at most 1 MiB at a time), never the whole image. The error is non-nil
// only when r fails or is shorter than size.
func Inspect(r io.ReaderAt, size int64) (Info, error) {
	if size < 0 {
		return Info{}, fmt.Errorf("format: negative image size %d", size)
	}
	s := newSource(r, size)
	var found []match
	for _, p := range probes {
		m, ok := p(s)
		if s.err != nil {
			return Info{}, s.err
		}
		if ok {
			found = append(found, m)
		}
	}
	return resolve(found, size), nil
}

// resolve picks the one format found, dropping formats that another match
// contains (a hybrid ISO's partition table, a fixed VHD's payload).
func resolve(found []match, size int64) Info {
	var kept []match
	for _, m := range found {
		if !containedByOther(found, m) {
			kept = append(kept, m)
		}
	}
	switch len(kept) {
	case 0:
		return Info{Format: Raw, VirtualSize: size}
	case 1:
		return kept[0].info
	}
	names := make([]string, len(kept))
	for i, m := range kept {
		names[i] = m.info.Format
	}
	slices.Sort(names)
	return Info{
		Format: strings.Join(names, "+"),
		Unsafe: "content matches more than one format: " + strings.Join(names, ", "),
	}
}

func containedByOther(found []match, m match) bool {
	for _, other := range found {
		if other.info.Format != m.info.Format && slices.Contains(other.contains, m.info.Format) {
			return true
		}
	}
	return false
}
