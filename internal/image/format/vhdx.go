package format

import (
	"bytes"
	"encoding/hex"
	"slices"
	"strings"
)

// VHDX layout (little-endian), from Microsoft's [MS-VHDX]: a file type
// identifier at 0, the region table at 192 KiB, and a metadata region whose
// table points at items such as the virtual disk size.
const (
	vhdxRegionTable = 192 << 10
	vhdxTableHeader = 16
	vhdxMetaHeader  = 32
	vhdxEntryLen    = 32
	vhdxMaxEntries  = 2047
	vhdxHasParent   = 1 << 1 // File Parameters flag of a differencing disk
)

var (
	vhdxIdent          = []byte("vhdxfile")
	vhdxRegionSig      = []byte("regi")
	vhdxMetaSig        = []byte("metadata")
	guidMetadataRegion = guid("8B7CA206-4790-4B9A-B8FE-575F050F886E")
	guidVirtualSize    = guid("2FA54224-CD1B-4876-B211-5DBED83BF4B8")
	guidFileParameters = guid("CAA16737-FA36-4D43-B3B6-33F0AA44E76B")
	guidParentLocator  = guid("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C")
)

func probeVHDX(s *source) (match, bool) {
	if !bytes.HasPrefix(s.head, vhdxIdent) {
		return match{}, false
	}
	info := Info{Format: VHDX}
	meta, why := vhdxMetadataRegion(s)
	if why == "" {
		info.VirtualSize, why = vhdxMetadata(s, meta)
	}
	info.Unsafe = why
	return match{info: info}, true
}

// vhdxMetadataRegion finds the metadata region's file offset in the region
// table.
func vhdxMetadataRegion(s *source) (int64, string) {
	h, ok := s.read(vhdxRegionTable, vhdxTableHeader)
	if !ok || !bytes.HasPrefix(h, vhdxRegionSig) {
		return 0, "VHDX region table not found"
	}
	entries, why := vhdxEntries(s, vhdxRegionTable+vhdxTableHeader, uint64(le32(h[8:12])))
	for e := range slices.Chunk(entries, vhdxEntryLen) {
		if bytes.Equal(e[:16], guidMetadataRegion) {
			off := le64(e[16:24])
			if off > uint64(s.size) {
				return 0, "VHDX metadata region lies past the end of the image"
			}
			return int64(off), ""
		}
	}
	if why == "" {
		why = "VHDX has no metadata region"
	}
	return 0, why
}

// vhdxMetadata reads the virtual disk size and refuses differencing disks,
// whose parent locator names another file.
func vhdxMetadata(s *source, meta int64) (int64, string) {
	h, ok := s.read(meta, vhdxMetaHeader)
	if !ok || !bytes.HasPrefix(h, vhdxMetaSig) {
		return 0, "VHDX metadata table not found"
	}
	entries, why := vhdxEntries(s, meta+vhdxMetaHeader, uint64(le16(h[10:12])))
	if why != "" {
		return 0, why
	}
	var size int64 = -1
	for e := range slices.Chunk(entries, vhdxEntryLen) {
		id, item := e[:16], meta+int64(le32(e[16:20]))
		switch {
		case bytes.Equal(id, guidParentLocator):
			return 0, "differencing VHDX names a parent image"
		case bytes.Equal(id, guidFileParameters):
			b, ok := s.read(item, 8)
			if !ok {
				return 0, "VHDX file parameters lie past the end of the image"
			}
			if le32(b[4:8])&vhdxHasParent != 0 {
				return 0, "differencing VHDX names a parent image"
			}
		case bytes.Equal(id, guidVirtualSize):
			b, ok := s.read(item, 8)
			if !ok {
				return 0, "VHDX virtual disk size lies past the end of the image"
			}
			if size, ok = bytesOf(le64(b), 1); !ok {
				return 0, "VHDX virtual disk size does not fit in 63 bits"
			}
		}
	}
	if size < 0 {
		return 0, "VHDX has no virtual disk size"
	}
	return size, ""
}

func vhdxEntries(s *source, off int64, count uint64) ([]byte, string) {
	if count > vhdxMaxEntries {
		return nil, "VHDX table has more than 2047 entries"
	}
	b, ok := s.read(off, int64(count)*vhdxEntryLen)
	if !ok {
		return nil, "truncated VHDX table"
	}
	return b, ""
}

// guid returns the on-disk bytes of a Microsoft GUID: the first three
// groups little-endian, the last two as written.
func guid(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		panic("format: bad GUID literal " + s)
	}
	b[0], b[1], b[2], b[3] = b[3], b[2], b[1], b[0]
	b[4], b[5] = b[5], b[4]
	b[6], b[7] = b[7], b[6]
	return b
}
