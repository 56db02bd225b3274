package image

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// deactivateImage is POST /v2/images/{image_id}/actions/deactivate: an
// active image's data can no longer be downloaded except by admins.
func (s *Service) deactivateImage(w http.ResponseWriter, r *http.Request) error {
	return s.setActivation(w, r, "deactivate", statusActive, statusDeactivated)
}

// reactivateImage is POST /v2/images/{image_id}/actions/reactivate.
func (s *Service) reactivateImage(w http.ResponseWriter, r *http.Request) error {
	return s.setActivation(w, r, "reactivate", statusDeactivated, statusActive)
}

// setActivation moves an image from one status to the other under the
// action's rule; an image already there is left alone.
func (s *Service) setActivation(w http.ResponseWriter, r *http.Request, action, from, to string) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		im, err := s.loadVisible(r, tx, r.PathValue("image_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, action, s.target(r, im)); err != nil {
			return err
		}
		if err := s.mutable(r, im); err != nil {
			return err
		}
		switch im.Status {
		case to:
			return nil
		case from:
			n, err := tx.ExecAffected("UPDATE image_images SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
				to, s.now().UnixMicro(), im.ID, from)
			if err == nil && n == 0 {
				return errs.Conflictf("Image status transition from %s to %s is not allowed", from, to)
			}
			return err
		}
		return errs.Forbiddenf("Not allowed to %s image in status '%s'", action, im.Status)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
