package image

import (
	"context"
	"io"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// Per-project quotas. QuotaImages mirrors Keystone's image_count_total
// limit (and its 413 message); QuotaBytes mirrors Glance's
// user_storage_quota: the bytes of a project's images, staged data
// included, checked before data is read, while it streams and again when
// it is committed. Both count against the caller's project (context.owner
// upstream); 0 means unlimited.

// quotaLockClass namespaces the PostgreSQL advisory locks taken here.
const quotaLockClass = 7263802

// lockProjectUsage serialises quota checks of one project until tx ends,
// so two transactions cannot both see room for one more image. SQLite
// writers are serialised already.
func lockProjectUsage(tx *db.Tx, project string) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	_, err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", quotaLockClass, project)
	return err
}

// checkImageCount refuses a new image once project owns QuotaImages
// images; the caller inserts it in the same tx.
func (s *Service) checkImageCount(tx *db.Tx, project string) error {
	if s.opts.QuotaImages <= 0 || project == "" {
		return nil
	}
	if err := lockProjectUsage(tx, project); err != nil {
		return err
	}
	var n int64
	err := tx.QueryRow("SELECT COUNT(*) FROM image_images WHERE owner = ? AND status <> ?", project, statusKilled).Scan(&n)
	if err != nil {
		return err
	}
	if n+1 > s.opts.QuotaImages {
		return overLimit(project, "image_count_total", s.opts.QuotaImages, n, 1)
	}
	return nil
}

// overLimit is Glance's LimitExceeded carrying oslo.limit's
// ProjectOverLimit text.
func overLimit(project, resource string, limit, usage, delta int64) error {
	return errs.New(errs.OverLimit, "The request returned a 413 Request Entity Too Large. This generally means that "+
		"rate limiting or a quota threshold was breached.\n\nThe response body:\nProject %s is over a limit for "+
		"[Resource %s is over limit of %d due to current usage %d and delta %d]", project, resource, limit, usage, delta)
}

// storageUsage is the bytes held by project's images other than exceptID,
// killed ones aside (upstream's user_get_storage_usage).
func storageUsage(tx *db.Tx, project, exceptID string) (int64, error) {
	var n int64
	err := tx.QueryRow("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM image_images WHERE owner = ? AND id <> ? AND status <> ?",
		project, exceptID, statusKilled).Scan(&n)
	return n, err
}

// storageFull is Glance's StorageQuotaFull as the data API reports it.
func storageFull(size any, remaining int64) error {
	return errs.New(errs.OverLimit, "Image exceeds the storage quota: The size of the data %v will exceed the limit. %d bytes remaining.", size, remaining)
}

// storageFullStreaming is the same refusal raised by upstream's
// LimitingReader mid-stream, which builds the exception without arguments:
// its message keeps the unformatted placeholders.
func storageFullStreaming() error {
	return errs.New(errs.OverLimit, "Image exceeds the storage quota: The size of the data %%(image_size)s will exceed the limit. %%(remaining)s bytes remaining.")
}

// dataLimit is how many bytes may arrive for an image and the error once
// more do.
type dataLimit struct {
	max  int64
	over func(n int64) error
}

// copy streams src to dst, reading at most one byte past the limit.
func (l dataLimit) copy(dst io.Writer, src io.Reader) (int64, error) {
	n, err := io.Copy(dst, &io.LimitedReader{R: src, N: l.max + 1})
	if err == nil && n > l.max {
		err = l.over(n)
	}
	return n, err
}

// limitFor is the limit on data for im brought by project: the size cap,
// or less when project's storage quota leaves less room. declared is the
// announced size (0 or -1 when unknown, as webob's content_length or
// None); data that cannot fit is refused before any is read, as upstream's
// check_quota does.
func (s *Service) limitFor(ctx context.Context, im *image, project string, declared int64) (dataLimit, error) {
	capLimit := dataLimit{max: s.opts.ImageSizeCap, over: func(n int64) error {
		return errs.New(errs.TooLarge, "Image exceeds the storage quota: The size of the data %d will exceed the limit. %d bytes remaining.", n, s.opts.ImageSizeCap)
	}}
	if s.opts.QuotaBytes == 0 || project == "" {
		return capLimit, nil
	}
	var used int64
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		used, err = storageUsage(tx, project, im.ID)
		return err
	})
	if err != nil {
		return dataLimit{}, err
	}
	room := s.opts.QuotaBytes - used
	switch {
	case declared <= 0 && room <= 0:
		return dataLimit{}, storageFull("None", room)
	case declared > 0 && declared > room:
		return dataLimit{}, storageFull(declared, room)
	case room >= capLimit.max:
		return capLimit, nil
	}
	return dataLimit{max: room, over: func(int64) error { return storageFullStreaming() }}, nil
}

// recheckQuota refuses, inside the transaction that records them, size
// bytes for image id that no longer fit project's storage quota (parallel
// uploads each saw room before streaming).
func (s *Service) recheckQuota(tx *db.Tx, project, id string, size int64) error {
	if s.opts.QuotaBytes == 0 || project == "" {
		return nil
	}
	if err := lockProjectUsage(tx, project); err != nil {
		return err
	}
	used, err := storageUsage(tx, project, id)
	if err != nil {
		return err
	}
	if room := s.opts.QuotaBytes - used; size > room {
		return storageFull(size, room)
	}
	return nil
}
