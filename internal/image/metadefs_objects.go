package image

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

func objectNotFound(name string) error {
	return errs.NotFoundf("%s", "Could not find metadata object "+name)
}

// readObjectBody reads and converts an object body; on create each
// property must also match the property schema, as Glance checks.
func readObjectBody(r *http.Request, o *mdObject, create bool) (objectView, error) {
	body, err := readMetadefBody(r, "object", objectReadOnly)
	if err != nil {
		return objectView{}, err
	}
	if err := checkSchema("object", metadefSchemaDocs()["object"], body); err != nil {
		return objectView{}, err
	}
	props, _ := body.get("properties")
	if po, ok := props.(*jsonObject); ok && create {
		for _, k := range po.keys {
			if err := checkSchema("property", unnamedPropertySchema(), po.vals[k]); err != nil {
				return objectView{}, err
			}
		}
	}
	o.Name, o.Description, o.Required, o.Properties = *optionalString(body, "name"), optionalString(body, "description"), nil, nil
	echo := objectView{Name: o.Name, Description: o.Description}
	if v, ok := body.get("required"); ok {
		o.Required = stringsOf(v)
		echo.Required = &o.Required
	}
	if props != nil {
		if o.Properties, err = toPropertyMap("object", props); err != nil {
			return objectView{}, err
		}
		echo.Properties = &o.Properties
	}
	return echo, nil
}

// createObject is POST /v2/metadefs/namespaces/{namespace}/objects.
func (s *Service) createObject(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	o := &mdObject{CreatedAt: now, UpdatedAt: &now}
	echo, err := readObjectBody(r, o, true)
	if err != nil {
		return err
	}
	var ns *mdNamespace
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if ns, err = s.visibleNamespace(r, tx, r.PathValue("namespace"), missDB); err != nil {
			return err
		}
		if err := s.enforceMetadef(r, "add_metadef_object", ns); err != nil {
			return err
		}
		return insertObject(tx, ns, o)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, stampObjectEcho(echo, ns.Namespace, o))
}

// stampObjectEcho completes an echoed object with its times and links.
func stampObjectEcho(echo objectView, namespace string, o *mdObject) objectView {
	echo.CreatedAt, echo.UpdatedAt = isoTime(o.CreatedAt), optTime(o.UpdatedAt)
	echo.Self, echo.Schema = objectPath(namespace, o.Name), "/v2/schemas/metadefs/object"
	return echo
}

// listNamespaceObjects is GET /v2/metadefs/namespaces/{namespace}/objects
// (no paging: upstream checks the parameters and ignores them).
func (s *Service) listNamespaceObjects(w http.ResponseWriter, r *http.Request) error {
	if err := checkContentListQuery(r.URL.Query(), true); err != nil {
		return err
	}
	views := []objectView{}
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ns, err := s.visibleNamespace(r, tx, r.PathValue("namespace"), missDB)
		if err != nil {
			return err
		}
		if err := s.enforceMetadef(r, "get_metadef_objects", ns); err != nil {
			return err
		}
		objects, err := listObjects(tx, ns.ID)
		if err != nil || !s.checkMetadef(r, "get_metadef_object", ns) {
			return err
		}
		for _, o := range objects {
			views = append(views, viewObject(ns.Namespace, o))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"objects": views, "schema": "v2/schemas/metadefs/objects"})
}

// checkContentListQuery checks the paging parameters of the object and tag
// lists as upstream: limit, sort_dir and visibility.
func checkContentListQuery(q url.Values, zeroLimitRefused bool) error {
	if v, ok := q["limit"]; ok && (v[0] != "" || zeroLimitRefused) {
		n, err := strconv.Atoi(v[0])
		if err != nil {
			return errs.BadRequestf("limit param must be an integer")
		}
		if n < 0 || (n == 0 && zeroLimitRefused) {
			return errs.BadRequestf("limit param must be positive")
		}
	}
	if v := q.Get("sort_dir"); q.Has("sort_dir") && v != "asc" && v != "desc" {
		return errs.BadRequestf("%s", "Invalid sort direction: "+v)
	}
	if v := q.Get("visibility"); v != "" && !slices.Contains([]string{"public", "private", "shared"}, v) {
		return errs.BadRequestf("%s", "Invalid visibility value: "+v)
	}
	return nil
}

// loadObject loads a namespace's object after the namespace checks.
func (s *Service) loadObject(r *http.Request, tx *db.Tx, rule string) (*mdNamespace, *mdObject, error) {
	ns, err := s.visibleNamespace(r, tx, r.PathValue("namespace"), missDB)
	if err != nil {
		return nil, nil, err
	}
	if err := s.enforceMetadef(r, rule, ns); err != nil {
		return nil, nil, err
	}
	name := r.PathValue("object_name")
	o, err := findObject(tx, ns.ID, name)
	if err == nil && o == nil {
		err = objectNotFound(name)
	}
	return ns, o, err
}

// showObject is GET /v2/metadefs/namespaces/{namespace}/objects/{object_name}.
func (s *Service) showObject(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	var v objectView
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ns, o, err := s.loadObject(r, tx, "get_metadef_object")
		if err == nil {
			v = viewObject(ns.Namespace, o)
		}
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
}

// updateObject is PUT .../objects/{object_name}: the body replaces the
// object (it may rename it).
func (s *Service) updateObject(w http.ResponseWriter, r *http.Request) error {
	in := &mdObject{}
	echo, err := readObjectBody(r, in, false)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, o, err := s.loadObject(r, tx, "modify_metadef_object")
		if err != nil {
			return err
		}
		now := s.now()
		in.CreatedAt, in.UpdatedAt = o.CreatedAt, &now
		if err := updateObject(tx, ns, o.Name, in); err != nil {
			return err
		}
		echo = stampObjectEcho(echo, ns.Namespace, in)
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, echo)
}

// deleteObject is DELETE .../objects/{object_name}.
func (s *Service) deleteObject(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, o, err := s.loadObject(r, tx, "delete_metadef_object")
		if err != nil {
			return err
		}
		if ns.Protected {
			return errs.Forbiddenf("%s", "Metadata definition object "+o.Name+" is protected and cannot be deleted.")
		}
		return deleteObjectRow(tx, ns.ID, o.Name)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
