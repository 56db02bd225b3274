package identity

import (
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// serviceInput is the body of service create and update; name is
// declared only to be checked, it is kept in extra as upstream does.
type serviceInput struct {
	Type    *string `json:"type"`
	Name    *string `json:"name"`
	Enabled *bool   `json:"enabled"`
}

// check validates the typed attributes of a service body.
func (in *serviceInput) check(fields entityFields) error {
	if err := refuseNulls(fields, "string", "type", "name"); err != nil {
		return err
	}
	if err := refuseNulls(fields, "boolean", "enabled"); err != nil {
		return err
	}
	if in.Type != nil {
		if err := checkString("type", *in.Type, 1, 255); err != nil {
			return err
		}
	}
	if in.Name != nil {
		return checkCatalogName("name", *in.Name)
	}
	return nil
}

func (s *Service) serviceView(r *http.Request, c *catalogService) api.Service {
	return api.Service{ID: c.ID, Type: c.Type, Enabled: c.Enabled, Extra: c.Extra,
		Links: api.Links{Self: s.selfLink(r, "/v3/services/"+c.ID)}}
}

func (s *Service) createService(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:create_service", nil); err != nil {
		return err
	}
	var in serviceInput
	extra, fields, err := decodeFields(r, "service", &in)
	if err != nil {
		return err
	}
	if in.Type == nil && !fields.has("type") {
		return requiredProperty("type")
	}
	if err := in.check(fields); err != nil {
		return err
	}
	delete(extra, "id") // a service's id is always generated
	c := &catalogService{ID: s.newID(), Type: *in.Type, Enabled: boolOr(in.Enabled, true), Extra: normalizeKeys(extra)}
	c.Extra["name"] = stringOr(in.Name, "")
	err = s.db.Write(r.Context(), func(tx *db.Tx) error { return insertService(tx, c) })
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"service": s.serviceView(r, c)})
}

func (s *Service) listServices(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_services", nil); err != nil {
		return err
	}
	query := r.URL.Query()
	q := db.NewQuery("SELECT id, type, enabled, extra FROM identity_services")
	for _, f := range httpx.ParseFilters(query, []string{"type"}, []string{"type"}) {
		q.Match("type", string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	byName := httpx.ParseFilters(query, []string{"name"}, []string{"name"})
	if len(byName) > 0 {
		q.Limit(0) // the name lives in extra: filter, then cut the page here
	}
	var list []*catalogService
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryServices(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list = filterServicesByName(list, byName)
	list, next, truncated := cutPage(r, s, page, list, func(c *catalogService) string { return c.ID })
	out := make([]api.Service, len(list))
	for i, c := range list {
		out[i] = s.serviceView(r, c)
	}
	return s.writeCollection(w, r, "services", out, next, truncated)
}

// filterServicesByName keeps the services whose name passes every filter.
func filterServicesByName(list []*catalogService, filters []httpx.Filter) []*catalogService {
	if len(filters) == 0 {
		return list
	}
	var out []*catalogService
	for _, c := range list {
		keep := true
		for _, f := range filters {
			keep = keep && filterMatches(f, c.Name())
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

func (s *Service) getServiceHandler(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("service_id")
	if err := s.enforce(r, "identity:get_service", map[string]any{"service_id": id}); err != nil {
		return err
	}
	var c *catalogService
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		c, err = getService(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"service": s.serviceView(r, c)})
}

func (s *Service) updateService(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("service_id")
	if err := s.enforce(r, "identity:update_service", map[string]any{"service_id": id}); err != nil {
		return err
	}
	var in serviceInput
	extra, fields, err := decodeFields(r, "service", &in)
	if err != nil {
		return err
	}
	if err := requireAttributes(fields); err != nil {
		return err
	}
	if err := in.check(fields); err != nil {
		return err
	}
	if err := takeMatchingID(extra, id); err != nil {
		return err
	}
	var c *catalogService
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if c, err = getService(tx, id); err != nil {
			return err
		}
		applyServiceUpdate(c, &in, extra)
		_, err = tx.Exec("UPDATE identity_services SET type = ?, enabled = ?, extra = ? WHERE id = ?",
			c.Type, c.Enabled, marshalExtra(c.Extra), c.ID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"service": s.serviceView(r, c)})
}

// applyServiceUpdate changes what an update names.
func applyServiceUpdate(c *catalogService, in *serviceInput, extra map[string]any) {
	if in.Type != nil {
		c.Type = *in.Type
	}
	if in.Enabled != nil {
		c.Enabled = *in.Enabled
	}
	c.Extra = mergeExtra(c.Extra, extra)
	if in.Name != nil {
		c.Extra["name"] = *in.Name
	}
}

// deleteService removes a service with its endpoints (and their project
// associations), as upstream does.
func (s *Service) deleteService(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("service_id")
	if err := s.enforce(r, "identity:delete_service", map[string]any{"service_id": id}); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getService(tx, id); err != nil {
			return err
		}
		for _, q := range []string{
			"DELETE FROM identity_project_endpoints WHERE endpoint_id IN (SELECT id FROM identity_endpoints WHERE service_id = ?)",
			"DELETE FROM identity_endpoints WHERE service_id = ?",
			"DELETE FROM identity_services WHERE id = ?",
		} {
			if _, err := tx.Exec(q, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
