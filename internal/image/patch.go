package image

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// PATCH /v2/images/{image_id}, Glance's JSON-patch update. Decoding
// (patch_decode.go) refuses a bad request before the image is read. The
// changes then apply in order to the image in memory (policy, ownership
// and the domain's rules per change) and are saved together, so a refused
// change saves nothing.

const (
	patchV20 = "application/openstack-images-v2.0-json-patch" // draft 4: {"add": "/path", "value": ...}
	patchV21 = "application/openstack-images-v2.1-json-patch" // draft 10: {"op": "add", "path": "/path", ...}
)

var patchOps = []string{"add", "remove", "replace"}

// baseAttributes are the image attributes a PATCH may set but not remove;
// other names are free-form properties.
var baseAttributes = []string{"name", "visibility", "protected", "os_hidden", "min_disk", "min_ram", "owner",
	"disk_format", "container_format", "tags"}

// imageChange is one decoded operation.
type imageChange struct {
	op     string
	path   []string // the pointer's tokens, unescaped
	value  json.RawMessage
	draft4 bool // the v2.0 media type: add refuses an attribute already present
}

func (c imageChange) root() string { return c.path[0] }

// patchImage is PATCH /v2/images/{image_id}.
func (s *Service) patchImage(w http.ResponseWriter, r *http.Request) error {
	changes, err := decodePatch(w, r)
	if err != nil {
		return err
	}
	var im *image
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if im, err = s.loadVisible(r, tx, r.PathValue("image_id")); err != nil || len(changes) == 0 {
			return err
		}
		before := maps.Clone(im.Props)
		for _, c := range changes {
			if err := s.applyChange(r, im, c); err != nil {
				return err
			}
		}
		if err := s.checkStored(before, im); err != nil {
			return err
		}
		if err := s.checkStillVisible(r, tx, im); err != nil {
			return err
		}
		im.UpdatedAt = s.now()
		return savePatched(tx, im)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.view(im))
}

// applyChange is ImagesController._do_add, _do_replace or _do_remove.
func (s *Service) applyChange(r *http.Request, im *image, c imageChange) error {
	if c.root() == "locations" {
		return s.changeLocations(r, im, c)
	}
	switch c.op {
	case "replace":
		return s.replaceAttribute(r, im, c)
	case "add":
		return s.addAttribute(r, im, c)
	}
	return s.removeAttribute(r, im, c)
}

func (s *Service) replaceAttribute(r *http.Request, im *image, c imageChange) error {
	name := c.root()
	if name == "owner" && !s.isAdmin(r) {
		return withDetail(errs.Forbiddenf("Owner can't be updated by non admin."))
	}
	if err := s.mayChange(r, im, name, c.value); err != nil {
		return err
	}
	if slices.Contains(baseAttributes, name) {
		return s.setAttribute(im, name, c.value)
	}
	if _, ok := im.Props[name]; !ok {
		return withDetail(errs.Conflictf("Property %s does not exist.", name))
	}
	return applyAttribute(im, name, c.value)
}

func (s *Service) addAttribute(r *http.Request, im *image, c imageChange) error {
	name := c.root()
	if err := s.mayChange(r, im, name, c.value); err != nil {
		return err
	}
	_, present := im.Props[name]
	base := slices.Contains(baseAttributes, name)
	if c.draft4 && (base || present) {
		return withDetail(errs.Conflictf("Property %s already present.", name))
	}
	if base {
		return s.setAttribute(im, name, c.value)
	}
	return applyAttribute(im, name, c.value)
}

func (s *Service) removeAttribute(r *http.Request, im *image, c imageChange) error {
	name := c.root()
	if err := s.mayChange(r, im, name, nil); err != nil {
		return err
	}
	if slices.Contains(baseAttributes, name) {
		return withDetail(errs.Forbiddenf("Property %s may not be removed.", name))
	}
	if _, ok := im.Props[name]; !ok {
		return withDetail(errs.Conflictf("Property %s does not exist.", name))
	}
	delete(im.Props, name)
	return nil
}

// mayChange is ImageAPIPolicy.update_property: a visibility change needs
// its own rule, every change modify_image and (legacy) ownership.
func (s *Service) mayChange(r *http.Request, im *image, name string, value json.RawMessage) error {
	if name == "visibility" {
		var v string
		_ = json.Unmarshal(value, &v)
		if err := s.enforceVisibility(r, v, s.target(r, im)); err != nil {
			return err
		}
	}
	if err := s.enforce(r, "modify_image", s.target(r, im)); err != nil {
		return err
	}
	return s.mutable(r, im)
}

// setAttribute sets a base attribute with the domain's rules on top of the
// schema's.
func (s *Service) setAttribute(im *image, name string, value json.RawMessage) error {
	switch name {
	case "disk_format", "container_format":
		if im.Status != statusQueued && im.Status != statusImporting {
			return errs.Forbiddenf("Attribute %s can be only replaced for a queued image.", name)
		}
	case "tags":
		if err := s.checkTagListQuota(value); err != nil {
			return err
		}
	}
	return applyAttribute(im, name, value)
}

// changeLocations answers location changes as Glance does with
// show_multiple_locations off: refused once the change's policy passes.
func (s *Service) changeLocations(r *http.Request, im *image, c imageChange) error {
	switch c.op {
	case "replace":
		var locations []json.RawMessage
		if json.Unmarshal(c.value, &locations) == nil && len(locations) == 0 {
			return withDetail(errs.Forbiddenf("Cannot set locations to empty list."))
		}
		if err := s.enforce(r, "set_image_location", s.target(r, im)); err != nil {
			return err
		}
		return errs.Forbiddenf("It's not allowed to update locations if locations are invisible.")
	case "add":
		if err := s.enforce(r, "set_image_location", s.target(r, im)); err != nil {
			return err
		}
		return errs.Forbiddenf("It's not allowed to add locations if locations are invisible.")
	}
	if err := s.enforce(r, "delete_image_location", s.target(r, im)); err != nil {
		return err
	}
	if err := s.mutable(r, im); err != nil {
		return err
	}
	return errs.Forbiddenf("It's not allowed to remove locations if locations are invisible.")
}

// checkStillVisible is the last check of Glance's database layer on a
// change: the caller can still see the image (a project cannot give its
// private image away).
func (s *Service) checkStillVisible(r *http.Request, tx *db.Tx, im *image) error {
	member, err := isMember(tx, im.ID, projectOf(r))
	if err != nil {
		return err
	}
	if !s.canSee(r, im, member) {
		return errs.Forbiddenf("Forbidding request, image %s not visible", im.ID)
	}
	return nil
}

// savePatched writes what a PATCH may change: the attributes clients set,
// the properties and the tags, leaving status and data columns to uploads
// and imports that may run meanwhile.
func savePatched(tx *db.Tx, im *image) error {
	n, err := tx.ExecAffected(`UPDATE image_images SET name = ?, visibility = ?, owner = ?, disk_format = ?, container_format = ?,
		min_disk = ?, min_ram = ?, protected = ?, os_hidden = ?, updated_at = ? WHERE id = ?`,
		nullable(im.Name), im.Visibility, nullable(im.Owner), nullable(im.DiskFormat), nullable(im.ContainerFormat),
		im.MinDisk, im.MinRAM, im.Protected, im.Hidden, im.UpdatedAt.UnixMicro(), im.ID)
	if err != nil {
		return err
	}
	if n == 0 {
		return imageNotFound(im.ID) // deleted meanwhile
	}
	for _, q := range []string{"DELETE FROM image_properties WHERE image_id = ?", "DELETE FROM image_tags WHERE image_id = ?"} {
		if _, err := tx.Exec(q, im.ID); err != nil {
			return err
		}
	}
	return writeDetails(tx, im)
}
