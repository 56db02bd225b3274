package image

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/pyrepr"
)

// createImage is POST /v2/images: a queued image with no data yet.
func (s *Service) createImage(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(r)
	if err != nil {
		return err
	}
	im, err := s.newImage(r, body)
	if err != nil {
		return err
	}
	target := s.target(r, im)
	if err := s.enforce(r, "add_image", target); err != nil {
		if im.owner() != projectOf(r) {
			return errs.Forbiddenf("You are not permitted to create images owned by '%s'", im.owner())
		}
		return err
	}
	if err := s.enforceVisibility(r, im.Visibility, target); err != nil {
		return err
	}
	if !s.isAdmin(r) && im.owner() != projectOf(r) {
		return errs.Forbiddenf("You are not permitted to create images owned by '%s'.", im.owner())
	}
	if err := s.db.Write(r.Context(), func(tx *db.Tx) error { return s.insertNew(tx, im, projectOf(r), body["tags"]) }); err != nil {
		return err
	}
	w.Header().Set("Location", s.baseURL(r)+"/v2/images/"+im.ID)
	s.importMethodsHeader(w)
	return httpx.WriteJSON(w, http.StatusCreated, s.view(im))
}

// newImage builds a queued image from a create body.
func (s *Service) newImage(r *http.Request, body map[string]json.RawMessage) (*image, error) {
	for _, k := range disallowed {
		if _, ok := body[k]; ok {
			return nil, errs.Forbiddenf("Attribute '%s' is read-only.", k)
		}
	}
	now := s.now()
	project := projectOf(r)
	im := &image{ID: s.newID(), Status: statusQueued, Visibility: "shared", CreatedAt: now, UpdatedAt: now,
		Props: map[string]string{}, Tags: []string{}}
	if project != "" {
		im.Owner = &project
	}
	if raw, ok := body["id"]; ok {
		var id string
		if err := json.Unmarshal(raw, &id); err != nil || !uuidPattern.MatchString(id) {
			return nil, schemaError("%s does not match %s", pyRepr(raw), pyrepr.String(uuidPattern.String()))
		}
		im.ID = id
		delete(body, "id")
	}
	for _, k := range sortedKeys(body) {
		if slices.Contains(readOnly, k) {
			return nil, errs.Forbiddenf("Attribute '%s' is read-only.", k)
		}
		if err := applyChecked(im, k, body[k]); err != nil {
			return nil, err
		}
	}
	return im, nil
}

// insertNew stores a new image after Glance's checks at that point, in its
// order: the project's image count, the tags as sent (duplicates count),
// then checkStored, which a PATCH passes too.
func (s *Service) insertNew(tx *db.Tx, im *image, project string, tags json.RawMessage) error {
	if err := s.checkImageCount(tx, project); err != nil {
		return err
	}
	if err := s.checkTagListQuota(tags); err != nil {
		return err
	}
	if err := s.checkStored(nil, im); err != nil {
		return err
	}
	return insertImage(tx, im)
}

// enforceVisibility is Glance's _enforce_image_visibility: making an image
// public or community needs its own rule.
func (s *Service) enforceVisibility(r *http.Request, visibility string, target map[string]any) error {
	switch visibility {
	case "public":
		return s.enforce(r, "publicize_image", target)
	case "community":
		return s.enforce(r, "communitize_image", target)
	}
	return nil
}

// loadVisible loads an image the caller may see; others are a 404.
func (s *Service) loadVisible(r *http.Request, tx *db.Tx, id string) (*image, error) {
	im, err := loadImage(tx, id)
	if err != nil {
		return nil, err
	}
	member, err := isMember(tx, im.ID, projectOf(r))
	if err != nil {
		return nil, err
	}
	if !s.canSee(r, im, member) {
		return nil, imageNotFound(id)
	}
	return im, nil
}

// namedImage loads the request's image as the members and tags
// controllers do: one the caller cannot see is "Image %s not found.".
func (s *Service) namedImage(r *http.Request, tx *db.Tx) (*image, error) {
	id := r.PathValue("image_id")
	im, err := s.loadVisible(r, tx, id)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.NotFoundf("Image %s not found.", id)
	}
	return im, err
}

// isMember reports whether project is a member of the image, whatever
// its member status.
func isMember(tx *db.Tx, imageID, project string) (bool, error) {
	if project == "" {
		return false, nil
	}
	return tx.Exists("SELECT 1 FROM image_members WHERE image_id = ? AND member = ?", imageID, project)
}

// readImage loads the request's image, which the caller must see, and
// checks rule on it.
func (s *Service) readImage(r *http.Request, rule string) (*image, error) {
	var im *image
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		im, err = s.loadVisible(r, tx, r.PathValue("image_id"))
		return err
	})
	if err != nil {
		return nil, err
	}
	return im, s.enforce(r, rule, s.target(r, im))
}

func (s *Service) showImage(w http.ResponseWriter, r *http.Request) error {
	im, err := s.readImage(r, "get_image")
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.view(im))
}

func (s *Service) deleteImage(w http.ResponseWriter, r *http.Request) error {
	var key string
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		im, err := s.loadVisible(r, tx, r.PathValue("image_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "delete_image", s.target(r, im)); err != nil {
			return err
		}
		if err := s.mutable(r, im); err != nil {
			return err
		}
		if im.Protected {
			return errs.Forbiddenf("Image %s is protected and cannot be deleted.", im.ID)
		}
		key = im.StoreKey
		_, err = tx.Exec("DELETE FROM image_images WHERE id = ?", im.ID)
		return err
	})
	if err != nil {
		return err
	}
	if key != "" {
		if err := s.store.Delete(r.Context(), key); err != nil {
			s.log.Warn("image data left in the store", "key", key, "error", err)
		}
	}
	s.dropStaged(r.Context(), r.PathValue("image_id"))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readObject reads a JSON object body.
func readObject(r *http.Request) (map[string]json.RawMessage, error) {
	b, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(b, &body); err != nil || body == nil {
		return nil, errs.BadRequestf("Malformed JSON in request body.")
	}
	return body, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
