// Package store keeps image data. Store is the small interface the image
// service writes and reads through; Filesystem is the store under the state
// directory. Writes are staged and committed atomically (temporary file,
// fsync, rename), so a crash mid-upload never leaves a partial image under
// a key; the object storage and S3 backends will implement the same
// interface.
package store
