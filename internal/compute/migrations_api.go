package compute

import (
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// migrationRow is a compute_migrations row with its destination's IP.
type migrationRow struct {
	ID                                               int64
	UUID, InstanceUUID, Type, Status                 string
	SourceCompute, SourceNode, DestCompute, DestNode *string
	OldFlavorID, NewFlavorID, DestHost               *string
	CreatedAt, UpdatedAt                             int64
}

const migrationColumns = `m.id, m.uuid, m.instance_uuid, m.migration_type, m.status, m.source_compute, m.source_node,
	m.dest_compute, m.dest_node,
	COALESCE((SELECT CAST(f.id AS TEXT) FROM compute_flavors f WHERE f.flavorid = m.old_flavor_id), m.old_flavor_id),
	COALESCE((SELECT CAST(f.id AS TEXT) FROM compute_flavors f WHERE f.flavorid = m.new_flavor_id), m.new_flavor_id),
	(SELECT MIN(n.host_ip) FROM compute_nodes n WHERE n.host = m.dest_compute), m.created_at, m.updated_at`

func scanMigration(sc interface{ Scan(...any) error }) (*migrationRow, error) {
	var m migrationRow
	err := sc.Scan(&m.ID, &m.UUID, &m.InstanceUUID, &m.Type, &m.Status, &m.SourceCompute, &m.SourceNode,
		&m.DestCompute, &m.DestNode, &m.OldFlavorID, &m.NewFlavorID, &m.DestHost, &m.CreatedAt, &m.UpdatedAt)
	return &m, err
}

// liveMigrationInProgress are the statuses that give a live migration
// links (2.23).
var liveMigrationInProgress = []string{"queued", "preparing", "running", "post-migrating"}

// migrationView is a migration at microversion v.
func (s *Service) migrationView(r *http.Request, m *migrationRow, v httpx.Microversion) map[string]any {
	out := map[string]any{"id": m.ID, "instance_uuid": m.InstanceUUID, "status": m.Status,
		"source_compute": m.SourceCompute, "source_node": m.SourceNode, "dest_compute": m.DestCompute,
		"dest_node": m.DestNode, "dest_host": m.DestHost, "old_instance_type_id": flavorNumber(m.OldFlavorID),
		"new_instance_type_id": flavorNumber(m.NewFlavorID), "created_at": microTime(m.CreatedAt),
		"updated_at": microTime(m.UpdatedAt)}
	if v.AtLeast(23) {
		out["migration_type"] = m.Type
		if m.Type == "live-migration" && slices.Contains(liveMigrationInProgress, m.Status) {
			out["links"] = linksFor(s.baseURL(r), "servers/"+m.InstanceUUID+"/migrations", strconv.FormatInt(m.ID, 10))
		}
	}
	if v.AtLeast(59) {
		out["uuid"] = m.UUID
	}
	return out
}

// flavorNumber is the integer flavor id Nova shows as *_instance_type_id:
// the flavor's internal id, or the flavor id itself when the flavor is
// gone and the id is a number (null otherwise).
func flavorNumber(id *string) any {
	if id == nil {
		return nil
	}
	n, err := strconv.ParseInt(*id, 10, 64)
	if err != nil {
		return nil
	}
	return n
}

// listMigrations is GET /os-migrations.
func (s *Service) listMigrations(w http.ResponseWriter, r *http.Request) error {
	v, raw := version(r), r.URL.Query()
	if err := checkMigrationQuery(raw, v); err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-migrations:index", map[string]any{}); err != nil {
		return err
	}
	q := db.NewQuery(`SELECT ` + migrationColumns + ` FROM compute_migrations m`)
	limit := 0
	var list []*migrationRow
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if err := migrationFilters(q, raw, v); err != nil {
			return err
		}
		if v.AtLeast(59) {
			if limit, err = s.migrationPaging(tx, q, raw); err != nil {
				return err
			}
		} else {
			q.OrderBy("m.id")
		}
		list, err = runMigrationQuery(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, m := range list {
		out = append(out, s.migrationView(r, m, v))
	}
	body := map[string]any{"migrations": out}
	if v.AtLeast(59) && len(list) > 0 {
		if links := collectionLinks(r, s.baseURL(r), "/v2.1/os-migrations", len(list), limit, list[len(list)-1].UUID); links != nil {
			body["migrations_links"] = links
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// checkMigrationQuery is the 2.59 and 2.66 query schemas.
func checkMigrationQuery(raw url.Values, v httpx.Microversion) error {
	if !v.AtLeast(59) {
		return nil
	}
	keys := []string{"hidden", "host", "instance_uuid", "source_compute", "status", "migration_type", "limit",
		"marker", "changes-since"}
	if v.AtLeast(66) {
		keys = append(keys, "changes-before")
	}
	return onlyQueryKeys(raw, keys...)
}

// migrationFilters adds Nova's migration_get_all_by_filters conditions.
func migrationFilters(q *db.Query, raw url.Values, v httpx.Microversion) error {
	get := func(k string) (string, bool) { return lastQuery(raw, k) }
	if st, ok := get("status"); ok {
		q.Where("m.status = ?", st)
	}
	if h, ok := get("host"); ok {
		q.Where("(m.source_compute = ? OR m.dest_compute = ?)", h, h)
	} else if h, ok := get("source_compute"); ok {
		q.Where("m.source_compute = ?", h)
	}
	if t, ok := get("migration_type"); ok {
		q.Where("m.migration_type = ?", t)
	}
	if u, ok := get("instance_uuid"); ok {
		q.Where("m.instance_uuid = ?", u)
	}
	if h, ok := get("hidden"); ok && httpx.ParseBool(h) {
		q.Where("1 = 0")
	}
	if !v.AtLeast(59) {
		return nil
	}
	return migrationTimes(q, raw, v)
}

// migrationTimes adds changes-since (2.59) and changes-before (2.66).
func migrationTimes(q *db.Query, raw url.Values, v httpx.Microversion) error {
	var since int64
	s, hasSince := lastQuery(raw, "changes-since")
	if hasSince {
		t, err := parseISOTime(s)
		if err != nil {
			return invalidQuery("changes-since", s, "'"+s+"' is not a 'date-time'")
		}
		since = t.UnixMicro()
		q.Where("m.updated_at >= ?", since)
	}
	b, hasBefore := lastQuery(raw, "changes-before")
	if !hasBefore || !v.AtLeast(66) {
		return nil
	}
	t, err := parseISOTime(b)
	if err != nil {
		return invalidQuery("changes-before", b, "'"+b+"' is not a 'date-time'")
	}
	if hasSince && t.UnixMicro() < since {
		return errs.BadRequestf("The value of changes-since must be less than or equal to changes-before.")
	}
	q.Where("m.updated_at <= ?", t.UnixMicro())
	return nil
}

// migrationPaging applies 2.59's newest-first order, marker and limit;
// it returns the page size.
func (s *Service) migrationPaging(tx *db.Tx, q *db.Query, raw url.Values) (int, error) {
	limit := s.opts.ListLimit
	if l, ok := raw["limit"]; ok {
		n, err := queryInt("limit", l[0])
		if err != nil {
			return 0, err
		}
		limit = min(n, limit)
	}
	if marker := raw.Get("marker"); marker != "" {
		var created, id int64
		err := tx.QueryRow(`SELECT created_at, id FROM compute_migrations WHERE uuid = ?`, marker).Scan(&created, &id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, errs.BadRequestf("Marker %s could not be found.", marker)
		}
		if err != nil {
			return 0, err
		}
		q.Where("(m.created_at < ? OR (m.created_at = ? AND m.id < ?))", created, created, id)
	}
	if limit == 0 {
		q.Where("1 = 0")
	}
	q.OrderBy("m.created_at DESC", "m.id DESC").Limit(limit)
	return limit, nil
}

func runMigrationQuery(tx *db.Tx, q *db.Query) ([]*migrationRow, error) {
	sqlText, args := q.SQL()
	rows, err := tx.Query(sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*migrationRow
	for rows.Next() {
		m, err := scanMigration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
