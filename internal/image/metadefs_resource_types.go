package image

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// listResourceTypesHandler is GET /v2/metadefs/resource_types.
func (s *Service) listResourceTypesHandler(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	if err := s.enforceMetadef(r, "list_metadef_resource_types", nil); err != nil {
		return err
	}
	var types []*mdResourceType
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		types, err = listResourceTypes(tx)
		return err
	})
	if err != nil {
		return err
	}
	views := make([]resourceTypeView, len(types))
	for i, rt := range types {
		views[i] = resourceTypeView{Name: rt.Name, CreatedAt: isoTime(rt.CreatedAt), UpdatedAt: optTime(rt.UpdatedAt)}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"resource_types": views})
}

// listAssociationsHandler is GET .../namespaces/{namespace}/resource_types.
func (s *Service) listAssociationsHandler(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	views := []associationView{}
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "list_metadef_resource_types")
		if err != nil {
			return err
		}
		assocs, err := listAssociations(tx, ns.ID)
		if err == nil && s.checkMetadef(r, "get_metadef_resource_type", ns) {
			views = viewAssociations(assocs)
		}
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"resource_type_associations": views})
}

// createAssociation is POST .../namespaces/{namespace}/resource_types; an
// unknown resource type is created.
func (s *Service) createAssociation(w http.ResponseWriter, r *http.Request) error {
	body, err := readMetadefBody(r, "resource_type_association", stampsReadOnly)
	if err != nil {
		return err
	}
	if err := checkSchema("resource_type_association", metadefSchemaDocs()["resource_type"], body); err != nil {
		return err
	}
	now := s.now()
	a := &mdAssociation{Name: *optionalString(body, "name"), Prefix: optionalString(body, "prefix"),
		PropertiesTarget: optionalString(body, "properties_target"), CreatedAt: now, UpdatedAt: &now}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "add_metadef_resource_type_association")
		if err != nil {
			return err
		}
		if err := ensureResourceType(tx, a.Name, false, now, &now); err != nil {
			return err
		}
		return insertAssociation(tx, ns, a)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, viewAssociation(a))
}

// deleteAssociation is DELETE .../resource_types/{resource_type}.
func (s *Service) deleteAssociation(w http.ResponseWriter, r *http.Request) error {
	if err := rejectBody(r); err != nil {
		return err
	}
	name := r.PathValue("resource_type")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ns, err := s.namespaceFor(r, tx, "remove_metadef_resource_type_association")
		if err != nil {
			return err
		}
		a, err := findAssociation(tx, ns.ID, name)
		switch {
		case err != nil:
			return err
		case a == nil:
			return errs.NotFoundf("%s", "Failed to find resource type "+name+" to delete")
		case ns.Protected:
			return errs.Forbiddenf("%s", "Metadata definition resource-type-association "+name+" is protected and cannot be deleted.")
		}
		return deleteAssociationRow(tx, ns.ID, name)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
