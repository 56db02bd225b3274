package format

import (
	"encoding/binary"
	"strings"
)

// Builders of small synthetic images, byte by byte from the format specs.

var (
	le = binary.LittleEndian
	be = binary.BigEndian
)

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func zeros(n int) []byte { return make([]byte, n) }

// qcow2Spec describes a qcow2 image with 512-byte clusters (small seeds).
type qcow2Spec struct {
	version   uint32
	size      uint64
	backing   uint64
	incompat  uint64
	headerLen uint32
	exts      []qcow2Ext
}

type qcow2Ext struct {
	typ  uint32
	data []byte
}

func (q qcow2Spec) bytes() []byte {
	const clusterBits = 9
	img := zeros(3 << clusterBits)
	copy(img, "QFI\xfb")
	be.PutUint32(img[4:], q.version)
	be.PutUint64(img[8:], q.backing)
	be.PutUint32(img[20:], clusterBits)
	be.PutUint64(img[24:], q.size)
	be.PutUint64(img[40:], 1<<clusterBits) // L1 table offset
	be.PutUint64(img[48:], 2<<clusterBits) // refcount table offset
	off := qcow2V2HeaderLen
	if q.version >= 3 {
		be.PutUint64(img[72:], q.incompat)
		be.PutUint32(img[96:], 4) // refcount order
		hl := q.headerLen
		if hl == 0 {
			hl = qcow2V3HeaderLen
		}
		be.PutUint32(img[100:], hl)
		off = int(min(hl, uint32(len(img)-8)))
	}
	for _, e := range q.exts {
		be.PutUint32(img[off:], e.typ)
		be.PutUint32(img[off+4:], uint32(len(e.data)))
		copy(img[off+8:], e.data)
		off += 8 + (len(e.data)+7)/8*8
	}
	return img
}

func qcow2v3(size uint64) qcow2Spec { return qcow2Spec{version: 3, size: size} }

// sparseDescriptor is what qemu-img writes into a monolithicSparse file.
func sparseDescriptor(createType, extent string, extra ...string) string {
	lines := []string{
		"# Disk DescriptorFile", "version=1", "CID=615f479b", "parentCID=ffffffff",
		`createType="` + createType + `"`, "", "# Extent description", extent, "",
		"# The Disk Data Base", "#DDB", "", `ddb.virtualHWVersion = "4"`, `ddb.adapterType = "ide"`,
	}
	return strings.Join(append(lines, extra...), "\n") + "\n"
}

// vmdkHeader is a hosted sparse extent header with the descriptor at
// sector 1, descSectors long.
func vmdkHeader(capacity, descSectors, gdOffset uint64) []byte {
	h := zeros(512)
	copy(h, "KDMV")
	le.PutUint32(h[4:], 1)
	le.PutUint32(h[8:], 3)
	le.PutUint64(h[12:], capacity)
	le.PutUint64(h[20:], 128)
	le.PutUint64(h[28:], 1)
	le.PutUint64(h[36:], descSectors)
	le.PutUint32(h[44:], 512)
	le.PutUint64(h[56:], gdOffset)
	return h
}

func vmdkSparse(capacity uint64, desc string) []byte {
	d := zeros(20 * 512)
	copy(d, desc)
	return cat(vmdkHeader(capacity, 20, 21), d, zeros(512))
}

// vmdkStream is a streamOptimized file whose grain directory is in the
// footer; footerCapacity is what the footer header says.
func vmdkStream(capacity, footerCapacity uint64, desc string) []byte {
	d := zeros(20 * 512)
	copy(d, desc)
	marker := zeros(512)
	le.PutUint32(marker[12:], vmdkMarkerFoot)
	return cat(vmdkHeader(capacity, 20, vmdkGDAtEnd), d, zeros(512),
		marker, vmdkHeader(footerCapacity, 20, 21), zeros(512))
}

// vhdFooter builds a VHD footer; the checksum is not checked by anyone.
func vhdFooter(creator string, diskType uint32, current uint64, cyl uint16, heads, spt byte) []byte {
	f := zeros(512)
	copy(f, "conectix")
	be.PutUint32(f[8:], 2)
	be.PutUint32(f[12:], 0x00010000)
	be.PutUint64(f[16:], 512)
	copy(f[28:32], creator)
	be.PutUint64(f[40:], current)
	be.PutUint64(f[48:], current)
	be.PutUint16(f[56:], cyl)
	f[58], f[59] = heads, spt
	be.PutUint32(f[60:], diskType)
	return f
}

func vhdDynamic(f []byte) []byte {
	dyn := zeros(1024)
	copy(dyn, "cxsparse")
	return cat(f, dyn, f)
}

// vhdxSpec builds a VHDX with the metadata region at 196 KiB.
type vhdxSpec struct {
	size          uint64
	hasParent     bool
	parentLocator bool
}

func (v vhdxSpec) bytes() []byte {
	const meta = vhdxRegionTable + 4096
	img := zeros(meta + 4096)
	copy(img, "vhdxfile")
	rt := img[vhdxRegionTable:]
	copy(rt, "regi")
	le.PutUint32(rt[8:], 2)
	copy(rt[16:], guid("2DC27766-F623-4200-9D64-115E9BFD4A08")) // BAT
	le.PutUint64(rt[32:], 1<<20)
	copy(rt[48:], guidMetadataRegion)
	le.PutUint64(rt[64:], meta)
	le.PutUint32(rt[72:], 1<<20)

	m := img[meta:]
	copy(m, "metadata")
	items := []struct {
		id   []byte
		data []byte
	}{
		{guidFileParameters, le.AppendUint32(le.AppendUint32(nil, 32<<20), boolBit(v.hasParent, vhdxHasParent))},
		{guidVirtualSize, le.AppendUint64(nil, v.size)},
	}
	if v.parentLocator {
		items = append(items, struct{ id, data []byte }{guidParentLocator, zeros(20)})
	}
	le.PutUint16(m[10:], uint16(len(items)))
	for i, it := range items {
		e := m[vhdxMetaHeader+i*vhdxEntryLen:]
		at := 1024 + i*64
		copy(e, it.id)
		le.PutUint32(e[16:], uint32(at))
		le.PutUint32(e[20:], uint32(len(it.data)))
		copy(m[at:], it.data)
	}
	return img
}

func boolBit(b bool, bit uint32) uint32 {
	if b {
		return bit
	}
	return 0
}

func vdiImage(size uint64, imageType uint32) []byte {
	h := zeros(1024)
	copy(h, "<<< Oracle VM VirtualBox Disk Image >>>\n")
	le.PutUint32(h[0x40:], vdiSignature)
	le.PutUint32(h[0x44:], 0x00010001)
	le.PutUint32(h[0x48:], 0x180)
	le.PutUint32(h[0x4c:], imageType)
	le.PutUint64(h[0x170:], size)
	return h
}

// isoImage has a system area, the given descriptors from sector 16, and a
// primary volume descriptor of blocks 2 KiB blocks when ids[i] is "PVD".
func isoImage(system []byte, blocks uint32, ids ...string) []byte {
	img := zeros(isoFirstVD*isoSector + len(ids)*isoSector)
	copy(img, system)
	for i, id := range ids {
		d := img[(isoFirstVD+i)*isoSector:]
		switch id {
		case "PVD":
			d[0] = isoTypePVD
			copy(d[1:], "CD001")
			le.PutUint32(d[80:], blocks)
			be.PutUint32(d[84:], blocks)
			le.PutUint16(d[128:], isoSector)
			be.PutUint16(d[130:], isoSector)
		case "TERM":
			d[0] = 255
			copy(d[1:], "CD001")
		default:
			copy(d[1:], id)
		}
		d[6] = 1
	}
	return img
}

// mbrEntry is one 16-byte partition entry.
type mbrEntry struct {
	boot, typ byte
	chs       [3]byte
	lba, n    uint32
}

func mbrImage(entries ...mbrEntry) []byte {
	img := zeros(4096)
	for i, e := range entries {
		p := img[mbrPartitions+16*i:]
		p[0], p[4] = e.boot, e.typ
		copy(p[1:4], e.chs[:])
		le.PutUint32(p[8:], e.lba)
		le.PutUint32(p[12:], e.n)
	}
	le.PutUint16(img[510:], mbrSignature)
	return img
}

var protectiveMBR = mbrEntry{typ: mbrTypeGPT, chs: [3]byte{0, 2, 0}, lba: 1, n: 7}

func luksImage(version uint16, payloadSectors uint32, size int) []byte {
	img := zeros(size)
	copy(img, "LUKS\xba\xbe")
	be.PutUint16(img[6:], version)
	copy(img[8:], "aes")
	be.PutUint32(img[104:], payloadSectors)
	return img
}

func qedImage(size uint64) []byte {
	img := zeros(512)
	copy(img, "QED\x00")
	le.PutUint64(img[48:], size)
	return img
}

// at returns img with b written at off (growing img if needed).
func at(img []byte, off int, b []byte) []byte {
	if len(img) < off+len(b) {
		img = append(img, zeros(off+len(b)-len(img))...)
	}
	copy(img[off:], b)
	return img
}
