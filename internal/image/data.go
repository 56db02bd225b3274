package image

import (
	"context"
	"crypto/md5"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"mime"
	"net/http"
	"os"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/image/format"
	"github.com/monostack/monostack/internal/image/store"
)

// uploadImage is PUT /v2/images/{id}/file: the body streams into a staged
// blob while it is hashed; the blob is inspected and committed only when
// whole and safe, then the image turns active. Any failure removes the
// partial data and kills the image (queues it again when over quota).
func (s *Service) uploadImage(w http.ResponseWriter, r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/octet-stream" {
		return errs.New(errs.UnsupportedMediaType, "The request has a Content-Type of %s but only application/octet-stream is supported.", r.Header.Get("Content-Type"))
	}
	id := r.PathValue("image_id")
	im, err := s.beginData(r, id, "upload_image", statusSaving)
	if err != nil {
		return err
	}
	project := projectOf(r)
	up, err := s.receive(r.Context(), r.Body, im, project, r.ContentLength)
	if err == nil {
		err = s.activate(r.Context(), im.ID, statusSaving, up, func(tx *db.Tx) error {
			return s.recheckQuota(tx, project, im.ID, up.size)
		})
	}
	if err != nil {
		s.failUpload(im.ID, err)
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// beginData checks the caller may bring data under rule (upload_image;
// modify_image for a stage) and moves queued to status to.
func (s *Service) beginData(r *http.Request, id, rule, to string) (*image, error) {
	var im *image
	err := s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if im, err = s.loadVisible(r, tx, id); err != nil {
			return err
		}
		if err := s.enforce(r, rule, s.target(r, im)); err != nil {
			return err
		}
		if err := s.mutable(r, im); err != nil {
			return err
		}
		if im.Status != statusQueued {
			return errs.Conflictf("Image status transition from %s to %s is not allowed", im.Status, to)
		}
		im.Status, im.UpdatedAt = to, s.now()
		_, err = tx.Exec("UPDATE image_images SET status = ?, updated_at = ? WHERE id = ?", im.Status, im.UpdatedAt.UnixMicro(), id)
		return err
	})
	return im, err
}

// upload is what receive learned of the data.
type upload struct {
	blob        store.Blob
	size        int64
	md5, sha512 string
	virtualSize int64
}

// receive streams body into a blob (never more than the size cap or the
// room left in project's storage quota, see limitFor), then inspects it
// against the image's disk_format.
func (s *Service) receive(ctx context.Context, body io.Reader, im *image, project string, declared int64) (*upload, error) {
	lim, err := s.limitFor(ctx, im, project, declared)
	if err != nil {
		return nil, err
	}
	blob, err := s.store.Create(ctx)
	if err != nil {
		return nil, err
	}
	md, sh := md5.New(), sha512.New()
	fan := newFanout(blob, md, sh)
	n, err := lim.copy(fan, body)
	if cerr := fan.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = blob.Abort()
		return nil, uploadError(err)
	}
	up := &upload{blob: blob, size: n, md5: hexSum(md), sha512: hexSum(sh)}
	if err := s.inspect(im, up); err != nil {
		_ = blob.Abort()
		return nil, err
	}
	return up, nil
}

// inspect refuses unsafe data and data whose real format is not the
// declared disk_format.
func (s *Service) inspect(im *image, up *upload) error {
	info, err := format.Inspect(up.blob, up.size)
	if err != nil {
		return err
	}
	if err := info.Check(); err != nil {
		return errs.BadRequestf("Image check failed: %s", err)
	}
	declared := ""
	if im.DiskFormat != nil {
		declared = *im.DiskFormat
	}
	if declared == "" || format.Matches(declared, info) {
		up.virtualSize = info.VirtualSize
		return nil
	}
	// Data in no recognised format is accepted under any disk_format (a
	// hypervisor cannot be led outside it; Tempest uploads random bytes as
	// vhd or vmdk); data in a real format must be declared as that format.
	if info.Format == format.Raw {
		return nil
	}
	return errs.BadRequestf("Image disk_format %s does not match the image data (detected %s).", declared, info.Format)
}

func uploadError(err error) error {
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	return errs.BadRequestf("Error in store while receiving the image data: %s", err)
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// activate commits the blob under the image id and activates the image,
// unless it left status from meanwhile (deleted); within runs first in the
// same transaction and may refuse.
func (s *Service) activate(ctx context.Context, id, from string, up *upload, within func(*db.Tx) error) error {
	if err := up.blob.Commit(id); err != nil {
		return err
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := within(tx); err != nil {
			return err
		}
		n, err := tx.ExecAffected(`UPDATE image_images SET status = ?, size = ?, virtual_size = ?, checksum = ?, os_hash_algo = ?,
			os_hash_value = ?, store_key = ?, updated_at = ? WHERE id = ? AND status = ?`,
			statusActive, up.size, nullZero(up.virtualSize), up.md5, "sha512", up.sha512, id, s.now().UnixMicro(), id, from)
		if err == nil && n == 0 {
			return errs.Conflictf("Image %s was deleted or changed during the upload.", id)
		}
		return err
	})
	if err != nil {
		_ = s.store.Delete(ctx, id)
	}
	return err
}

func nullZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// failUpload marks a failed upload's image killed; over quota it is
// queued again, as upstream's _restore.
func (s *Service) failUpload(id string, err error) {
	to := statusKilled
	if errs.Is(err, errs.OverLimit) {
		to = statusQueued
	}
	s.moveStatus(id, statusSaving, to)
}

// moveStatus moves an image from status from to status to, if it is still
// in from.
func (s *Service) moveStatus(id, from, to string) {
	err := s.db.Write(context.Background(), func(tx *db.Tx) error {
		_, err := tx.Exec("UPDATE image_images SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
			to, s.now().UnixMicro(), id, from)
		return err
	})
	if err != nil {
		s.log.Error("could not change image status", "image", id, "to", to, "error", err)
	}
}

// downloadImage is GET /v2/images/{id}/file, with Range support.
func (s *Service) downloadImage(w http.ResponseWriter, r *http.Request) error {
	im, err := s.readImage(r, "download_image")
	if err != nil {
		return err
	}
	if im.Status == statusDeactivated && !s.isAdmin(r) {
		return errs.Forbiddenf("The requested image has been deactivated. Image data download is forbidden.")
	}
	if im.StoreKey == "" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	data, err := s.store.Open(r.Context(), im.StoreKey)
	if err != nil {
		return err
	}
	defer data.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	if im.Checksum != nil {
		w.Header().Set("Content-MD5", *im.Checksum)
	}
	var content io.ReadSeeker = data
	if f, ok := data.(interface{ OSFile() *os.File }); ok {
		content = f.OSFile() // lets the server use sendfile
	}
	http.ServeContent(w, r, "", im.UpdatedAt, content)
	return nil
}

// Open gives in-process callers (the compute service) an image's data when
// project may read it. It returns the image's data and its size.
func (s *Service) Open(ctx context.Context, project, id string) (store.Data, error) {
	var im *image
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		if im, err = loadImage(tx, id); err != nil {
			return err
		}
		member, err := isMember(tx, id, project)
		if err != nil {
			return err
		}
		if !(im.owner() == project || im.Visibility == "public" || im.Visibility == "community" || (im.Visibility == "shared" && member)) {
			return imageNotFound(id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if im.Status != statusActive || im.StoreKey == "" {
		return nil, errs.Conflictf("Image %s is not active.", id)
	}
	return s.store.Open(ctx, im.StoreKey)
}
