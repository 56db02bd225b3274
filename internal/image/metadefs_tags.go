package image

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

func metadefTagNotFound(name string) error {
	return errs.NotFoundf("%s", "Could not find metadata tag "+name)
}

// tagSortKeys are the tag attributes a list may sort by.
var tagSortKeys = []string{"created_at", "updated_at", "name"}

// createMetadefTag is POST .../tags/{tag_name}: one tag, named by the path.
func (s *Service) createMetadefTag(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	now := s.now()
	t := &mdTag{Name: r.PathValue("tag_name"), CreatedAt: now, UpdatedAt: &now}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, err := s.visibleNamespace(r, tx, r.PathValue("namespace"), missShort)
		if err != nil {
			return err
		}
		if err := checkSchema("tag", metadefSchemaDocs()["tag"], jsObj("name", t.Name)); err != nil {
			return err
		}
		if err := s.enforceMetadef(r, "add_metadef_tag", ns); err != nil {
			return err
		}
		return insertMetadefTag(tx, ns, t)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, viewMetadefTag(t))
}

// createMetadefTags is POST .../tags: a batch of tags, which replaces the
// namespace's tags unless X-Openstack-Append is true.
func (s *Service) createMetadefTags(w http.ResponseWriter, r *http.Request) error {
	body, err := readMetadefBody(r, "tags", stampsReadOnly)
	if err != nil {
		return err
	}
	if err := checkSchema("tags", tagBatchSchema(), body); err != nil {
		return err
	}
	names := []tagName{}
	for _, item := range objectsAt(body, "tags") {
		names = append(names, tagName{Name: *optionalString(item, "name")})
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "add_metadef_tags")
		if err != nil || len(names) == 0 {
			return err
		}
		if !truthyHeader(r.Header.Get("X-Openstack-Append")) {
			if err := deleteContent(tx, "image_metadef_tags", ns.ID); err != nil {
				return err
			}
		}
		return s.insertMetadefTags(tx, ns, names)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"tags": names})
}

func (s *Service) insertMetadefTags(tx *db.Tx, ns *mdNamespace, names []tagName) error {
	now := s.now()
	for _, n := range names {
		if err := insertMetadefTag(tx, ns, &mdTag{Name: n.Name, CreatedAt: now, UpdatedAt: &now}); err != nil {
			return err
		}
	}
	return nil
}

// truthyHeader is oslo's bool_from_string.
func truthyHeader(v string) bool {
	return slices.Contains([]string{"1", "t", "true", "on", "y", "yes"}, strings.ToLower(strings.TrimSpace(v)))
}

// listNamespaceTags is GET .../tags, sorted and paged by marker and limit.
func (s *Service) listNamespaceTags(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkContentListQuery(q, false); err != nil {
		return err
	}
	sortKey := "created_at"
	if q.Has("sort_key") {
		sortKey = q.Get("sort_key")
	}
	if !slices.Contains(tagSortKeys, sortKey) {
		return errs.BadRequestf("%s", "Invalid sort key: "+sortKey)
	}
	dir := map[bool]string{true: "ASC", false: "DESC"}[q.Get("sort_dir") == "asc"]
	var tags []*mdTag
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "get_metadef_tags")
		if err != nil {
			return err
		}
		if tags, err = listMetadefTags(tx, ns.ID, sortKey, dir); err != nil {
			return err
		}
		tags, err = tagPage(tags, q.Get("marker"), q.Get("limit"))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"tags": tagNames(tags)})
}

// tagPage keeps the tags after marker, at most limit of them (none: all).
func tagPage(tags []*mdTag, marker, limit string) ([]*mdTag, error) {
	if marker != "" {
		i := slices.IndexFunc(tags, func(t *mdTag) bool { return t.Name == marker })
		if i < 0 {
			return nil, metadefTagNotFound(marker)
		}
		tags = tags[i+1:]
	}
	if n, err := strconv.Atoi(limit); err == nil && len(tags) > n {
		tags = tags[:n]
	}
	return tags, nil
}

// loadMetadefTag loads the path's tag under rule.
func (s *Service) loadMetadefTag(r *http.Request, tx *db.Tx, rule string) (*mdNamespace, *mdTag, error) {
	ns, err := s.namespaceFor(r, tx, rule)
	if err != nil {
		return nil, nil, err
	}
	name := r.PathValue("tag_name")
	t, err := findMetadefTag(tx, ns.ID, name)
	if err == nil && t == nil {
		err = metadefTagNotFound(name)
	}
	return ns, t, err
}

// showMetadefTag is GET .../tags/{tag_name}.
func (s *Service) showMetadefTag(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	var t *mdTag
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		_, t, err = s.loadMetadefTag(r, tx, "get_metadef_tag")
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, viewMetadefTag(t))
}

// replaceMetadefTag is PUT .../tags/{tag_name}.
func (s *Service) replaceMetadefTag(w http.ResponseWriter, r *http.Request) error {
	body, err := readMetadefBody(r, "tag", stampsReadOnly)
	if err != nil {
		return err
	}
	if err := checkSchema("tag", metadefSchemaDocs()["tag"], body); err != nil {
		return err
	}
	var t *mdTag
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, old, err := s.loadMetadefTag(r, tx, "modify_metadef_tag")
		if err != nil {
			return err
		}
		now := s.now()
		t = &mdTag{Name: *optionalString(body, "name"), CreatedAt: old.CreatedAt, UpdatedAt: &now}
		return renameMetadefTag(tx, ns, old.Name, t)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, viewMetadefTag(t))
}

// deleteMetadefTag is DELETE .../tags/{tag_name}.
func (s *Service) deleteMetadefTag(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, t, err := s.loadMetadefTag(r, tx, "delete_metadef_tag")
		if err != nil {
			return err
		}
		if ns.Protected {
			return errs.Forbiddenf("%s", "Metadata definition tag "+t.Name+" is protected and cannot be deleted.")
		}
		return deleteMetadefTagRow(tx, ns.ID, t.Name)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
