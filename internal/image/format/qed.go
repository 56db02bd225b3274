package format

import "bytes"

var qedMagic = []byte("QED\x00")

// probeQED recognises QED only to refuse it: nobody supports it, and QEMU
// would follow its backing file name.
func probeQED(s *source) (match, bool) {
	if !bytes.HasPrefix(s.head, qedMagic) {
		return match{}, false
	}
	info := Info{Format: QED, Unsafe: "QED images are not allowed"}
	if len(s.head) >= 56 {
		info.VirtualSize, _ = bytesOf(le64(s.head[48:56]), 1)
	}
	return match{info: info}, true
}
