package store

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound means no data is stored under the key.
var ErrNotFound = errors.New("image data not found")

// Store keeps image data by key.
type Store interface {
	// ID names the store as Glance's stores API shows it (e.g. "file").
	ID() string
	// Create starts a staged blob; nothing is visible until Commit.
	Create(ctx context.Context) (Blob, error)
	// Open reads the data stored under key.
	Open(ctx context.Context, key string) (Data, error)
	// Delete removes the data under key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Blob is data being written. Write appends; ReadAt reads what was written
// so far (to inspect it before committing). Exactly one of Commit and Abort
// ends it.
type Blob interface {
	io.Writer
	io.ReaderAt
	// Commit makes the data durable and visible under key, atomically.
	Commit(key string) error
	// Abort discards the data.
	Abort() error
}

// Data is stored data being read.
type Data interface {
	io.ReadSeekCloser
	io.ReaderAt
	Size() int64
}
