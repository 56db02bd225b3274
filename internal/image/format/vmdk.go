package format

import (
	"bytes"
	"fmt"
)

// VMDK hosted sparse extent header (little-endian), from VMware's "Virtual
// Disk Format 5.0" and QEMU's block/vmdk.c.
const (
	vmdkHeaderLen  = 80
	vmdkSector     = 512
	vmdkDescOffset = 1 // QEMU and oslo.utils accept the embedded descriptor only at sector 1
	vmdkMaxDesc    = 1<<20 - 1
	vmdkGDAtEnd    = 1<<64 - 1 // grain directory offset meaning "see the footer"
	vmdkFooterLen  = 3 * vmdkSector
	vmdkMarkerFoot = 3
	vmdkTextChunk  = 64 << 10
)

var (
	vmdkMagic  = []byte("KDMV")
	vmdk3Magic = []byte("COWD") // VMware 3 sparse, which QEMU still opens
)

func probeVMDK(s *source) (match, bool) {
	switch {
	case bytes.HasPrefix(s.head, vmdkMagic):
		return match{info: sparseVMDK(s)}, true
	case bytes.HasPrefix(s.head, vmdk3Magic):
		return match{info: Info{Format: VMDK, Unsafe: "VMDK version 3 (COWD) images are not supported"}}, true
	}
	return descriptorFileVMDK(s)
}

// sparseVMDK inspects a monolithicSparse or streamOptimized file: a header,
// a descriptor embedded at sector 1, then grains.
func sparseVMDK(s *source) Info {
	info := Info{Format: VMDK}
	h, ok := s.read(0, vmdkHeaderLen)
	if !ok {
		info.Unsafe = "truncated VMDK sparse header"
		return info
	}
	if v := le32(h[4:8]); v < 1 || v > 3 {
		info.Unsafe = fmt.Sprintf("VMDK sparse version %d is not supported", v)
		return info
	}
	if le64(h[56:64]) == vmdkGDAtEnd {
		if h, info.Unsafe = vmdkFooter(s, h); info.Unsafe != "" {
			return info
		}
	}
	if info.VirtualSize, ok = bytesOf(le64(h[12:20]), vmdkSector); !ok {
		info.Unsafe = "VMDK capacity does not fit in 63 bits"
		return info
	}
	desc, why := vmdkEmbeddedDescriptor(s, h)
	if why == "" {
		why = parseDescriptor(desc).sparseUnsafe()
	}
	info.Unsafe = why
	return info
}

func vmdkEmbeddedDescriptor(s *source, h []byte) ([]byte, string) {
	if le64(h[28:36]) != vmdkDescOffset {
		return nil, "VMDK descriptor is not at sector 1"
	}
	sectors := le64(h[36:44])
	if sectors == 0 {
		return nil, "VMDK has no embedded descriptor"
	}
	n := int64(vmdkMaxDesc)
	if sectors <= vmdkMaxDesc/vmdkSector {
		n = int64(sectors) * vmdkSector
	}
	desc, ok := s.read(vmdkDescOffset*vmdkSector, n)
	if !ok {
		return nil, "truncated VMDK descriptor"
	}
	return desc, ""
}

// vmdkFooter checks a streamOptimized footer (footer marker, footer header,
// end-of-stream marker) the way oslo.utils does and returns the footer
// header, which QEMU then uses instead of the first one.
func vmdkFooter(s *source, h []byte) ([]byte, string) {
	if s.size < vmdkSector+vmdkFooterLen {
		return nil, "VMDK footer missing"
	}
	f, ok := s.read(s.size-vmdkFooterLen, vmdkFooterLen)
	if !ok {
		return nil, "VMDK footer unreadable"
	}
	marker, footer, eos := f[:vmdkSector], f[vmdkSector:2*vmdkSector], f[2*vmdkSector:]
	switch {
	case le32(marker[8:12]) != 0 || le32(marker[12:16]) != vmdkMarkerFoot || !allZero(marker[16:]):
		return nil, "VMDK footer marker is invalid"
	case !allZero(eos):
		return nil, "VMDK end-of-stream marker is invalid"
	case !bytes.Equal(footer[:8], h[:8]):
		return nil, "VMDK footer signature or version differs from the header"
	case !bytes.Equal(footer[28:44], h[28:44]):
		return nil, "VMDK footer names a different descriptor than the header"
	case le64(footer[56:64]) == vmdkGDAtEnd:
		return nil, "VMDK footer points at another footer"
	}
	return footer, ""
}

// descriptorFileVMDK recognises a plain-text descriptor file. Its data lives
// in the files its extent lines name, so it is never safe to accept.
func descriptorFileVMDK(s *source) (match, bool) {
	if !looksLikeDescriptor(s.head) {
		return match{}, false
	}
	raw, ok := readText(s, min(s.size, vmdkMaxDesc))
	if !ok {
		return match{}, false
	}
	if !bytes.Contains(bytes.ToLower(raw), []byte("createtype")) {
		return match{}, false
	}
	d := parseDescriptor(raw)
	why := fmt.Sprintf("VMDK descriptor file (createType %q) keeps its data in other files", d.createType)
	return match{info: Info{Format: VMDK, Unsafe: why}}, true
}

// readText reads from the start up to the first NUL or limit bytes, in
// chunks, so a text header on a large sparse image costs one chunk.
func readText(s *source, limit int64) ([]byte, bool) {
	var text []byte
	for off := int64(0); off < limit; off += vmdkTextChunk {
		b, ok := s.read(off, min(vmdkTextChunk, limit-off))
		if !ok {
			return nil, false
		}
		if i := bytes.IndexByte(b, 0); i >= 0 {
			return append(text, b[:i]...), true
		}
		text = append(text, b...)
	}
	return text, true
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
