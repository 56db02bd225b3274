package format

import (
	"slices"
	"strings"
	"testing"
)

// FuzzInspect: no input panics, reads outside the image or more than
// maxRegion at once (countingReader fails the test), and every answer is
// well formed.
func FuzzInspect(f *testing.F) {
	for _, tc := range syntheticCases() {
		f.Add(tc.img)
	}
	known := []string{Raw, QCOW2, VMDK, VHD, VHDX, VDI, ISO, GPT, LUKS, QED}
	f.Fuzz(func(t *testing.T, img []byte) {
		info := inspectBytes(t, img)
		if info.VirtualSize < 0 {
			t.Errorf("negative virtual size %d", info.VirtualSize)
		}
		for _, name := range strings.Split(info.Format, "+") {
			if !slices.Contains(known, name) {
				t.Errorf("unknown format %q", info.Format)
			}
		}
		if strings.Contains(info.Format, "+") && info.Unsafe == "" {
			t.Errorf("polyglot %q reported safe", info.Format)
		}
	})
}
