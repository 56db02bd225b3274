package identity

import (
	"net/http"
	"slices"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// endpointInput is the body of endpoint create and update; region is the
// v2-era name of region_id.
type endpointInput struct {
	Interface *string `json:"interface"`
	RegionID  *string `json:"region_id"`
	Region    *string `json:"region"`
	ServiceID *string `json:"service_id"`
	URL       *string `json:"url"`
	Enabled   *bool   `json:"enabled"`
}

var endpointInterfaces = []string{"admin", "internal", "public"}

// check validates the typed attributes of an endpoint body.
func (in *endpointInput) check(fields entityFields) error {
	if err := refuseNulls(fields, "string", "interface", "region_id", "region", "service_id", "url"); err != nil {
		return err
	}
	if err := refuseNulls(fields, "boolean", "enabled"); err != nil {
		return err
	}
	if in.Interface != nil && !slices.Contains(endpointInterfaces, *in.Interface) {
		return errs.BadRequestf("Invalid input for field 'interface': '%s' is not one of ['admin', 'internal', 'public'].", *in.Interface)
	}
	if in.URL != nil {
		return checkURL(*in.URL)
	}
	return nil
}

// regionRef is the region an endpoint body names and whether it came
// from the legacy "region" attribute (which creates a missing region).
func (in *endpointInput) regionRef() (id string, named, legacy bool) {
	if in.RegionID != nil {
		return *in.RegionID, true, false
	}
	if in.Region != nil {
		return *in.Region, true, true
	}
	return "", false, false
}

// resolveEndpointRefs checks the region and service an endpoint body
// names, creating a region named by the legacy attribute, as upstream.
func resolveEndpointRefs(tx *db.Tx, in *endpointInput) error {
	if id, named, legacy := in.regionRef(); named {
		rg, err := findRegion(tx, id)
		if err != nil {
			return err
		}
		if rg == nil && legacy {
			if err := insertRegion(tx, &region{ID: id}, nil); err != nil {
				return err
			}
		} else if rg == nil {
			return errs.BadRequestf("Expecting to find endpoint region_id in region table. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
		}
	}
	if in.ServiceID != nil {
		if _, err := getService(tx, *in.ServiceID); err != nil {
			return errs.BadRequestf("Expecting to find endpoint service_id in service table. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
		}
	}
	return nil
}

func (s *Service) endpointView(r *http.Request, e *endpoint) api.Endpoint {
	v := api.Endpoint{ID: e.ID, Interface: e.Interface, ServiceID: e.ServiceID, URL: e.URL, Enabled: e.Enabled,
		Extra: e.Extra, Links: api.Links{Self: s.selfLink(r, "/v3/endpoints/"+e.ID)}}
	if e.RegionID != "" {
		id := e.RegionID
		v.RegionID, v.Region = &id, &id
	}
	return v
}

func (s *Service) endpointViews(r *http.Request, list []*endpoint) []api.Endpoint {
	out := make([]api.Endpoint, len(list))
	for i, e := range list {
		out[i] = s.endpointView(r, e)
	}
	return out
}

// endpointTarget is the policy target of an endpoint.
func endpointTarget(e *endpoint) map[string]any {
	return map[string]any{"endpoint_id": e.ID, "target": map[string]any{"endpoint": map[string]any{
		"id": e.ID, "service_id": e.ServiceID, "region_id": e.RegionID, "interface": e.Interface}}}
}

func (s *Service) createEndpoint(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:create_endpoint", nil); err != nil {
		return err
	}
	var in endpointInput
	extra, fields, err := decodeFields(r, "endpoint", &in)
	if err != nil {
		return err
	}
	for _, k := range []string{"interface", "service_id", "url"} {
		if !fields.has(k) {
			return requiredProperty(k)
		}
	}
	if err := in.check(fields); err != nil {
		return err
	}
	if err := checkURLSubstitutions(*in.URL); err != nil {
		return err
	}
	delete(extra, "id") // an endpoint's id is always generated
	regionID, _, _ := in.regionRef()
	e := &endpoint{ID: s.newID(), ServiceID: *in.ServiceID, Interface: *in.Interface, URL: *in.URL,
		RegionID: regionID, Enabled: boolOr(in.Enabled, true), Extra: normalizeKeys(extra)}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := resolveEndpointRefs(tx, &in); err != nil {
			return err
		}
		return insertEndpoint(tx, e)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"endpoint": s.endpointView(r, e)})
}

func (s *Service) listEndpoints(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_endpoints", nil); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + endpointColumns + " FROM identity_endpoints")
	keys := []string{"interface", "service_id", "region_id"}
	for _, f := range httpx.ParseFilters(r.URL.Query(), keys, keys) {
		q.Match(f.Key, string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*endpoint
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryEndpoints(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(e *endpoint) string { return e.ID })
	return s.writeCollection(w, r, "endpoints", s.endpointViews(r, list), next, truncated)
}

// withEndpoint loads the path's endpoint (a 404 comes before the policy
// check, as upstream loads the target first) and checks rule.
func (s *Service) withEndpoint(r *http.Request, rule string, write bool, fn func(tx *db.Tx, e *endpoint) error) error {
	run := s.db.Read
	if write {
		run = s.db.Write
	}
	return run(r.Context(), func(tx *db.Tx) error {
		e, err := getEndpoint(tx, r.PathValue("endpoint_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, rule, endpointTarget(e)); err != nil {
			return err
		}
		return fn(tx, e)
	})
}

func (s *Service) getEndpointHandler(w http.ResponseWriter, r *http.Request) error {
	var view api.Endpoint
	err := s.withEndpoint(r, "identity:get_endpoint", false, func(tx *db.Tx, e *endpoint) error {
		view = s.endpointView(r, e)
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"endpoint": view})
}

func (s *Service) updateEndpoint(w http.ResponseWriter, r *http.Request) error {
	var in endpointInput
	extra, fields, derr := decodeFields(r, "endpoint", &in)
	var view api.Endpoint
	err := s.withEndpoint(r, "identity:update_endpoint", true, func(tx *db.Tx, e *endpoint) error {
		if derr != nil {
			return derr
		}
		if err := checkEndpointUpdate(&in, fields, extra, e.ID); err != nil {
			return err
		}
		if err := resolveEndpointRefs(tx, &in); err != nil {
			return err
		}
		applyEndpointUpdate(e, &in, extra)
		_, err := tx.Exec("UPDATE identity_endpoints SET service_id = ?, interface = ?, url = ?, region_id = ?, enabled = ?, extra = ? WHERE id = ?",
			e.ServiceID, e.Interface, e.URL, nullString(e.RegionID), e.Enabled, marshalExtra(e.Extra), e.ID)
		view = s.endpointView(r, e)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"endpoint": view})
}

// checkEndpointUpdate validates an update body. Upstream checks URL
// substitutions on create only, and so do we.
func checkEndpointUpdate(in *endpointInput, fields entityFields, extra map[string]any, id string) error {
	if err := requireAttributes(fields); err != nil {
		return err
	}
	if err := in.check(fields); err != nil {
		return err
	}
	return takeMatchingID(extra, id)
}

// applyEndpointUpdate changes what an update names.
func applyEndpointUpdate(e *endpoint, in *endpointInput, extra map[string]any) {
	if id, named, _ := in.regionRef(); named {
		e.RegionID = id
	}
	if in.ServiceID != nil {
		e.ServiceID = *in.ServiceID
	}
	if in.Interface != nil {
		e.Interface = *in.Interface
	}
	if in.URL != nil {
		e.URL = *in.URL
	}
	if in.Enabled != nil {
		e.Enabled = *in.Enabled
	}
	e.Extra = mergeExtra(e.Extra, extra)
}

func (s *Service) deleteEndpoint(w http.ResponseWriter, r *http.Request) error {
	err := s.withEndpoint(r, "identity:delete_endpoint", true, func(tx *db.Tx, e *endpoint) error {
		if _, err := tx.Exec("DELETE FROM identity_project_endpoints WHERE endpoint_id = ?", e.ID); err != nil {
			return err
		}
		_, err := tx.Exec("DELETE FROM identity_endpoints WHERE id = ?", e.ID)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
