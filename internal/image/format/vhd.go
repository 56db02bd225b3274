package format

import (
	"bytes"
	"fmt"
	"slices"
)

// VHD footer (big-endian), from Microsoft's "Virtual Hard Disk Image Format
// Specification". Dynamic disks keep a copy at offset 0; fixed disks only
// at the end.
const (
	vhdFooterLen   = 512
	vhdTypeFixed   = 2
	vhdTypeDynamic = 3
	// vhdMaxGeometry is the largest CHS geometry, 65535*16*255 sectors.
	vhdMaxGeometry = 65535 * 16 * 255
)

var vhdCookie = []byte("conectix")

// vhdSizeCreators are the creator applications whose images QEMU sizes by
// current_size rather than by CHS geometry (block/vpc.c).
var vhdSizeCreators = []string{"win ", "qem2", "d2v ", "CTXS", "tap\x00"}

func probeVHD(s *source) (match, bool) {
	if bytes.HasPrefix(s.head, vhdCookie) {
		info := Info{Format: VHD, Unsafe: "truncated VHD footer"}
		if f, ok := s.read(0, vhdFooterLen); ok {
			info = vhdInfo(f)
		}
		return match{info: info}, true
	}
	if s.size < vhdFooterLen {
		return match{}, false
	}
	f, ok := s.read(s.size-vhdFooterLen, vhdFooterLen)
	if !ok || !bytes.HasPrefix(f, vhdCookie) {
		return match{}, false
	}
	// A fixed VHD is a raw disk plus this footer, so the disk's own
	// partition table or ISO descriptors are its payload.
	return match{info: vhdInfo(f), contains: []string{GPT, ISO}}, true
}

func vhdInfo(f []byte) Info {
	info := Info{Format: VHD, VirtualSize: vhdVirtualSize(f)}
	if t := be32(f[60:64]); t != vhdTypeFixed && t != vhdTypeDynamic {
		// Type 4 is a differencing disk, whose parent locators name files.
		info.Unsafe = fmt.Sprintf("VHD disk type %d is not supported (only fixed and dynamic)", t)
	}
	return info
}

// vhdVirtualSize follows QEMU: CHS geometry, unless the creator is known to
// use current_size or the geometry is the maximum.
func vhdVirtualSize(f []byte) int64 {
	chs := int64(be16(f[56:58])) * int64(f[58]) * int64(f[59])
	useCHS := !slices.Contains(vhdSizeCreators, string(f[28:32]))
	if useCHS && chs != vhdMaxGeometry {
		return chs * vhdFooterLen
	}
	size, _ := bytesOf(be64(f[48:56])/vhdFooterLen, vhdFooterLen)
	return size
}
