package image

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// addTag is PUT /v2/images/{image_id}/tags/{tag_value}; adding a tag the
// image has is a success.
func (s *Service) addTag(w http.ResponseWriter, r *http.Request) error {
	id, tag, err := tagPath(r)
	if err != nil {
		return err
	}
	if err := checkTag(tag); err != nil {
		return err
	}
	return s.changeTags(w, r, id, "update", func(tx *db.Tx, im *image) error {
		present := slices.Contains(im.Tags, tag)
		n := len(im.Tags)
		if !present {
			n++
		}
		if err := s.checkTagQuota(n); err != nil {
			return errs.New(errs.TooLarge, "Image tag limit exceeded for image %s: %s:", id, errs.As(err).Message)
		}
		if present {
			return nil
		}
		_, err := tx.Exec("INSERT INTO image_tags (image_id, value) VALUES (?, ?)", id, tag)
		return err
	})
}

// deleteTag is DELETE /v2/images/{image_id}/tags/{tag_value}.
func (s *Service) deleteTag(w http.ResponseWriter, r *http.Request) error {
	id, tag, err := tagPath(r)
	if err != nil {
		return err
	}
	return s.changeTags(w, r, id, "delete", func(tx *db.Tx, im *image) error {
		if !slices.Contains(im.Tags, tag) {
			return errs.NotFoundf("The resource could not be found.")
		}
		_, err := tx.Exec("DELETE FROM image_tags WHERE image_id = ? AND value = ?", id, tag)
		return err
	})
}

// changeTags makes change to image id's tags in one transaction, marks the
// image updated and answers 204; verb names the change in refusals.
func (s *Service) changeTags(w http.ResponseWriter, r *http.Request, id, verb string, change func(*db.Tx, *image) error) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		im, err := s.loadForTags(r, tx, id, verb)
		if err != nil {
			return err
		}
		if err := change(tx, im); err != nil {
			return err
		}
		return s.touch(tx, id)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tagPath is the image id and tag of a tags URL. Glance routes the decoded
// path, so an escaped "/" in the tag matches no route.
func tagPath(r *http.Request) (id, tag string, err error) {
	id, tag = r.PathValue("image_id"), r.PathValue("tag_value")
	if strings.Contains(tag, "/") {
		return "", "", errs.NotFoundf("The resource could not be found.")
	}
	return id, tag, nil
}

// checkTag validates a tag as the image schema's tags items.
func checkTag(tag string) error {
	raw, _ := json.Marshal([]string{tag})
	_, err := parseTags(raw)
	return err
}

// loadForTags loads an image whose tags the caller may change; verb names
// the change in the refusal, as upstream's tags controller does.
func (s *Service) loadForTags(r *http.Request, tx *db.Tx, id, verb string) (*image, error) {
	im, err := s.namedImage(r, tx)
	if err != nil {
		return nil, err
	}
	if err := s.enforce(r, "modify_image", s.target(r, im)); err != nil {
		return nil, err
	}
	if s.mutable(r, im) != nil {
		return nil, errs.Forbiddenf("Not allowed to %s tags for image %s.", verb, id)
	}
	return im, nil
}

// checkTagQuota is Glance's image_tag_quota.
func (s *Service) checkTagQuota(n int) error {
	if limit := perImageQuota(s.opts.ImageTagQuota); limit >= 0 && n > limit {
		return errs.New(errs.TooLarge, "The limit has been exceeded on the number of allowed image tags. Attempted: %d, Maximum: %d", n, limit)
	}
	return nil
}

// checkTagListQuota is image_tag_quota on a tags value as sent, where
// duplicates count as upstream counts them.
func (s *Service) checkTagListQuota(raw json.RawMessage) error {
	var tags []json.RawMessage
	_ = json.Unmarshal(raw, &tags)
	return s.checkTagQuota(len(tags))
}

// touch marks an image updated now.
func (s *Service) touch(tx *db.Tx, id string) error {
	_, err := tx.Exec("UPDATE image_images SET updated_at = ? WHERE id = ?", s.now().UnixMicro(), id)
	return err
}
