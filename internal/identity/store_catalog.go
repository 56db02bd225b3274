package identity

import (
	"database/sql"
	"errors"
	"strings"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// catalogService is a row of identity_services; name and description are
// kept in extra, as upstream.
type catalogService struct {
	ID      string
	Type    string
	Enabled bool
	Extra   map[string]any
}

// Name is the service's name, or "".
func (c *catalogService) Name() string {
	n, _ := c.Extra["name"].(string)
	return n
}

// endpoint is a row of identity_endpoints.
type endpoint struct {
	ID        string
	ServiceID string
	Interface string
	URL       string
	RegionID  string
	Enabled   bool
	Extra     map[string]any
}

func scanService(sc interface{ Scan(...any) error }) (*catalogService, error) {
	var c catalogService
	var extra string
	if err := sc.Scan(&c.ID, &c.Type, &c.Enabled, &extra); err != nil {
		return nil, err
	}
	c.Extra = unmarshalExtra(extra)
	return &c, nil
}

func getService(tx *db.Tx, id string) (*catalogService, error) {
	c, err := scanService(tx.QueryRow("SELECT id, type, enabled, extra FROM identity_services WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find service: %s.", id)
	}
	return c, err
}

func queryServices(tx *db.Tx, q *db.Query) ([]*catalogService, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*catalogService
	for rows.Next() {
		c, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func insertService(tx *db.Tx, c *catalogService) error {
	_, err := tx.Exec("INSERT INTO identity_services (id, type, enabled, extra) VALUES (?, ?, ?, ?)",
		c.ID, c.Type, c.Enabled, marshalExtra(c.Extra))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Conflict occurred attempting to store service - Duplicate ID, %s.", c.ID)
	}
	return err
}

const endpointColumns = "id, service_id, interface, url, region_id, enabled, extra"

func scanEndpoint(sc interface{ Scan(...any) error }) (*endpoint, error) {
	var e endpoint
	var region sql.NullString
	var extra string
	if err := sc.Scan(&e.ID, &e.ServiceID, &e.Interface, &e.URL, &region, &e.Enabled, &extra); err != nil {
		return nil, err
	}
	e.RegionID = region.String
	e.Extra = unmarshalExtra(extra)
	return &e, nil
}

func getEndpoint(tx *db.Tx, id string) (*endpoint, error) {
	e, err := scanEndpoint(tx.QueryRow("SELECT "+endpointColumns+" FROM identity_endpoints WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find endpoint: %s.", id)
	}
	return e, err
}

func queryEndpoints(tx *db.Tx, q *db.Query) ([]*endpoint, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*endpoint
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func insertEndpoint(tx *db.Tx, e *endpoint) error {
	_, err := tx.Exec("INSERT INTO identity_endpoints ("+endpointColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.ID, e.ServiceID, e.Interface, e.URL, nullString(e.RegionID), e.Enabled, marshalExtra(e.Extra))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Conflict occurred attempting to store endpoint - Duplicate ID, %s.", e.ID)
	}
	return err
}

// catalogFor builds the catalog a token shows: enabled services with their
// enabled endpoints, URLs substituted for the token's project and user,
// narrowed by endpoint filter associations when the project has any.
func catalogFor(tx *db.Tx, t *auth.Token) ([]api.CatalogService, error) {
	services, err := queryServices(tx, db.NewQuery("SELECT id, type, enabled, extra FROM identity_services").
		Where("enabled = ?", true).OrderBy("type", "id"))
	if err != nil {
		return nil, err
	}
	eps, err := queryEndpoints(tx, db.NewQuery("SELECT "+endpointColumns+" FROM identity_endpoints").
		Where("enabled = ?", true).OrderBy("id"))
	if err != nil {
		return nil, err
	}
	allowed, err := projectEndpointFilter(tx, t.ProjectID())
	if err != nil {
		return nil, err
	}
	byService := map[string][]api.CatalogEndpoint{}
	for _, e := range eps {
		if allowed != nil && !allowed[e.ID] {
			continue
		}
		url, ok := substituteURL(e.URL, t.ProjectID(), t.UserID)
		if !ok {
			continue
		}
		var region *string
		if e.RegionID != "" {
			r := e.RegionID
			region = &r
		}
		byService[e.ServiceID] = append(byService[e.ServiceID], api.CatalogEndpoint{ID: e.ID, Interface: e.Interface,
			RegionID: region, URL: url, Region: region})
	}
	out := make([]api.CatalogService, 0, len(services))
	for _, c := range services {
		if allowed != nil && len(byService[c.ID]) == 0 {
			continue
		}
		list := byService[c.ID]
		if list == nil {
			list = []api.CatalogEndpoint{}
		}
		out = append(out, api.CatalogService{Endpoints: list, ID: c.ID, Type: c.Type, Name: c.Name()})
	}
	return out, nil
}

// projectEndpointFilter returns the endpoint ids associated with a project
// (directly or through endpoint groups), or nil when it has none.
func projectEndpointFilter(tx *db.Tx, projectID string) (map[string]bool, error) {
	if projectID == "" {
		return nil, nil
	}
	ids, err := tx.Strings("SELECT endpoint_id FROM identity_project_endpoints WHERE project_id = ?", projectID)
	if err != nil {
		return nil, err
	}
	groups, err := tx.Strings("SELECT endpoint_group_id FROM identity_project_endpoint_groups WHERE project_id = ?", projectID)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 && len(groups) == 0 {
		return nil, nil
	}
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = true
	}
	for _, g := range groups {
		eps, err := endpointGroupMembers(tx, g)
		if err != nil {
			return nil, err
		}
		for _, id := range eps {
			out[id] = true
		}
	}
	return out, nil
}

// substituteURL fills $(project_id)s, $(tenant_id)s and $(user_id)s (and
// the %(...)s forms) in an endpoint URL; ok is false when the URL needs a
// project the token does not have.
func substituteURL(url, projectID, userID string) (string, bool) {
	if !strings.ContainsAny(url, "$%") {
		return url, true
	}
	needsProject := false
	for _, k := range []string{"project_id", "tenant_id"} {
		for _, form := range []string{"$(" + k + ")s", "%(" + k + ")s"} {
			if strings.Contains(url, form) {
				needsProject = true
				url = strings.ReplaceAll(url, form, projectID)
			}
		}
	}
	if needsProject && projectID == "" {
		return "", false
	}
	url = strings.ReplaceAll(url, "$(user_id)s", userID)
	url = strings.ReplaceAll(url, "%(user_id)s", userID)
	return url, true
}
