package format

import (
	"bytes"
	"fmt"
)

// LUKS header (big-endian); only version 1 is supported, as in oslo.utils.
const (
	luksHeaderLen  = 108
	luksSectorSize = 512
)

var luksMagic = []byte("LUKS\xba\xbe")

func probeLUKS(s *source) (match, bool) {
	if !bytes.HasPrefix(s.head, luksMagic) {
		return match{}, false
	}
	info := Info{Format: LUKS}
	if len(s.head) < luksHeaderLen {
		info.Unsafe = "truncated LUKS header"
		return match{info: info}, true
	}
	if v := be16(s.head[6:8]); v != 1 {
		info.Unsafe = fmt.Sprintf("LUKS version %d is not supported", v)
		return match{info: info}, true
	}
	payload := int64(be32(s.head[104:108])) * luksSectorSize
	if payload > s.size {
		info.Unsafe = "LUKS payload starts past the end of the image"
		return match{info: info}, true
	}
	info.VirtualSize = s.size - payload
	return match{info: info}, true
}
