package image

import (
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

func namespaceProtected(name string) error {
	return errs.Forbiddenf("%s", "Metadata definition namespace "+name+" is protected and cannot be deleted.")
}

// createNamespace is POST /v2/metadefs/namespaces: a namespace with, in
// the same request, its associations, objects, tags and properties.
func (s *Service) createNamespace(w http.ResponseWriter, r *http.Request) error {
	in, err := s.readNamespace(r)
	if err != nil {
		return err
	}
	if err := s.enforceAll(r, nil, in.rules()...); err != nil {
		return err
	}
	if err := s.db.Write(r.Context(), func(tx *db.Tx) error { return insertNamespaceInput(tx, in) }); err != nil {
		return err
	}
	w.Header().Set("Location", s.baseURL(r)+namespacePath(in.ns.Namespace))
	return httpx.WriteJSON(w, http.StatusCreated, in.view())
}

// showNamespace is GET /v2/metadefs/namespaces/{namespace}: the namespace
// with its contents; ?resource_type= prefixes the property names with that
// association's prefix.
func (s *Service) showNamespace(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	var v namespaceView
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ns, err := s.visibleNamespace(r, tx, r.PathValue("namespace"), missShow)
		if err != nil {
			return err
		}
		if err := s.enforceAll(r, ns, "get_metadef_namespace", "list_metadef_resource_types", "get_metadef_objects",
			"get_metadef_properties", "get_metadef_tags"); err != nil {
			return err
		}
		v, err = namespaceDetail(tx, ns)
		return err
	})
	if err != nil {
		return err
	}
	if rt := r.URL.Query().Get("resource_type"); rt != "" {
		prefixView(&v, rt)
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
}

// namespaceDetail is a namespace with its associations, properties,
// objects and tags.
func namespaceDetail(tx *db.Tx, ns *mdNamespace) (namespaceView, error) {
	v := viewNamespace(ns)
	objects, err := listObjects(tx, ns.ID)
	if err != nil {
		return v, err
	}
	for _, o := range objects {
		v.Objects = append(v.Objects, viewObject(ns.Namespace, o))
	}
	assocs, err := listAssociations(tx, ns.ID)
	if err != nil {
		return v, err
	}
	v.Associations = viewAssociations(assocs)
	if v.Properties, err = listMetadefProperties(tx, ns.ID); err != nil {
		return v, err
	}
	tags, err := listMetadefTags(tx, ns.ID, "created_at", "DESC")
	v.Tags = tagNames(tags)
	return v, err
}

// prefixView applies the prefix of the namespace's association with
// resourceType to its property names and objects' properties.
func prefixView(v *namespaceView, resourceType string) {
	i := slices.IndexFunc(v.Associations, func(a associationView) bool { return a.Name == resourceType })
	if i < 0 || v.Associations[i].Prefix == nil || *v.Associations[i].Prefix == "" {
		return
	}
	prefix := *v.Associations[i].Prefix
	v.Properties = v.Properties.prefixed(prefix)
	for j := range v.Objects {
		o := &v.Objects[j]
		props := o.Properties.prefixed(prefix)
		o.Properties = &props
		required := make([]string, len(*o.Required))
		for k, name := range *o.Required {
			required[k] = prefix + name
		}
		o.Required = &required
	}
}

// updateNamespace is PUT /v2/metadefs/namespaces/{namespace}: the body
// replaces the namespace's attributes; absent ones take their defaults.
func (s *Service) updateNamespace(w http.ResponseWriter, r *http.Request) error {
	in, err := s.readNamespace(r)
	if err != nil {
		return err
	}
	var ns *mdNamespace
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if ns, err = s.visibleNamespace(r, tx, r.PathValue("namespace"), missShort); err != nil {
			return err
		}
		if err := s.enforceMetadef(r, "modify_metadef_namespace", ns); err != nil {
			return err
		}
		ns.Namespace, ns.DisplayName, ns.Description = in.ns.Namespace, in.ns.DisplayName, in.ns.Description
		ns.Visibility, ns.Protected, ns.Owner = in.ns.Visibility, in.ns.Protected, in.ns.Owner
		now := s.now()
		ns.UpdatedAt = &now
		return updateNamespace(tx, ns)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, viewNamespace(ns))
}

// deleteNamespace is DELETE /v2/metadefs/namespaces/{namespace}, with all
// it contains; a protected namespace stays.
func (s *Service) deleteNamespace(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, err := s.deletableNamespace(r, tx, "delete_metadef_namespace")
		if err != nil {
			return err
		}
		return deleteNamespaceRow(tx, ns.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deletableNamespace loads a namespace whose contents the caller may
// delete: the rules pass and it is not protected.
func (s *Service) deletableNamespace(r *http.Request, tx *db.Tx, rules ...string) (*mdNamespace, error) {
	ns, err := s.visibleNamespace(r, tx, r.PathValue("namespace"), missShort)
	if err != nil {
		return nil, err
	}
	if err := s.enforceAll(r, ns, rules...); err != nil {
		return nil, err
	}
	if ns.Protected {
		return nil, namespaceProtected(ns.Namespace)
	}
	return ns, nil
}

// deleteNamespaceContent serves DELETE .../objects, .../properties and
// .../tags: every row of one kind, under the namespace's delete rule.
func (s *Service) deleteNamespaceContent(table string, rules ...string) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := s.db.Write(r.Context(), func(tx *db.Tx) error {
			ns, err := s.deletableNamespace(r, tx, rules...)
			if err != nil {
				return err
			}
			return deleteContent(tx, table, ns.ID)
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
