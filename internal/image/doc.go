// Package image is the image service (Glance v2): images and their
// metadata, data upload and download through a store.Store, format
// inspection of every upload (internal/image/format), tags, visibility and
// policy. Handlers follow internal/identity's pattern: decode, load, build
// the policy target, enforce, one transaction, upstream response shape.
// Open gives the compute service image data in-process.
package image
