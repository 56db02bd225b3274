package identity

import (
	"database/sql"
	"errors"
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// region is a row of identity_regions.
type region struct {
	ID          string
	Description string
	ParentID    string
	Extra       map[string]any
}

// regionInput is the body of region create and update.
type regionInput struct {
	ID             *string `json:"id"`
	Description    *string `json:"description"`
	ParentRegionID *string `json:"parent_region_id"`
}

const regionColumns = "id, description, parent_region_id, extra"

func scanRegion(sc interface{ Scan(...any) error }) (*region, error) {
	var rg region
	var parent sql.NullString
	var extra string
	if err := sc.Scan(&rg.ID, &rg.Description, &parent, &extra); err != nil {
		return nil, err
	}
	rg.ParentID = parent.String
	rg.Extra = unmarshalExtra(extra)
	return &rg, nil
}

// findRegion loads a region, or nil when there is none.
func findRegion(tx *db.Tx, id string) (*region, error) {
	rg, err := scanRegion(tx.QueryRow("SELECT "+regionColumns+" FROM identity_regions WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return rg, err
}

func getRegion(tx *db.Tx, id string) (*region, error) {
	rg, err := findRegion(tx, id)
	if err == nil && rg == nil {
		return nil, errs.NotFoundf("Could not find region: %s.", id)
	}
	return rg, err
}

func queryRegions(tx *db.Tx, q *db.Query) ([]*region, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*region
	for rows.Next() {
		rg, err := scanRegion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rg)
	}
	return out, rows.Err()
}

// insertRegion stores a new region after upstream's checks: a unique id,
// then an existing parent.
func insertRegion(tx *db.Tx, rg *region, parent *string) error {
	if old, err := findRegion(tx, rg.ID); err != nil || old != nil {
		if err != nil {
			return err
		}
		return regionConflict(rg.ID)
	}
	if parent != nil {
		if _, err := getRegion(tx, *parent); err != nil {
			return err
		}
		rg.ParentID = *parent
	}
	_, err := tx.Exec("INSERT INTO identity_regions ("+regionColumns+") VALUES (?, ?, ?, ?)",
		rg.ID, rg.Description, nullString(rg.ParentID), marshalExtra(rg.Extra))
	if errors.Is(err, db.ErrConflict) {
		return regionConflict(rg.ID)
	}
	return err
}

// regionConflict is upstream's duplicate-region error (its message does
// end in two periods).
func regionConflict(id string) error {
	return errs.Conflictf("Conflict occurred attempting to store region - Duplicate ID, %s..", id)
}

func (s *Service) regionView(r *http.Request, rg *region) api.Region {
	v := api.Region{ID: rg.ID, Description: rg.Description, Extra: rg.Extra,
		Links: api.Links{Self: s.selfLink(r, "/v3/regions/"+rg.ID)}}
	if rg.ParentID != "" {
		p := rg.ParentID
		v.ParentRegionID = &p
	}
	return v
}

func (s *Service) listRegions(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_regions", nil); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + regionColumns + " FROM identity_regions")
	for _, f := range httpx.ParseFilters(r.URL.Query(), []string{"parent_region_id"}, []string{"parent_region_id"}) {
		q.Match("parent_region_id", string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*region
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryRegions(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(rg *region) string { return rg.ID })
	out := make([]api.Region, len(list))
	for i, rg := range list {
		out[i] = s.regionView(r, rg)
	}
	return s.writeCollection(w, r, "regions", out, next, truncated)
}

func (s *Service) getRegionHandler(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("region_id")
	if err := s.enforce(r, "identity:get_region", map[string]any{"region_id": id}); err != nil {
		return err
	}
	var rg *region
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		rg, err = getRegion(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"region": s.regionView(r, rg)})
}

// createRegion is POST /v3/regions: the id comes from the body or is
// generated.
func (s *Service) createRegion(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:create_region", nil); err != nil {
		return err
	}
	var in regionInput
	extra, fields, err := decodeFields(r, "region", &in)
	if err != nil {
		return err
	}
	if err := refuseNulls(fields, "string", "id"); err != nil {
		return err
	}
	id := stringOr(in.ID, "")
	if id == "" {
		id = s.newID()
	}
	return s.storeRegion(w, r, id, &in, extra)
}

// putRegion is PUT /v3/regions/{region_id}: create with the path's id.
func (s *Service) putRegion(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:create_region", nil); err != nil {
		return err
	}
	var in regionInput
	extra, fields, err := decodeFields(r, "region", &in)
	if err != nil {
		return err
	}
	if err := refuseNulls(fields, "string", "id"); err != nil {
		return err
	}
	id := r.PathValue("region_id")
	if in.ID != nil && *in.ID != id {
		return errs.BadRequestf("Conflicting region IDs specified: \"%s\" != \"%s\"", id, *in.ID)
	}
	return s.storeRegion(w, r, id, &in, extra)
}

// storeRegion inserts a region created by POST or PUT and answers 201.
func (s *Service) storeRegion(w http.ResponseWriter, r *http.Request, id string, in *regionInput, extra map[string]any) error {
	rg := &region{ID: id, Description: stringOr(in.Description, ""), Extra: normalizeKeys(extra)}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		return insertRegion(tx, rg, in.ParentRegionID)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"region": s.regionView(r, rg)})
}

func (s *Service) updateRegion(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("region_id")
	if err := s.enforce(r, "identity:update_region", map[string]any{"region_id": id}); err != nil {
		return err
	}
	var in regionInput
	extra, fields, err := decodeFields(r, "region", &in)
	if err != nil {
		return err
	}
	if err := requireAttributes(fields); err != nil {
		return err
	}
	if err := refuseNulls(fields, "string", "id"); err != nil {
		return err
	}
	if in.ID != nil && *in.ID != id {
		return errs.BadRequestf("Cannot change ID")
	}
	var rg *region
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if in.ParentRegionID != nil {
			if _, err := getRegion(tx, *in.ParentRegionID); err != nil {
				return err
			}
		}
		if rg, err = getRegion(tx, id); err != nil {
			return err
		}
		applyRegionUpdate(rg, &in, fields, extra)
		if err := checkRegionCycle(tx, rg); err != nil {
			return err
		}
		_, err = tx.Exec("UPDATE identity_regions SET description = ?, parent_region_id = ?, extra = ? WHERE id = ?",
			rg.Description, nullString(rg.ParentID), marshalExtra(rg.Extra), rg.ID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"region": s.regionView(r, rg)})
}

// applyRegionUpdate changes what an update names: a null description
// becomes "", a null parent detaches the region.
func applyRegionUpdate(rg *region, in *regionInput, fields entityFields, extra map[string]any) {
	if fields.has("description") {
		rg.Description = stringOr(in.Description, "")
	}
	if fields.has("parent_region_id") {
		rg.ParentID = stringOr(in.ParentRegionID, "")
	}
	rg.Extra = mergeExtra(rg.Extra, extra)
}

// checkRegionCycle refuses a parent that has the region among its
// ancestors (or is the region itself).
func checkRegionCycle(tx *db.Tx, rg *region) error {
	for parent := rg.ParentID; parent != ""; {
		if parent == rg.ID {
			return errs.BadRequestf("The specified parent region %s would create a circular region hierarchy.", parent)
		}
		p, err := getRegion(tx, parent)
		if err != nil {
			return err
		}
		parent = p.ParentID
	}
	return nil
}

// deleteRegion removes a region and its child regions, refused while
// any of them has endpoints.
func (s *Service) deleteRegion(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("region_id")
	if err := s.enforce(r, "identity:delete_region", map[string]any{"region_id": id}); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getRegion(tx, id); err != nil {
			return err
		}
		tree, err := regionSubtree(tx, id)
		if err != nil {
			return err
		}
		used, err := tx.Exists("SELECT 1 FROM identity_endpoints WHERE region_id IN ("+db.Placeholders(len(tree))+")", anySlice(tree)...)
		if err != nil {
			return err
		}
		if used {
			return errs.Forbiddenf("Unable to delete region %s because it or its child regions have associated endpoints.", id)
		}
		for i := len(tree) - 1; i >= 0; i-- {
			if _, err := tx.Exec("DELETE FROM identity_regions WHERE id = ?", tree[i]); err != nil {
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

// regionSubtree lists a region and its descendants, parents before
// children.
func regionSubtree(tx *db.Tx, id string) ([]string, error) {
	tree := []string{id}
	seen := map[string]bool{id: true}
	for i := 0; i < len(tree); i++ {
		children, err := tx.Strings("SELECT id FROM identity_regions WHERE parent_region_id = ? ORDER BY id", tree[i])
		if err != nil {
			return nil, err
		}
		for _, c := range children {
			if !seen[c] {
				seen[c] = true
				tree = append(tree, c)
			}
		}
	}
	return tree, nil
}

// anySlice converts strings to query arguments.
func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
