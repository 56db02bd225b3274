package image

import (
	"context"
	"io"
	"mime"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// stageKey names an image's staged data in the store until a glance-direct
// import moves it under the image id (Glance's staging store keeps it
// under the image id in its own directory).
func stageKey(id string) string { return id + ".staged" }

// stageImage is PUT /v2/images/{id}/stage: the body streams into a store
// blob (size cap and storage quota as an upload), committed under the
// image's staging key; the image turns uploading (stage has no policy rule
// of its own upstream: modify_image) and shows the staged size.
// A failure removes the partial data and queues the image again, as
// upstream's _unstage.
func (s *Service) stageImage(w http.ResponseWriter, r *http.Request) error {
	if !s.importEnabled(methodGlanceDirect) {
		return errs.NotFoundf("'glance-direct' method is not available at this site.")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/octet-stream" {
		return errs.New(errs.UnsupportedMediaType, "The request media type %s is not supported by this server.", mt)
	}
	im, err := s.beginData(r, r.PathValue("image_id"), "modify_image", statusUploading)
	if err != nil {
		return err
	}
	project := projectOf(r)
	size, err := s.stageData(r.Context(), r.Body, im, project, r.ContentLength)
	if err == nil {
		err = s.finishStage(r.Context(), im, project, size)
	}
	if err != nil {
		s.unstage(im.ID)
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// stageData streams body into a blob within the limits and commits it
// under the staging key; a failure leaves nothing behind.
func (s *Service) stageData(ctx context.Context, body io.Reader, im *image, project string, declared int64) (int64, error) {
	lim, err := s.limitFor(ctx, im, project, declared)
	if err != nil {
		return 0, err
	}
	blob, err := s.store.Create(ctx)
	if err != nil {
		return 0, err
	}
	n, err := lim.copy(blob, body)
	if err != nil {
		_ = blob.Abort()
		return 0, uploadError(err)
	}
	return n, blob.Commit(stageKey(im.ID))
}

// finishStage records the staged size, checking the quota again in the
// same transaction.
func (s *Service) finishStage(ctx context.Context, im *image, project string, size int64) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		if err := s.recheckQuota(tx, project, im.ID, size); err != nil {
			return err
		}
		n, err := tx.ExecAffected("UPDATE image_images SET size = ?, updated_at = ? WHERE id = ? AND status = ?",
			size, s.now().UnixMicro(), im.ID, statusUploading)
		if err == nil && n == 0 {
			return imageNotFound(im.ID)
		}
		return err
	})
}

// unstage removes staged data and queues the image again.
func (s *Service) unstage(id string) {
	s.dropStaged(context.Background(), id)
	s.moveStatus(id, statusUploading, statusQueued)
}

// dropStaged removes an image's staged data, if any.
func (s *Service) dropStaged(ctx context.Context, id string) {
	if err := s.store.Delete(ctx, stageKey(id)); err != nil {
		s.log.Warn("staged image data left in the store", "image", id, "error", err)
	}
}
