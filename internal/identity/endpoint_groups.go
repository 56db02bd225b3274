package identity

import (
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// endpointGroup is a row of identity_endpoint_groups.
type endpointGroup struct {
	ID          string
	Name        string
	Description *string
	Filters     map[string]any
}

// endpointGroupInput is the body of endpoint group create and update.
type endpointGroupInput struct {
	ID          any             `json:"id"`
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Filters     *map[string]any `json:"filters"`
}

// endpointGroupFilterKeys are the endpoint attributes a group may filter on.
var endpointGroupFilterKeys = []string{"service_id", "region_id", "interface"}

// check validates the attributes an endpoint group body gives.
func (in *endpointGroupInput) check(fields entityFields, extra map[string]any) error {
	if len(extra) > 0 {
		// Upstream stores no extra attributes (it fails with a 500).
		k := slices.Sorted(maps.Keys(extra))[0]
		return errs.BadRequestf("Invalid input for field '%s': additional properties are not allowed.", k)
	}
	if err := refuseNulls(fields, "string", "name"); err != nil {
		return err
	}
	if err := refuseNulls(fields, "object", "filters"); err != nil {
		return err
	}
	if in.Name != nil {
		if err := checkCatalogName("name", *in.Name); err != nil {
			return err
		}
	}
	if in.Filters != nil {
		return checkGroupFilters(*in.Filters)
	}
	return nil
}

// checkGroupFilters allows only service_id, region_id and interface, each
// a string (upstream accepts other values, which then match nothing).
func checkGroupFilters(filters map[string]any) error {
	for k, v := range filters {
		if !slices.Contains(endpointGroupFilterKeys, k) {
			return errs.BadRequestf("Expecting to find service_id or region_id or interface in endpoint_group. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
		}
		if _, ok := v.(string); !ok {
			return errs.BadRequestf("Invalid input for field 'filters/%s': %v is not of type 'string'.", k, v)
		}
	}
	return nil
}

const endpointGroupColumns = "id, name, description, filters"

func scanEndpointGroup(sc interface{ Scan(...any) error }) (*endpointGroup, error) {
	var g endpointGroup
	var desc sql.NullString
	var filters string
	if err := sc.Scan(&g.ID, &g.Name, &desc, &filters); err != nil {
		return nil, err
	}
	if desc.Valid {
		g.Description = &desc.String
	}
	if err := json.Unmarshal([]byte(filters), &g.Filters); err != nil {
		return nil, err
	}
	return &g, nil
}

func getEndpointGroupRow(tx *db.Tx, id string) (*endpointGroup, error) {
	g, err := scanEndpointGroup(tx.QueryRow("SELECT "+endpointGroupColumns+" FROM identity_endpoint_groups WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find Endpoint Group: %s.", id)
	}
	return g, err
}

func queryEndpointGroups(tx *db.Tx, q *db.Query) ([]*endpointGroup, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*endpointGroup
	for rows.Next() {
		g, err := scanEndpointGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// nullableString is a *string for a nullable column.
func nullableString(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func (s *Service) endpointGroupView(r *http.Request, g *endpointGroup) api.EndpointGroup {
	filters := g.Filters
	if filters == nil {
		filters = map[string]any{}
	}
	return api.EndpointGroup{ID: g.ID, Name: g.Name, Description: g.Description, Filters: filters,
		Links: api.Links{Self: s.selfLink(r, "/v3/OS-EP-FILTER/endpoint_groups/"+g.ID)}}
}

func (s *Service) endpointGroupViews(r *http.Request, list []*endpointGroup) []api.EndpointGroup {
	out := make([]api.EndpointGroup, len(list))
	for i, g := range list {
		out[i] = s.endpointGroupView(r, g)
	}
	return out
}

func (s *Service) createEndpointGroup(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:create_endpoint_group", nil); err != nil {
		return err
	}
	var in endpointGroupInput
	extra, fields, err := decodeFields(r, "endpoint_group", &in)
	if err != nil {
		return err
	}
	for _, k := range []string{"name", "filters"} {
		if !fields.has(k) {
			return requiredProperty(k)
		}
	}
	if err := in.check(fields, extra); err != nil {
		return err
	}
	if len(*in.Filters) == 0 {
		return errs.BadRequestf("filters field is required and cannot be empty")
	}
	g := &endpointGroup{ID: s.newID(), Name: *in.Name, Description: in.Description, Filters: *in.Filters}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		raw, _ := json.Marshal(g.Filters)
		_, err := tx.Exec("INSERT INTO identity_endpoint_groups ("+endpointGroupColumns+") VALUES (?, ?, ?, ?)",
			g.ID, g.Name, nullableString(g.Description), string(raw))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"endpoint_group": s.endpointGroupView(r, g)})
}

func (s *Service) listEndpointGroups(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_endpoint_groups", nil); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + endpointGroupColumns + " FROM identity_endpoint_groups")
	for _, f := range httpx.ParseFilters(r.URL.Query(), []string{"name"}, nil) {
		q.Match("name", string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*endpointGroup
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryEndpointGroups(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(g *endpointGroup) string { return g.ID })
	return s.writeCollection(w, r, "endpoint_groups", s.endpointGroupViews(r, list), next, truncated)
}

// getEndpointGroup serves GET and HEAD.
func (s *Service) getEndpointGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpoint_group_id")
	if err := s.enforce(r, "identity:get_endpoint_group", map[string]any{"endpoint_group_id": id}); err != nil {
		return err
	}
	var g *endpointGroup
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		g, err = getEndpointGroupRow(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"endpoint_group": s.endpointGroupView(r, g)})
}

func (s *Service) updateEndpointGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpoint_group_id")
	if err := s.enforce(r, "identity:update_endpoint_group", map[string]any{"endpoint_group_id": id}); err != nil {
		return err
	}
	var in endpointGroupInput
	extra, fields, err := decodeFields(r, "endpoint_group", &in)
	if err != nil {
		return err
	}
	if err := requireAttributes(fields); err != nil {
		return err
	}
	if err := in.check(fields, extra); err != nil {
		return err
	}
	if in.ID != nil && in.ID != any(id) {
		return errs.BadRequestf("Cannot change ID")
	}
	var g *endpointGroup
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if g, err = getEndpointGroupRow(tx, id); err != nil {
			return err
		}
		applyEndpointGroupUpdate(g, &in, fields)
		raw, _ := json.Marshal(g.Filters)
		_, err = tx.Exec("UPDATE identity_endpoint_groups SET name = ?, description = ?, filters = ? WHERE id = ?",
			g.Name, nullableString(g.Description), string(raw), g.ID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"endpoint_group": s.endpointGroupView(r, g)})
}

// applyEndpointGroupUpdate changes what an update names; the filters are
// replaced as a whole.
func applyEndpointGroupUpdate(g *endpointGroup, in *endpointGroupInput, fields entityFields) {
	if in.Name != nil {
		g.Name = *in.Name
	}
	if fields.has("description") {
		g.Description = in.Description
	}
	if in.Filters != nil {
		g.Filters = *in.Filters
	}
}

func (s *Service) deleteEndpointGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpoint_group_id")
	if err := s.enforce(r, "identity:delete_endpoint_group", map[string]any{"endpoint_group_id": id}); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getEndpointGroupRow(tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM identity_project_endpoint_groups WHERE endpoint_group_id = ?", id); err != nil {
			return err
		}
		_, err := tx.Exec("DELETE FROM identity_endpoint_groups WHERE id = ?", id)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listEndpointGroupEndpoints lists the endpoints a group's filters select.
func (s *Service) listEndpointGroupEndpoints(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpoint_group_id")
	if err := s.enforce(r, "identity:list_endpoints_associated_with_endpoint_group", map[string]any{"endpoint_group_id": id}); err != nil {
		return err
	}
	var list []*endpoint
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		if _, err := getEndpointGroupRow(tx, id); err != nil {
			return err
		}
		ids, err := endpointGroupMembers(tx, id)
		if err != nil {
			return err
		}
		list, err = endpointsByID(tx, ids)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeCollection(w, r, "endpoints", s.endpointViews(r, list), "", false)
}

// endpointsByID loads the endpoints with the given ids, ordered by id.
func endpointsByID(tx *db.Tx, ids []string) ([]*endpoint, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q := db.NewQuery("SELECT "+endpointColumns+" FROM identity_endpoints").
		Where("id IN ("+db.Placeholders(len(ids))+")", anySlice(ids)...).OrderBy("id")
	return queryEndpoints(tx, q)
}
