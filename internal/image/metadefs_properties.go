package image

import (
	"net/http"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

func metadefPropertyNotFound(name string) error {
	return errs.NotFoundf("%s", "Could not find property "+name)
}

// readPropertyBody reads and converts a named property definition.
func readPropertyBody(r *http.Request) (*propertyDef, error) {
	body, err := readMetadefBody(r, "property", stampsReadOnly)
	if err != nil {
		return nil, err
	}
	if err := checkSchema("property", metadefSchemaDocs()["property"], body); err != nil {
		return nil, err
	}
	return toPropertyDef("property", body)
}

// namespaceFor loads the path's namespace under rule, both missing and
// hidden being "Namespace X not found".
func (s *Service) namespaceFor(r *http.Request, tx *db.Tx, rule string) (*mdNamespace, error) {
	ns, err := s.visibleNamespace(r, tx, r.PathValue("namespace"), missShort)
	if err != nil {
		return nil, err
	}
	return ns, s.enforceMetadef(r, rule, ns)
}

// listNamespaceProperties is GET /v2/metadefs/namespaces/{namespace}/properties.
func (s *Service) listNamespaceProperties(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	var props propertyMap
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "get_metadef_properties")
		if err == nil {
			props, err = listMetadefProperties(tx, ns.ID)
		}
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"properties": props})
}

// createProperty is POST .../properties.
func (s *Service) createProperty(w http.ResponseWriter, r *http.Request) error {
	def, err := readPropertyBody(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "add_metadef_property")
		if err != nil {
			return err
		}
		now := s.now()
		return insertMetadefProperty(tx, ns, *def.Name, def, now, &now)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, namedView(*def.Name, def))
}

// showProperty is GET .../properties/{property_name}; with ?resource_type=
// the name carries that association's prefix, which is taken off.
func (s *Service) showProperty(w http.ResponseWriter, r *http.Request) error {
	var def *propertyDef
	name := r.PathValue("property_name")
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "get_metadef_property")
		if err != nil {
			return err
		}
		if rt := r.URL.Query().Get("resource_type"); rt != "" {
			if name, err = s.unprefixed(r, tx, ns, rt, name); err != nil {
				return err
			}
		}
		if def, err = findMetadefProperty(tx, ns.ID, name); err == nil && def == nil {
			err = metadefPropertyNotFound(name)
		}
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, namedView(name, def))
}

// unprefixed is name without the prefix of the namespace's association
// with resource type rt.
func (s *Service) unprefixed(r *http.Request, tx *db.Tx, ns *mdNamespace, rt, name string) (string, error) {
	if err := s.enforceMetadef(r, "get_metadef_resource_type", ns); err != nil {
		return "", err
	}
	a, err := namespaceAssociation(tx, ns, rt)
	if err != nil {
		return "", err
	}
	if a.Prefix != nil && *a.Prefix != "" && strings.HasPrefix(name, *a.Prefix) {
		return strings.TrimPrefix(name, *a.Prefix), nil
	}
	prefix := "None"
	if a.Prefix != nil {
		prefix = *a.Prefix
	}
	return "", errs.NotFoundf("%s", "Property "+name+" does not start with the expected resource type association prefix of '"+prefix+"'.")
}

// namespaceAssociation loads the association of ns with resource type rt,
// with the database's messages when either is missing.
func namespaceAssociation(tx *db.Tx, ns *mdNamespace, rt string) (*mdAssociation, error) {
	exists, err := resourceTypeExists(tx, rt)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, errs.NotFoundf("%s", "The metadata definition resource-type with name="+rt+", was not found.")
	}
	a, err := findAssociation(tx, ns.ID, rt)
	if err == nil && a == nil {
		err = errs.NotFoundf("%s", "The metadata definition resource-type association of resource-type="+rt+
			" to namespace="+ns.Namespace+", was not found.")
	}
	return a, err
}

// loadMetadefProperty loads the path's property under rule.
func (s *Service) loadMetadefProperty(r *http.Request, tx *db.Tx, rule string) (*mdNamespace, string, error) {
	ns, err := s.namespaceFor(r, tx, rule)
	if err != nil {
		return nil, "", err
	}
	name := r.PathValue("property_name")
	def, err := findMetadefProperty(tx, ns.ID, name)
	if err == nil && def == nil {
		err = metadefPropertyNotFound(name)
	}
	return ns, name, err
}

// replaceProperty is PUT .../properties/{property_name}: the body replaces
// the definition (it may rename it).
func (s *Service) replaceProperty(w http.ResponseWriter, r *http.Request) error {
	def, err := readPropertyBody(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, old, err := s.loadMetadefProperty(r, tx, "modify_metadef_property")
		if err != nil {
			return err
		}
		return updateMetadefProperty(tx, ns, old, *def.Name, def, s.now())
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, namedView(*def.Name, def))
}

// deleteProperty is DELETE .../properties/{property_name}.
func (s *Service) deleteProperty(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, name, err := s.loadMetadefProperty(r, tx, "remove_metadef_property")
		if err != nil {
			return err
		}
		if ns.Protected {
			return errs.Forbiddenf("%s", "Metadata definition property "+name+" is protected and cannot be deleted.")
		}
		return deleteMetadefPropertyRow(tx, ns.ID, name)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
