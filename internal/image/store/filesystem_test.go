package store

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilesystemCommitAbortDelete(t *testing.T) {
	ctx := context.Background()
	fs, err := NewFilesystem(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(b, strings.NewReader("hello image")); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 5)
	if _, err := b.ReadAt(head, 0); err != nil || string(head) != "hello" {
		t.Fatalf("staged data reads back %q, %v", head, err)
	}
	if _, err := fs.Open(ctx, "img1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("data visible before commit: %v", err)
	}
	if err := b.Commit("img1"); err != nil {
		t.Fatal(err)
	}
	d, err := fs.Open(ctx, "img1")
	if err != nil {
		t.Fatal(err)
	}
	all, _ := io.ReadAll(d)
	d.Close()
	if string(all) != "hello image" || d.Size() != 11 {
		t.Fatalf("committed data %q size %d", all, d.Size())
	}

	aborted, _ := fs.Create(ctx)
	_, _ = aborted.Write([]byte("partial"))
	if err := aborted.Abort(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(filepath.Join(fs.Dir, "staging")); len(left) != 0 {
		t.Fatalf("an aborted blob left %d staged files", len(left))
	}
	if err := fs.Delete(ctx, "img1"); err != nil {
		t.Fatal(err)
	}
	if err := fs.Delete(ctx, "img1"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := fs.Open(ctx, "img1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted data still opens: %v", err)
	}
}

func TestFilesystemRemovesStagedBlobsOfACrash(t *testing.T) {
	dir := t.TempDir()
	fs, _ := NewFilesystem(dir)
	b, _ := fs.Create(context.Background())
	_, _ = b.Write([]byte("half an upload"))
	// The process dies here: no Commit, no Abort.
	if _, err := NewFilesystem(dir); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "staging")); len(left) != 0 {
		t.Fatalf("restart left %d staged files", len(left))
	}
}

func TestFilesystemRefusesPathKeys(t *testing.T) {
	fs, _ := NewFilesystem(t.TempDir())
	for _, key := range []string{"../x", "a/b", "", ".hidden", strings.Repeat("k", 300)} {
		if _, err := fs.Open(context.Background(), key); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("key %q: %v", key, err)
		}
	}
}
