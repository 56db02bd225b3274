package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The image metadata proxy (removed at 2.39): an image's properties.

// imageMetaGone refuses the image metadata proxy from 2.39 as Nova does.
func imageMetaGone(r *http.Request) error {
	if version(r).AtLeast(39) {
		return errs.NotFoundf("The resource could not be found.")
	}
	return nil
}

// metadataImage is the image whose metadata a request reads.
func (s *Service) metadataImage(r *http.Request) (*ImageMeta, error) {
	if err := imageMetaGone(r); err != nil {
		return nil, err
	}
	img, err := s.proxiedImage(r, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if img.Properties == nil {
		img.Properties = map[string]string{}
	}
	return img, nil
}

// listImageMetadata is GET /images/{id}/metadata.
func (s *Service) listImageMetadata(w http.ResponseWriter, r *http.Request) error {
	img, err := s.metadataImage(r)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"metadata": img.Properties})
}

// showImageMetadata is GET /images/{id}/metadata/{key}.
func (s *Service) showImageMetadata(w http.ResponseWriter, r *http.Request) error {
	img, err := s.metadataImage(r)
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	v, ok := img.Properties[key]
	if !ok {
		return errs.NotFoundf("The resource could not be found.")
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"meta": map[string]string{key: v}})
}

// createImageMetadata is POST /images/{id}/metadata (merge).
func (s *Service) createImageMetadata(w http.ResponseWriter, r *http.Request) error {
	return s.writeImageMetadata(w, r, false)
}

// replaceImageMetadata is PUT /images/{id}/metadata (replace all).
func (s *Service) replaceImageMetadata(w http.ResponseWriter, r *http.Request) error {
	return s.writeImageMetadata(w, r, true)
}

func (s *Service) writeImageMetadata(w http.ResponseWriter, r *http.Request, replace bool) error {
	if err := imageMetaGone(r); err != nil {
		return err
	}
	in, err := metadataBody(r, "metadata")
	if err != nil {
		return err
	}
	img, err := s.metadataImage(r)
	if err != nil {
		return err
	}
	after := map[string]string{}
	var remove []string
	for k, v := range img.Properties {
		if _, kept := in[k]; replace && !kept {
			remove = append(remove, k)
		} else if !replace {
			after[k] = v
		}
	}
	for k, v := range in {
		after[k] = v
	}
	if err := s.setImageProperties(r, img, after, in, remove); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"metadata": after})
}

// updateImageMetadataItem is PUT /images/{id}/metadata/{key}.
func (s *Service) updateImageMetadataItem(w http.ResponseWriter, r *http.Request) error {
	if err := imageMetaGone(r); err != nil {
		return err
	}
	in, err := metadataBody(r, "meta")
	if err != nil {
		return err
	}
	if len(in) != 1 {
		why := "{} does not have enough properties"
		if len(in) > 1 {
			why = "has too many properties"
		}
		return invalidInput("meta", in, why)
	}
	key := r.PathValue("key")
	if _, ok := in[key]; !ok {
		return errs.BadRequestf("Request body and URI mismatch")
	}
	img, err := s.metadataImage(r)
	if err != nil {
		return err
	}
	after := map[string]string{}
	for k, v := range img.Properties {
		after[k] = v
	}
	after[key] = in[key]
	if err := s.setImageProperties(r, img, after, in, nil); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"meta": in})
}

// deleteImageMetadataItem is DELETE /images/{id}/metadata/{key}.
func (s *Service) deleteImageMetadataItem(w http.ResponseWriter, r *http.Request) error {
	img, err := s.metadataImage(r)
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	if _, ok := img.Properties[key]; !ok {
		return errs.NotFoundf("Invalid metadata key")
	}
	if err := s.setImageProperties(r, img, nil, nil, []string{key}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// setImageProperties checks the compute metadata_items quota against the
// properties the image will have (after; nil skips it, as a removal),
// then the caller's right to change the image, and stores the change.
func (s *Service) setImageProperties(r *http.Request, img *ImageMeta, after, set map[string]string, remove []string) error {
	if len(after) > 0 {
		var limit int
		err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
			limit, err = quotaLimit(tx, projectOf(r), "metadata_items")
			return err
		})
		if err != nil {
			return err
		}
		if limit >= 0 && len(after) > limit {
			return errs.Forbiddenf("Image metadata limit exceeded")
		}
	}
	if !s.isAdmin(r) && img.Owner != projectOf(r) {
		return errs.Forbiddenf("Not authorized for image %s.", img.ID)
	}
	err := s.opts.Images.UpdateProperties(r.Context(), img.ID, set, remove)
	if errs.Is(err, errs.NotFound) {
		return imageNotFoundProxy()
	}
	return err
}
