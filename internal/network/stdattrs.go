package network

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// StdAttrs are Neutron's standard attributes, stored as columns of each
// resource's table.
type StdAttrs struct {
	Description string
	CreatedAt   int64 // Unix microseconds
	UpdatedAt   int64
	Revision    int64
	Tags        []string
}

// put adds the standard attributes to an API dict.
func (a StdAttrs) put(m map[string]any) {
	m["description"] = a.Description
	m["created_at"] = isoTime(a.CreatedAt)
	m["updated_at"] = isoTime(a.UpdatedAt)
	m["revision_number"] = a.Revision
	tags := a.Tags
	if tags == nil {
		tags = []string{}
	}
	m["tags"] = tags
}

// stdAttrDefs are the standard attributes' entries in an attribute map.
func stdAttrDefs() []Attr {
	return []Attr{
		{Name: "description", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
		{Name: "created_at", Filter: true, Sort: true},
		{Name: "updated_at", Filter: true, Sort: true},
		{Name: "revision_number", Filter: true, Sort: true, Convert: toInt},
		{Name: "tags", Filter: true},
	}
}

// ifMatch reads "If-Match: revision_number=N" (check_request_for_revision_constraint);
// false when the request sets no constraint.
func ifMatch(r *http.Request) (int64, bool, error) {
	var rev int64
	found := false
	for _, h := range r.Header.Values("If-Match") {
		for _, tag := range strings.Split(h, ",") {
			tag = strings.Trim(strings.TrimSpace(tag), `"`)
			v, ok := strings.CutPrefix(tag, "revision_number=")
			if !ok {
				continue
			}
			if found {
				return 0, false, neutronerr.BadRequest("if-match", "Multiple revision_number etags are not supported.")
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, false, neutronerr.BadRequest("if-match", "Revision number etag must be in the format of revision_number=<int>")
			}
			rev, found = n, true
		}
	}
	return rev, found, nil
}

// checkRevision fails with 412 when the request constrains the revision
// and the stored one differs.
func checkRevision(r *http.Request, current int64) error {
	want, ok, err := ifMatch(r)
	if err != nil || !ok {
		return err
	}
	if want != current {
		return neutronerr.RevisionNumberConstraintFailed(want, current)
	}
	return nil
}

// loadTags reads the tags of resources of one type, by resource id.
func loadTags(tx *db.Tx, resourceType string, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	q := `SELECT resource_id, tag FROM network_tags WHERE resource_type = ?`
	args := []any{resourceType}
	if len(ids) <= 500 {
		q += ` AND resource_id IN (` + db.Placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := tx.Query(q+` ORDER BY resource_id, tag`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return nil, err
		}
		out[id] = append(out[id], tag)
	}
	return out, rows.Err()
}

// deleteTags drops every tag of a resource (on its delete).
func deleteTags(tx *db.Tx, resourceType, id string) error {
	_, err := tx.Exec(`DELETE FROM network_tags WHERE resource_type = ? AND resource_id = ?`, resourceType, id)
	return err
}
