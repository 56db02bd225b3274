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

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/image/format"
	"github.com/monostack/monostack/internal/image/store"
)

// uploadImage is PUT /v2/images/{id}/file: the body streams into a staged
// blob while it is hashed; the blob is inspected and committed only when
// whole and safe, then the image turns active. Any failure kills the image
// and removes the partial data.
func (s *Service) uploadImage(w http.ResponseWriter, r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/octet-stream" {
		return errs.New(errs.UnsupportedMediaType, "The request has a Content-Type of %s but only application/octet-stream is supported.", r.Header.Get("Content-Type"))
	}
	id := r.PathValue("image_id")
	im, err := s.beginUpload(r, id)
	if err != nil {
		return err
	}
	up, err := s.receive(r.Context(), r.Body, im)
	if err != nil {
		s.kill(im.ID)
		return err
	}
	if err := s.finishUpload(r.Context(), im.ID, up); err != nil {
		s.kill(im.ID)
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// beginUpload checks the caller may upload and moves queued to saving.
func (s *Service) beginUpload(r *http.Request, id string) (*image, error) {
	var im *image
	err := s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if im, err = s.loadVisible(r, tx, id); err != nil {
			return err
		}
		if err := s.enforce(r, "upload_image", s.target(r, im)); err != nil {
			return err
		}
		if err := s.mutable(r, im); err != nil {
			return err
		}
		if im.Status != statusQueued {
			return errs.Conflictf("Image status transition from %s to saving is not allowed", im.Status)
		}
		im.Status, im.UpdatedAt = statusSaving, s.now()
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

// receive streams body into a blob (never more than the size cap), then
// inspects it against the image's disk_format.
func (s *Service) receive(ctx context.Context, body io.Reader, im *image) (*upload, error) {
	blob, err := s.store.Create(ctx)
	if err != nil {
		return nil, err
	}
	md, sh := md5.New(), sha512.New()
	limited := &io.LimitedReader{R: body, N: s.opts.ImageSizeCap + 1}
	n, err := io.Copy(io.MultiWriter(blob, md, sh), limited)
	if err == nil && n > s.opts.ImageSizeCap {
		err = errs.New(errs.TooLarge, "Image exceeds the storage quota: The size of the data %d will exceed the limit. %d bytes remaining.", n, s.opts.ImageSizeCap)
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
	if declared != "" && !format.Matches(declared, info) {
		return errs.BadRequestf("Image disk_format %s does not match the image data (detected %s).", declared, info.Format)
	}
	up.virtualSize = info.VirtualSize
	return nil
}

func uploadError(err error) error {
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	return errs.BadRequestf("Error in store while receiving the image data: %s", err)
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// finishUpload commits the blob under the image id and activates the
// image, unless it was deleted meanwhile.
func (s *Service) finishUpload(ctx context.Context, id string, up *upload) error {
	if err := up.blob.Commit(id); err != nil {
		return err
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		n, err := tx.ExecAffected(`UPDATE image_images SET status = ?, size = ?, virtual_size = ?, checksum = ?, os_hash_algo = ?,
			os_hash_value = ?, store_key = ?, updated_at = ? WHERE id = ? AND status = ?`,
			statusActive, up.size, nullZero(up.virtualSize), up.md5, "sha512", up.sha512, id, s.now().UnixMicro(), id, statusSaving)
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

// kill marks a failed upload's image killed, as upstream.
func (s *Service) kill(id string) {
	err := s.db.Write(context.Background(), func(tx *db.Tx) error {
		_, err := tx.Exec("UPDATE image_images SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
			statusKilled, s.now().UnixMicro(), id, statusSaving)
		return err
	})
	if err != nil {
		s.log.Error("could not mark image killed", "image", id, "error", err)
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
	http.ServeContent(w, r, "", im.UpdatedAt, data)
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
