package format

import (
	"bytes"
	"fmt"
)

// QCOW2 header (big-endian), from QEMU's docs/interop/qcow2.txt.
const (
	qcow2V2HeaderLen = 72
	qcow2V3HeaderLen = 104
	qcow2MinCluster  = 9
	qcow2MaxCluster  = 21
	// Incompatible feature bits: 0 dirty, 1 corrupt, 2 external data file,
	// 3 compression type. Like oslo.utils, any higher bit (extended L2 and
	// whatever comes later) is unknown and refused.
	qcow2IncompatDataFile = 1 << 2
	qcow2IncompatKnown    = 0x0f
	qcow2ExtEnd           = 0x00000000
	qcow2ExtDataFile      = 0x44415441 // "DATA": external data file name
	// qcow2MaxExtScan bounds the header-extension scan; real images use a
	// few hundred bytes.
	qcow2MaxExtScan = 64 << 10
)

var qcow2Magic = []byte("QFI\xfb")

func probeQCOW2(s *source) (match, bool) {
	if !bytes.HasPrefix(s.head, qcow2Magic) {
		return match{}, false
	}
	info := Info{Format: QCOW2}
	info.VirtualSize, info.Unsafe = qcow2Header(s)
	return match{info: info}, true
}

func qcow2Header(s *source) (int64, string) {
	h, ok := s.read(0, qcow2V2HeaderLen)
	if !ok {
		return 0, "truncated qcow2 header"
	}
	size, ok := bytesOf(be64(h[24:32]), 1)
	if !ok {
		return 0, "virtual size does not fit in 63 bits"
	}
	version := be32(h[4:8])
	if version != 2 && version != 3 {
		return size, fmt.Sprintf("qcow version %d is not supported", version)
	}
	if be64(h[8:16]) != 0 {
		return size, "qcow2 image has a backing file"
	}
	clusterBits := be32(h[20:24])
	if clusterBits < qcow2MinCluster || clusterBits > qcow2MaxCluster {
		return size, fmt.Sprintf("cluster_bits %d out of range", clusterBits)
	}
	extStart := int64(qcow2V2HeaderLen)
	if version == 3 {
		var why string
		if extStart, why = qcow2V3Header(s, clusterBits); why != "" {
			return size, why
		}
	}
	return size, qcow2Extensions(s, extStart, int64(1)<<clusterBits)
}

// qcow2V3Header checks the feature bits and returns where extensions start.
func qcow2V3Header(s *source, clusterBits uint32) (int64, string) {
	h, ok := s.read(0, qcow2V3HeaderLen)
	if !ok {
		return 0, "truncated qcow2 v3 header"
	}
	incompat := be64(h[72:80])
	if incompat&qcow2IncompatDataFile != 0 {
		return 0, "qcow2 image has an external data file"
	}
	if unknown := incompat &^ qcow2IncompatKnown; unknown != 0 {
		return 0, fmt.Sprintf("unknown incompatible qcow2 features %#x", unknown)
	}
	headerLen := int64(be32(h[100:104]))
	if headerLen < qcow2V3HeaderLen || headerLen%8 != 0 || headerLen > int64(1)<<clusterBits {
		return 0, fmt.Sprintf("invalid header_length %d", headerLen)
	}
	return headerLen, ""
}

// qcow2Extensions walks the header extensions in the first cluster and
// refuses an external data file name even when the feature bit is clear.
func qcow2Extensions(s *source, start, cluster int64) string {
	limit := cluster - start
	buf, ok := s.read(start, min(limit, qcow2MaxExtScan, s.size-start))
	if !ok {
		return "truncated qcow2 header extensions"
	}
	capped := int64(len(buf)) < limit && int64(len(buf)) < s.size-start
	for off := int64(0); off+8 <= limit; {
		if off+8 > int64(len(buf)) {
			if capped {
				return "qcow2 header extensions extend past what was inspected"
			}
			return "" // the file ends here; QEMU reads zeros, an end marker
		}
		typ, length := be32(buf[off:]), int64(be32(buf[off+4:]))
		switch {
		case typ == qcow2ExtEnd:
			return ""
		case typ == qcow2ExtDataFile:
			return "qcow2 image names an external data file"
		case length > limit-off-8:
			return "qcow2 header extension runs past the first cluster"
		}
		off += 8 + (length+7)/8*8
	}
	return ""
}
