package format

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

const (
	mib = 1 << 20
	gib = 1 << 30
)

type inspectCase struct {
	name   string
	img    []byte
	format string
	size   int64
	unsafe string // substring of Info.Unsafe; "" means the image is safe
}

func syntheticCases() []inspectCase {
	ms := sparseDescriptor("monolithicSparse", `RW 131072 SPARSE "disk.vmdk"`)
	return []inspectCase{
		// raw and its look-alikes
		{"empty", nil, Raw, 0, ""},
		{"raw zeros", zeros(64 << 10), Raw, 64 << 10, ""},
		{"raw text", []byte(strings.Repeat("hello world\n", 100)), Raw, 1200, ""},
		{"three magic bytes", []byte("QFI"), Raw, 3, ""},
		{"FAT boot sector", at(at(mbrImage(), fatNumFATsByte, []byte{2}), fatMediaByte, []byte{fatMediaFixed}), Raw, 4096, ""},

		// qcow2
		{"qcow2 v2", qcow2Spec{version: 2, size: gib}.bytes(), QCOW2, gib, ""},
		{"qcow2 v3", qcow2v3(10 * gib).bytes(), QCOW2, 10 * gib, ""},
		{"qcow2 v3 dirty+compression", qcow2Spec{version: 3, size: mib, incompat: 0b1001}.bytes(), QCOW2, mib, ""},
		{"qcow2 v3 feature table", qcow2Spec{version: 3, size: mib, exts: []qcow2Ext{{0x6803f857, zeros(48)}}}.bytes(), QCOW2, mib, ""},
		{"qcow2 v3 long header", qcow2Spec{version: 3, size: mib, headerLen: 112}.bytes(), QCOW2, mib, ""},
		{"qcow2 backing file", qcow2Spec{version: 3, size: mib, backing: 0x200}.bytes(), QCOW2, mib, "backing file"},
		{"qcow2 v2 backing file", qcow2Spec{version: 2, size: mib, backing: 0x200}.bytes(), QCOW2, mib, "backing file"},
		{"qcow2 data file bit", qcow2Spec{version: 3, size: mib, incompat: qcow2IncompatDataFile}.bytes(), QCOW2, mib, "external data file"},
		{"qcow2 data file extension", qcow2Spec{version: 3, size: mib, exts: []qcow2Ext{{qcow2ExtDataFile, []byte("/etc/shadow")}}}.bytes(), QCOW2, mib, "names an external data file"},
		{"qcow2 data file extension after another", qcow2Spec{version: 3, size: mib, exts: []qcow2Ext{{0x6803f857, zeros(48)}, {qcow2ExtDataFile, []byte("x")}}}.bytes(), QCOW2, mib, "names an external data file"},
		{"qcow2 extended L2 bit", qcow2Spec{version: 3, size: mib, incompat: 1 << 4}.bytes(), QCOW2, mib, "unknown incompatible"},
		{"qcow2 high feature bit", qcow2Spec{version: 3, size: mib, incompat: 1 << 63}.bytes(), QCOW2, mib, "unknown incompatible"},
		{"qcow v1", qcow2Spec{version: 1, size: mib}.bytes(), QCOW2, mib, "version 1"},
		{"qcow2 v4", qcow2Spec{version: 4, size: mib}.bytes(), QCOW2, mib, "version 4"},
		{"qcow2 truncated", []byte("QFI\xfb\x00\x00\x00\x03"), QCOW2, 0, "truncated"},
		{"qcow2 v3 truncated", qcow2Spec{version: 3, size: mib}.bytes()[:80], QCOW2, mib, "truncated"},
		{"qcow2 size over 63 bits", qcow2Spec{version: 3, size: 1 << 63}.bytes(), QCOW2, 0, "63 bits"},
		{"qcow2 huge header length", qcow2Spec{version: 3, size: mib, headerLen: 0xfffffff8}.bytes(), QCOW2, mib, "header_length"},
		{"qcow2 huge cluster bits", at(qcow2v3(mib).bytes(), 20, be.AppendUint32(nil, 63)), QCOW2, mib, "cluster_bits"},
		{"qcow2 extension overruns cluster", at(qcow2v3(mib).bytes(), 104, be.AppendUint64(nil, 0x6803f857_7fffffff)), QCOW2, mib, "past the first cluster"},

		// VMDK
		{"vmdk monolithicSparse", vmdkSparse(131072, ms), VMDK, 64 * mib, ""},
		{"vmdk streamOptimized", vmdkSparse(2048, sparseDescriptor("streamOptimized", `RW 2048 SPARSE "s.vmdk"`)), VMDK, mib, ""},
		{"vmdk streamOptimized footer", vmdkStream(0, 4096, sparseDescriptor("streamOptimized", `RW 4096 SPARSE "s.vmdk"`)), VMDK, 2 * mib, ""},
		{"vmdk footer bad marker", at(vmdkStream(0, 4096, ms), 22*512+12, []byte{9}), VMDK, 0, "footer marker"},
		{"vmdk footer bad end of stream", at(vmdkStream(0, 4096, ms), 24*512+1, []byte{1}), VMDK, 0, "end-of-stream"},
		{"vmdk footer chains a footer", at(vmdkStream(0, 4096, ms), 23*512+56, le.AppendUint64(nil, vmdkGDAtEnd)), VMDK, 0, "another footer"},
		{"vmdk footer other descriptor", at(vmdkStream(0, 4096, ms), 23*512+36, le.AppendUint64(nil, 7)), VMDK, 0, "different descriptor"},
		{"vmdk footer missing", vmdkHeader(8, 1, vmdkGDAtEnd), VMDK, 0, "footer missing"},
		{"vmdk embedded monolithicFlat", vmdkSparse(8, sparseDescriptor("monolithicFlat", `RW 8 FLAT "disk-flat.vmdk" 0`)), VMDK, 4096, `createType "monolithicflat"`},
		{"vmdk embedded unknown createType", vmdkSparse(8, sparseDescriptor("vmfsRawDeviceMap", `RW 8 SPARSE "d.vmdk"`)), VMDK, 4096, "not allowed"},
		{"vmdk no createType", vmdkSparse(8, "version=1\n"+`RW 8 SPARSE "d.vmdk"`+"\n"), VMDK, 4096, "0 times"},
		{"vmdk createType hidden in a comment", vmdkSparse(8, `# createType="monolithicSparse"`+"\n"+sparseDescriptor("monolithicSparse", `RW 8 SPARSE "d.vmdk"`)), VMDK, 4096, "2 times"},
		{"vmdk extent path", vmdkSparse(8, sparseDescriptor("monolithicSparse", `RW 8 SPARSE "/etc/passwd"`)), VMDK, 4096, "another directory"},
		{"vmdk extent windows path", vmdkSparse(8, sparseDescriptor("monolithicSparse", `RW 8 SPARSE "..\secret.vmdk"`)), VMDK, 4096, "another directory"},
		{"vmdk flat extent in another file", vmdkSparse(8, sparseDescriptor("monolithicSparse", `RW 8 FLAT "other.img" 0`)), VMDK, 4096, `type "flat"`},
		{"vmdk second extent", vmdkSparse(8, sparseDescriptor("monolithicSparse", "RW 8 SPARSE \"d.vmdk\"\nRW 8 FLAT \"/etc/shadow\" 0")), VMDK, 4096, "2 extents"},
		{"vmdk no extent", vmdkSparse(8, sparseDescriptor("monolithicSparse", "")), VMDK, 4096, "0 extents"},
		{"vmdk parent hint", vmdkSparse(8, sparseDescriptor("monolithicSparse", `RW 8 SPARSE "d.vmdk"`, `parentFileNameHint="base.vmdk"`)), VMDK, 4096, "parent image"},
		{"vmdk parent hint in a comment", vmdkSparse(8, sparseDescriptor("monolithicSparse", `RW 8 SPARSE "d.vmdk"`, `# parentFileNameHint="/etc/passwd"`)), VMDK, 4096, "parent image"},
		{"vmdk unknown line", vmdkSparse(8, sparseDescriptor("monolithicSparse", `RW 8 SPARSE "d.vmdk"`, `RW\t8\tFLAT "/etc/passwd" 0`)), VMDK, 4096, "unrecognised"},
		{"vmdk non-ASCII descriptor", vmdkSparse(8, sparseDescriptor("monolithicSparse", "RW 8 SPARSE \"d\xc3\xa9.vmdk\"")), VMDK, 4096, "not ASCII"},
		{"vmdk descriptor elsewhere", at(vmdkSparse(8, ms), 28, le.AppendUint64(nil, 2)), VMDK, 4096, "sector 1"},
		{"vmdk no descriptor", at(vmdkSparse(8, ms), 36, le.AppendUint64(nil, 0)), VMDK, 4096, "no embedded descriptor"},
		{"vmdk descriptor past the end", at(vmdkSparse(8, ms), 36, le.AppendUint64(nil, 1<<62)), VMDK, 4096, "truncated VMDK descriptor"},
		{"vmdk version 9", at(vmdkSparse(8, ms), 4, le.AppendUint32(nil, 9)), VMDK, 0, "version 9"},
		{"vmdk capacity over 63 bits", vmdkSparse(1<<62, ms), VMDK, 0, "63 bits"},
		{"vmdk truncated header", []byte("KDMV\x01\x00\x00\x00"), VMDK, 0, "truncated"},
		{"vmdk3 COWD", append([]byte("COWD"), zeros(2044)...), VMDK, 0, "COWD"},
		{"vmdk descriptor file monolithicFlat", []byte(sparseDescriptor("monolithicFlat", `RW 131072 FLAT "d-flat.vmdk" 0`)), VMDK, 0, `"monolithicflat"`},
		{"vmdk descriptor file twoGbMaxExtentSparse", []byte(sparseDescriptor("twoGbMaxExtentSparse", "RW 4192256 SPARSE \"d-s001.vmdk\"\nRW 4192256 SPARSE \"d-s002.vmdk\"")), VMDK, 0, "other files"},
		{"vmdk descriptor file claiming monolithicSparse", []byte(sparseDescriptor("monolithicSparse", `RW 8 SPARSE "other.vmdk"`)), VMDK, 0, "other files"},
		{"vmdk descriptor after binary comment", append([]byte("#\x01\x02\xff\nversion=1\n"), sparseDescriptor("monolithicFlat", `RW 8 FLAT "/etc/passwd" 0`)...), VMDK, 0, "other files"},

		// VHD
		{"vhd dynamic qemu current size", vhdDynamic(vhdFooter("qem2", vhdTypeDynamic, 10*mib, 1, 1, 1)), VHD, 10 * mib, ""},
		{"vhd dynamic CHS size", vhdDynamic(vhdFooter("vpc ", vhdTypeDynamic, 99*mib, 964, 8, 17)), VHD, 964 * 8 * 17 * 512, ""},
		{"vhd max geometry uses current size", vhdDynamic(vhdFooter("vpc ", vhdTypeDynamic, 300*gib, 65535, 16, 255)), VHD, 300 * gib, ""},
		{"vhd fixed", cat(zeros(mib), vhdFooter("win ", vhdTypeFixed, mib, 1, 1, 1)), VHD, mib, ""},
		{"vhd fixed holding a partitioned disk", cat(mbrImage(protectiveMBR), zeros(mib-4096), vhdFooter("win ", vhdTypeFixed, mib, 1, 1, 1)), VHD, mib, ""},
		{"vhd differencing", vhdDynamic(vhdFooter("win ", 4, mib, 1, 1, 1)), VHD, mib, "disk type 4"},
		{"vhd truncated", []byte("conectix"), VHD, 0, "truncated"},

		// VHDX
		{"vhdx", vhdxSpec{size: 64 * mib}.bytes(), VHDX, 64 * mib, ""},
		{"vhdx has parent", vhdxSpec{size: mib, hasParent: true}.bytes(), VHDX, 0, "parent image"},
		{"vhdx parent locator", vhdxSpec{size: mib, parentLocator: true}.bytes(), VHDX, 0, "parent image"},
		{"vhdx without region table", at(zeros(256<<10), 0, []byte("vhdxfile")), VHDX, 0, "region table"},
		{"vhdx identifier only", []byte("vhdxfile"), VHDX, 0, "region table"},
		{"vhdx region count too big", at(vhdxSpec{size: mib}.bytes(), vhdxRegionTable+8, le.AppendUint32(nil, 5000)), VHDX, 0, "2047"},
		{"vhdx metadata past the end", at(vhdxSpec{size: mib}.bytes(), vhdxRegionTable+64, le.AppendUint64(nil, 1<<62)), VHDX, 0, "past the end"},
		{"vhdx metadata count too big", at(vhdxSpec{size: mib}.bytes(), vhdxRegionTable+4096+10, le.AppendUint16(nil, 0xffff)), VHDX, 0, "2047"},
		{"vhdx size item past the end", at(vhdxSpec{size: mib}.bytes(), vhdxRegionTable+4096+32+32+16, le.AppendUint32(nil, 0xffffffff)), VHDX, 0, "past the end"},

		// VDI
		{"vdi dynamic", vdiImage(64*mib, vdiTypeDynamic), VDI, 64 * mib, ""},
		{"vdi static", vdiImage(mib, vdiTypeStatic), VDI, mib, ""},
		{"vdi differencing", vdiImage(mib, 4), VDI, mib, "image type 4"},
		{"vdi truncated", vdiImage(mib, 1)[:0x100], VDI, 0, "truncated"},

		// ISO and partition tables
		{"iso", isoImage(nil, 300, "PVD", "TERM"), ISO, 300 * isoSector, ""},
		{"iso hybrid with MBR", isoImage(mbrImage(mbrEntry{boot: 0x80, typ: 0x17, lba: 0, n: 600}), 300, "PVD", "TERM"), ISO, 300 * isoSector, ""},
		{"iso with UDF bridge", isoImage(nil, 10, "PVD", "TERM", "BEA01", "NSR02", "TEA01"), ISO, 10 * isoSector, ""},
		{"udf only", isoImage(nil, 0, "BEA01", "NSR03", "TEA01"), ISO, 0, ""},
		{"gpt", mbrImage(protectiveMBR), GPT, 4096, ""},
		{"mbr", mbrImage(mbrEntry{boot: 0x80, typ: 0x83, lba: 2048, n: 4096}), GPT, 4096, ""},
		{"mbr without partitions", mbrImage(), GPT, 4096, "no partitions"},
		{"mbr bad boot flag", mbrImage(mbrEntry{boot: 0x12, typ: 0x83}), GPT, 4096, "boot flag"},
		{"gpt bad start", mbrImage(mbrEntry{typ: mbrTypeGPT, lba: 2}), GPT, 4096, "LBA 1"},
		{"gpt extra partition", mbrImage(protectiveMBR, mbrEntry{typ: 0x83}), GPT, 4096, "other partitions"},

		// LUKS and QED
		{"luks1", luksImage(1, 4096, 4*mib), LUKS, 2 * mib, ""},
		{"luks2", luksImage(2, 0, 4096), LUKS, 0, "version 2"},
		{"luks payload past the end", luksImage(1, 1<<30, 4096), LUKS, 0, "past the end"},
		{"qed", qedImage(mib), QED, mib, "not allowed"},

		// polyglots
		{"qcow2 and iso", at(qcow2v3(mib).bytes(), isoFirstVD*isoSector, isoImage(nil, 1, "PVD")[isoFirstVD*isoSector:]), "iso+qcow2", 0, "more than one format"},
		{"qcow2 with a VHD footer", cat(qcow2v3(mib).bytes(), vhdFooter("win ", vhdTypeFixed, mib, 1, 1, 1)), "qcow2+vhd", 0, "more than one format"},
		{"vmdk with an MBR", at(vmdkSparse(8, ms), 510, le.AppendUint16(nil, mbrSignature)), "gpt+vmdk", 0, "more than one format"},
	}
}

func TestInspectSynthetic(t *testing.T) {
	for _, tc := range syntheticCases() {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Inspect(bytes.NewReader(tc.img), int64(len(tc.img)))
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			assertInfo(t, info, tc.format, tc.size, tc.unsafe)
		})
	}
}

func assertInfo(t *testing.T, info Info, format string, size int64, unsafe string) {
	t.Helper()
	if info.Format != format {
		t.Errorf("Format = %q, want %q (unsafe: %q)", info.Format, format, info.Unsafe)
	}
	if size != 0 && info.VirtualSize != size {
		t.Errorf("VirtualSize = %d, want %d", info.VirtualSize, size)
	}
	err := info.Check()
	switch {
	case unsafe == "" && err != nil:
		t.Errorf("Check() = %v, want nil", err)
	case unsafe != "" && (err == nil || !strings.Contains(info.Unsafe, unsafe)):
		t.Errorf("Check() = %v, want an error containing %q", err, unsafe)
	}
	var ue *UnsafeError
	if err != nil && (!errors.As(err, &ue) || ue.Format != info.Format) {
		t.Errorf("Check() = %#v, want an *UnsafeError for %s", err, info.Format)
	}
}

type failingReader struct{ err error }

func (r failingReader) ReadAt([]byte, int64) (int, error) { return 0, r.err }

func TestInspectReaderErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	tests := []struct {
		name string
		r    io.ReaderAt
		size int64
		want error
	}{
		{"reader fails", failingReader{boom}, 1 << 20, boom},
		{"image shorter than its size", bytes.NewReader(zeros(100)), 1 << 20, io.ErrUnexpectedEOF},
		{"short past the head", bytes.NewReader(zeros(8192)), 1 << 30, io.ErrUnexpectedEOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Inspect(tc.r, tc.size); !errors.Is(err, tc.want) {
				t.Fatalf("Inspect error = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := Inspect(bytes.NewReader(nil), -1); err == nil {
		t.Fatal("Inspect with a negative size succeeded")
	}
}

func TestGUIDBytes(t *testing.T) {
	// The metadata region GUID as it sits in a qemu-img-made VHDX.
	want := []byte{0x06, 0xa2, 0x7c, 0x8b, 0x90, 0x47, 0x9a, 0x4b, 0xb8, 0xfe, 0x57, 0x5f, 0x05, 0x0f, 0x88, 0x6e}
	if !bytes.Equal(guidMetadataRegion, want) {
		t.Fatalf("guid = % x, want % x", guidMetadataRegion, want)
	}
}
