package format

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// countingReader counts what Inspect reads and fails the test on any read
// outside [0, size) or larger than maxRegion.
type countingReader struct {
	t     testing.TB
	r     io.ReaderAt
	size  int64
	bytes atomic.Int64
	calls atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || int64(len(p)) > maxRegion || off+int64(len(p)) > c.size {
		c.t.Errorf("ReadAt(len %d, off %d) outside a %d-byte image", len(p), off, c.size)
	}
	c.bytes.Add(int64(len(p)))
	c.calls.Add(1)
	return c.r.ReadAt(p, off)
}

func inspectBytes(t testing.TB, img []byte) Info {
	t.Helper()
	info, err := Inspect(&countingReader{t: t, r: bytes.NewReader(img), size: int64(len(img))}, int64(len(img)))
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return info
}

// sparseImage writes head at the start of a sparse file of size bytes.
func sparseImage(t testing.TB, size int64, head []byte) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "disk"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.Write(head); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestInspectReadsLittle: inspecting a 1 GiB image reads a few KiB.
func TestInspectReadsLittle(t *testing.T) {
	tests := []struct {
		name   string
		head   []byte
		format string
	}{
		{"raw", nil, Raw},
		{"qcow2", qcow2v3(100 * gib).bytes(), QCOW2},
		{"vmdk", vmdkSparse(1<<21, sparseDescriptor("monolithicSparse", `RW 2097152 SPARSE "d.vmdk"`)), VMDK},
		{"vhdx", vhdxSpec{size: gib}.bytes(), VHDX},
		{"text", []byte(strings.Repeat("not a descriptor\n", 1000)), Raw},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := sparseImage(t, gib, tc.head)
			c := &countingReader{t: t, r: f, size: gib}
			info, err := Inspect(c, gib)
			if err != nil || info.Format != tc.format || info.Unsafe != "" {
				t.Fatalf("Inspect = %+v, %v; want safe %s", info, err, tc.format)
			}
			const budget = 128 << 10
			if c.bytes.Load() > budget {
				t.Errorf("read %d bytes in %d calls, want at most %d", c.bytes.Load(), c.calls.Load(), budget)
			}
			t.Logf("%s: read %d bytes in %d calls", tc.name, c.bytes.Load(), c.calls.Load())
		})
	}
}

func BenchmarkInspect1GiBSparse(b *testing.B) {
	for _, bc := range []struct {
		name string
		head []byte
	}{
		{"raw", nil},
		{"qcow2", qcow2v3(gib).bytes()},
		{"vmdk", vmdkSparse(1<<21, sparseDescriptor("monolithicSparse", `RW 2097152 SPARSE "d.vmdk"`))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			f := sparseImage(b, gib, bc.head)
			c := &countingReader{t: b, r: f, size: gib}
			for b.Loop() {
				if _, err := Inspect(c, gib); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.bytes.Load())/float64(b.N), "read-B/op")
			b.ReportMetric(float64(c.calls.Load())/float64(b.N), "reads/op")
		})
	}
}
