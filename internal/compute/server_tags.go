package compute

import (
	"net/http"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The server tags API (2.26): /servers/{id}/tags[/{tag}].

const (
	maxTagsPerInstance = 50 // Nova's MAX_TAG_COUNT
	maxTagLength       = 60 // Nova's MAX_TAG_LENGTH
)

var tagStates = stateRule{vm: []string{vmActive, vmPaused, vmSuspended, vmStopped}, anyTask: true}

// tagsVersion refuses the tags API before 2.26 as an unknown resource.
func tagsVersion(r *http.Request) error {
	if !version(r).AtLeast(26) {
		return errs.NotFoundf("The resource could not be found.")
	}
	return nil
}

// withTags runs fn on a visible instance's tags after rule (and, when
// change names the operation, Nova's vm_state check).
func (s *Service) withTags(r *http.Request, rule, change string, fn func(tx *db.Tx, i *instance, tags []string) error) error {
	if err := tagsVersion(r); err != nil {
		return err
	}
	run := s.db.Read
	if change != "" {
		run = s.db.Write
	}
	return run(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, rule, map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		if change != "" {
			if err := checkState(i, change, tagStates); err != nil {
				return err
			}
		}
		tags, err := tx.Strings(`SELECT tag FROM compute_instance_tags WHERE instance_uuid = ? ORDER BY tag`, i.UUID)
		if err != nil {
			return err
		}
		return fn(tx, i, tags)
	})
}

// listServerTags is GET /servers/{id}/tags.
func (s *Service) listServerTags(w http.ResponseWriter, r *http.Request) error {
	var out []string
	err := s.withTags(r, "os_compute_api:os-server-tags:index", "", func(_ *db.Tx, _ *instance, tags []string) error {
		out = tags
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"tags": nonNil(out)})
}

// checkServerTag is GET /servers/{id}/tags/{tag}: 204 or 404.
func (s *Service) checkServerTag(w http.ResponseWriter, r *http.Request) error {
	tag := r.PathValue("tag")
	err := s.withTags(r, "os_compute_api:os-server-tags:show", "", func(_ *db.Tx, i *instance, tags []string) error {
		if !slices.Contains(tags, tag) {
			return errs.NotFoundf("Server %s has no tag '%s'", i.UUID, tag)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// addServerTag is PUT /servers/{id}/tags/{tag}: 201 with Location, or
// 204 when the tag was there.
func (s *Service) addServerTag(w http.ResponseWriter, r *http.Request) error {
	tag := r.PathValue("tag")
	created := false
	err := s.withTags(r, "os_compute_api:os-server-tags:update", "update tag", func(tx *db.Tx, i *instance, tags []string) error {
		if tag == "" || strings.ContainsAny(tag, ",/") || len([]rune(tag)) > maxTagLength {
			return errs.BadRequestf("Tag '%s' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: %s", tag, tagProblem(tag))
		}
		if len(tags) >= maxTagsPerInstance {
			return errs.BadRequestf("The number of tags exceeded the per-server limit %d", maxTagsPerInstance)
		}
		if slices.Contains(tags, tag) {
			return nil
		}
		created = true
		return s.setTags(tx, i, append(tags, tag))
	})
	if err != nil {
		return err
	}
	if !created {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	w.Header().Set("Location", s.baseURL(r)+"/v2.1/servers/"+r.PathValue("id")+"/tags/"+tag)
	w.WriteHeader(http.StatusCreated)
	return nil
}

func tagProblem(tag string) string {
	switch {
	case tag == "":
		return "'' is too short"
	case len([]rune(tag)) > maxTagLength:
		return pyRepr(tag) + " is too long"
	}
	return pyRepr(tag) + " does not match '^[^,/]*$'"
}

// setTags replaces the instance's tags and bumps updated_at.
func (s *Service) setTags(tx *db.Tx, i *instance, tags []string) error {
	if _, err := tx.Exec(`DELETE FROM compute_instance_tags WHERE instance_uuid = ?`, i.UUID); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := tx.Exec(`INSERT INTO compute_instance_tags (instance_uuid, tag) VALUES (?, ?)`, i.UUID, t); err != nil {
			return err
		}
	}
	return saveInstance(tx, i, s.now().UnixMicro())
}

// replaceServerTags is PUT /servers/{id}/tags.
func (s *Service) replaceServerTags(w http.ResponseWriter, r *http.Request) error {
	if err := tagsVersion(r); err != nil {
		return err
	}
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	if _, ok := body["tags"]; !ok {
		return errs.BadRequestf("'tags' is a required property")
	}
	if err := onlyKeys("", body, []string{"tags"}); err != nil {
		return err
	}
	list, err := schemaArray("tags", body["tags"])
	if err != nil {
		return err
	}
	if len(list) > maxTagsPerInstance {
		return invalidInput("tags", body["tags"], pyRepr(body["tags"])+" is too long")
	}
	var tags []string
	for _, item := range list {
		t, err := schemaTag("tags", item)
		if err != nil {
			return err
		}
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	slices.Sort(tags)
	err = s.withTags(r, "os_compute_api:os-server-tags:update_all", "update tags", func(tx *db.Tx, i *instance, _ []string) error {
		return s.setTags(tx, i, tags)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"tags": nonNil(tags)})
}

// deleteServerTag is DELETE /servers/{id}/tags/{tag}.
func (s *Service) deleteServerTag(w http.ResponseWriter, r *http.Request) error {
	tag := r.PathValue("tag")
	err := s.withTags(r, "os_compute_api:os-server-tags:delete", "delete tag", func(tx *db.Tx, i *instance, tags []string) error {
		if !slices.Contains(tags, tag) {
			return errs.NotFoundf("Instance %s has no tag '%s'", i.UUID, tag)
		}
		return s.setTags(tx, i, slices.DeleteFunc(tags, func(t string) bool { return t == tag }))
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteServerTags is DELETE /servers/{id}/tags.
func (s *Service) deleteServerTags(w http.ResponseWriter, r *http.Request) error {
	err := s.withTags(r, "os_compute_api:os-server-tags:delete_all", "delete tags", func(tx *db.Tx, i *instance, _ []string) error {
		return s.setTags(tx, i, nil)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
