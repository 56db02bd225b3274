package format

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

const (
	// headSize is read once up front; every magic number lives inside it.
	headSize = 4096
	// maxRegion caps any single read, so memory stays constant whatever
	// offsets or lengths an image claims. The largest legitimate region is
	// a VMDK descriptor (1 MiB - 1, as in QEMU).
	maxRegion = 1 << 20
)

// source reads bounded regions of an image. The first I/O failure is kept
// in err and ends the inspection; probes only see "region unavailable".
type source struct {
	r    io.ReaderAt
	size int64
	head []byte
	err  error
}

func newSource(r io.ReaderAt, size int64) *source {
	s := &source{r: r, size: size}
	s.head, _ = s.readAt(0, min(size, headSize))
	return s
}

// read returns n bytes at off, or false when the region lies outside the
// image, exceeds maxRegion, or the reader failed.
func (s *source) read(off, n int64) ([]byte, bool) {
	if s.err != nil || off < 0 || n < 0 || n > maxRegion || off > s.size || n > s.size-off {
		return nil, false
	}
	if off+n <= int64(len(s.head)) {
		return s.head[off : off+n], true
	}
	return s.readAt(off, n)
}

func (s *source) readAt(off, n int64) ([]byte, bool) {
	buf := make([]byte, n)
	got, err := s.r.ReadAt(buf, off)
	if got == len(buf) {
		return buf, true
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	s.err = fmt.Errorf("format: reading %d bytes at offset %d of a %d-byte image: %w", n, off, s.size, err)
	return nil, false
}

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
func le64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
func be64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// bytesOf converts a count of units of unitSize bytes to bytes, or false on
// int64 overflow.
func bytesOf(count, unitSize uint64) (int64, bool) {
	if unitSize != 0 && count > (1<<63-1)/unitSize {
		return 0, false
	}
	return int64(count * unitSize), true
}
