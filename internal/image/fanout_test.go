package image

import (
	"bytes"
	"crypto/sha512"
	"errors"
	"io"
	"testing"
)

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestFanoutWritesEveryByteInOrder(t *testing.T) {
	data := make([]byte, 3*fanoutChunk+12345)
	for i := range data {
		data[i] = byte(i * 7)
	}
	var a, b bytes.Buffer
	h := sha512.New()
	f := newFanout(&a, &b, h)
	// Odd-sized writes cross chunk boundaries.
	if _, err := io.CopyBuffer(f, bytes.NewReader(data), make([]byte, 70001)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	want := sha512.Sum512(data)
	if !bytes.Equal(a.Bytes(), data) || !bytes.Equal(b.Bytes(), data) || !bytes.Equal(h.Sum(nil), want[:]) {
		t.Fatal("a writer got different data")
	}
}

func TestFanoutReportsAWriterError(t *testing.T) {
	f := newFanout(io.Discard, &failingWriter{after: fanoutChunk})
	_, err := io.Copy(f, bytes.NewReader(make([]byte, 4*fanoutChunk)))
	if err == nil {
		err = f.Close()
	} else {
		_ = f.Close()
	}
	if err == nil || err.Error() != "disk full" {
		t.Fatalf("error: %v", err)
	}
}
