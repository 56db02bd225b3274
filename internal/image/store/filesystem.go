package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// Filesystem stores each image as one file named by its key under Dir.
// Staged blobs live in Dir/staging, on the same filesystem, so committing
// is a rename.
type Filesystem struct {
	Dir string
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$`)

// NewFilesystem prepares dir and removes blobs a crash left staged.
func NewFilesystem(dir string) (*Filesystem, error) {
	staging := filepath.Join(dir, "staging")
	if err := os.RemoveAll(staging); err != nil {
		return nil, fmt.Errorf("image store: %w", err)
	}
	if err := os.MkdirAll(staging, 0o700); err != nil {
		return nil, fmt.Errorf("image store: %w", err)
	}
	return &Filesystem{Dir: dir}, nil
}

// ID is the store's name in the stores API.
func (fs *Filesystem) ID() string { return "file" }

func (fs *Filesystem) path(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", fmt.Errorf("image store: invalid key %q", key)
	}
	return filepath.Join(fs.Dir, key), nil
}

// Create stages a new blob.
func (fs *Filesystem) Create(_ context.Context) (Blob, error) {
	f, err := os.CreateTemp(filepath.Join(fs.Dir, "staging"), "blob-*")
	if err != nil {
		return nil, fmt.Errorf("image store: %w", err)
	}
	return &fileBlob{fs: fs, f: f}, nil
}

// Open opens the data under key.
func (fs *Filesystem) Open(_ context.Context, key string) (Data, error) {
	p, err := fs.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("image store: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("image store: %w", err)
	}
	return &fileData{File: f, size: st.Size()}, nil
}

// Delete removes the data under key.
func (fs *Filesystem) Delete(_ context.Context, key string) error {
	p, err := fs.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("image store: %w", err)
	}
	return nil
}

type fileBlob struct {
	fs *Filesystem
	f  *os.File
}

func (b *fileBlob) Write(p []byte) (int, error)             { return b.f.Write(p) }
func (b *fileBlob) ReadAt(p []byte, off int64) (int, error) { return b.f.ReadAt(p, off) }

// Commit fsyncs the file, renames it into place and fsyncs the directory.
func (b *fileBlob) Commit(key string) error {
	dst, err := b.fs.path(key)
	if err != nil {
		b.Abort()
		return err
	}
	if err := b.f.Sync(); err != nil {
		b.Abort()
		return fmt.Errorf("image store: %w", err)
	}
	if err := b.f.Close(); err != nil {
		os.Remove(b.f.Name())
		return fmt.Errorf("image store: %w", err)
	}
	if err := os.Rename(b.f.Name(), dst); err != nil {
		os.Remove(b.f.Name())
		return fmt.Errorf("image store: %w", err)
	}
	return syncDir(b.fs.Dir)
}

// Abort removes the staged file.
func (b *fileBlob) Abort() error {
	b.f.Close()
	if err := os.Remove(b.f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("image store: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("image store: %w", err)
	}
	return nil
}

type fileData struct {
	*os.File
	size int64
}

func (d *fileData) Size() int64 { return d.size }

// OSFile is the open file, so that a server can send it with sendfile.
func (d *fileData) OSFile() *os.File { return d.File }
