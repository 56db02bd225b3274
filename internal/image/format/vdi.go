package format

import "fmt"

// VirtualBox VDI header (little-endian), from QEMU's block/vdi.c.
const (
	vdiHeaderLen   = 0x178
	vdiSignature   = 0xbeda107f
	vdiTypeDynamic = 1
	vdiTypeStatic  = 2
)

func probeVDI(s *source) (match, bool) {
	if len(s.head) < 0x44 || le32(s.head[0x40:0x44]) != vdiSignature {
		return match{}, false
	}
	info := Info{Format: VDI}
	if len(s.head) < vdiHeaderLen {
		info.Unsafe = "truncated VDI header"
		return match{info: info}, true
	}
	info.VirtualSize, _ = bytesOf(le64(s.head[0x170:0x178]), 1)
	if t := le32(s.head[0x4c:0x50]); t != vdiTypeDynamic && t != vdiTypeStatic {
		// Undo (3) and differencing (4) images depend on a parent image.
		info.Unsafe = fmt.Sprintf("VDI image type %d is not supported (only dynamic and static)", t)
	}
	return match{info: info}, true
}
