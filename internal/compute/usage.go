package compute

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// os-simple-tenant-usage: hours of vCPUs, RAM and disk each project's
// instances used in a period, counted from their launch to their
// termination (deleted instances count for their lifetime).

// usageRow is what the usage report reads of an instance.
type usageRow struct {
	uuid, project, name, vmState string
	flavor                       computerpc.Flavor
	launched, terminated         *int64
}

// usageQuery is a parsed usage request.
type usageQuery struct {
	start, stop time.Time
	detailed    bool
	limit       int
	marker      *string
	links       bool
}

// parseUsageQuery reads start, end, detailed and (2.40+) limit/marker.
func (s *Service) parseUsageQuery(r *http.Request, index bool) (*usageQuery, error) {
	v := version(r)
	q := r.URL.Query()
	if v.AtLeast(75) {
		keys := []string{"start", "end", "limit", "marker"}
		if index {
			keys = append(keys, "detailed")
		}
		if err := onlyQueryKeys(q, keys...); err != nil {
			return nil, err
		}
	}
	now := s.now()
	u := &usageQuery{limit: s.opts.ListLimit, links: v.AtLeast(40), detailed: q.Get("detailed") == "1"}
	var err error
	if u.start, err = usageTime(q, "start", now); err != nil {
		return nil, err
	}
	if u.stop, err = usageTime(q, "end", now); err != nil {
		return nil, err
	}
	// Both bounds default to now: Nova's two utcnow() calls differ by a
	// moment, so that empty window is not refused.
	bothNow := !q.Has("start") && !q.Has("end")
	if u.start.After(u.stop) || (u.start.Equal(u.stop) && !bothNow) {
		return nil, errs.BadRequestf("Invalid start time. The start time cannot occur after the end time.")
	}
	u.stop = minTime(u.stop, now)
	if u.links {
		err = u.parsePaging(q)
	}
	return u, err
}

func (u *usageQuery) parsePaging(q url.Values) error {
	if l, ok := q["limit"]; ok {
		n, err := queryInt("limit", l[0])
		if err != nil {
			return err
		}
		u.limit = min(n, u.limit)
	}
	if m, ok := q["marker"]; ok {
		u.marker = &m[0]
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// usageTime parses a period bound as Nova does (three layouts, UTC);
// absent means now.
func usageTime(q url.Values, name string, now time.Time) (time.Time, error) {
	s := q.Get(name)
	if s == "" {
		return now, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999", "2006-01-02 15:04:05.999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errs.BadRequestf("Invalid datetime string: Datetime is in invalid format")
}

// usageInstances loads the instances active in the period, by project
// then uuid, after the marker.
func usageInstances(tx *db.Tx, u *usageQuery, project string) ([]usageRow, error) {
	q := db.NewQuery(`SELECT uuid, project_id, display_name, vm_state, flavor, launched_at, terminated_at FROM compute_instances`).
		Where("(terminated_at IS NULL OR terminated_at > ?)", u.start.UnixMicro()).
		Where("launched_at < ?", u.stop.UnixMicro()).OrderBy("project_id", "uuid").Limit(u.limit)
	if project != "" {
		q.Where("project_id = ?", project)
	}
	if u.marker != nil {
		var mp string
		err := tx.QueryRow(`SELECT project_id FROM compute_instances WHERE uuid = ?`, *u.marker).Scan(&mp)
		if err == sql.ErrNoRows {
			return nil, errs.BadRequestf("Marker %s could not be found.", *u.marker)
		}
		if err != nil {
			return nil, err
		}
		q.Where("(project_id > ? OR (project_id = ? AND uuid > ?))", mp, mp, *u.marker)
	}
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []usageRow
	for rows.Next() {
		var row usageRow
		var fl string
		var launched, terminated sql.NullInt64
		if err := rows.Scan(&row.uuid, &row.project, &row.name, &row.vmState, &fl, &launched, &terminated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fl), &row.flavor); err != nil {
			return nil, err
		}
		if launched.Valid {
			row.launched = &launched.Int64
		}
		if terminated.Valid {
			row.terminated = &terminated.Int64
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// hoursFor is the part of the period the instance ran, in hours.
func hoursFor(row usageRow, start, stop time.Time) float64 {
	if row.launched == nil {
		return 0
	}
	launched := time.UnixMicro(*row.launched).UTC()
	end := stop
	if row.terminated != nil {
		term := time.UnixMicro(*row.terminated).UTC()
		if term.Before(start) {
			return 0
		}
		end = minTime(stop, term)
	}
	if launched.After(stop) {
		return 0
	}
	if launched.Before(start) {
		launched = start
	}
	return end.Sub(launched).Seconds() / 3600
}

// serverUsage is one instance's entry of a usage report.
func serverUsage(row usageRow, u *usageQuery, now time.Time) map[string]any {
	started := time.UnixMicro(*row.launched).UTC()
	info := map[string]any{"hours": hoursFor(row, u.start, u.stop), "flavor": row.flavor.Name,
		"instance_id": row.uuid, "name": row.name, "tenant_id": row.project, "memory_mb": row.flavor.MemoryMB,
		"local_gb": row.flavor.RootGB + row.flavor.EphemeralGB, "vcpus": row.flavor.VCPUs,
		"started_at": novaMicroTime(*row.launched), "ended_at": nil, "state": row.vmState}
	end := now
	if row.terminated != nil {
		info["ended_at"], info["state"] = novaMicroTime(*row.terminated), "terminated"
		end = time.UnixMicro(*row.terminated).UTC()
	}
	info["uptime"] = int(end.Sub(started).Seconds())
	return info
}

// tenantUsages sums the rows per project, in order of first appearance.
func tenantUsages(rows []usageRow, u *usageQuery, detailed bool, now time.Time) []map[string]any {
	var out []map[string]any
	byProject := map[string]map[string]any{}
	for _, row := range rows {
		info := serverUsage(row, u, now)
		sum, ok := byProject[row.project]
		if !ok {
			sum = map[string]any{"tenant_id": row.project, "total_local_gb_usage": 0.0, "total_vcpus_usage": 0.0,
				"total_memory_mb_usage": 0.0, "total_hours": 0.0,
				"start": novaMicroTime(u.start.UnixMicro()), "stop": novaMicroTime(u.stop.UnixMicro())}
			if detailed {
				sum["server_usages"] = []map[string]any{}
			}
			byProject[row.project] = sum
			out = append(out, sum)
		}
		hours := info["hours"].(float64)
		sum["total_local_gb_usage"] = sum["total_local_gb_usage"].(float64) + float64(info["local_gb"].(int))*hours
		sum["total_vcpus_usage"] = sum["total_vcpus_usage"].(float64) + float64(row.flavor.VCPUs)*hours
		sum["total_memory_mb_usage"] = sum["total_memory_mb_usage"].(float64) + float64(row.flavor.MemoryMB)*hours
		sum["total_hours"] = sum["total_hours"].(float64) + hours
		if detailed {
			sum["server_usages"] = append(sum["server_usages"].([]map[string]any), info)
		}
	}
	return out
}

// listTenantUsage is GET /os-simple-tenant-usage (every project).
func (s *Service) listTenantUsage(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-simple-tenant-usage:list", callerTarget(r)); err != nil {
		return err
	}
	u, err := s.parseUsageQuery(r, true)
	if err != nil {
		return err
	}
	rows, err := s.readUsage(r, u, "")
	if err != nil {
		return err
	}
	body := map[string]any{"tenant_usages": nonNil(tenantUsages(rows, u, u.detailed, s.now()))}
	s.addUsageLinks(r, body, "tenant_usages_links", "/v2.1/os-simple-tenant-usage", u, rows)
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// showTenantUsage is GET /os-simple-tenant-usage/{tenant_id} (always
// detailed; {} when the project used nothing).
func (s *Service) showTenantUsage(w http.ResponseWriter, r *http.Request) error {
	project := r.PathValue("tenant_id")
	if err := s.enforce(r, "os_compute_api:os-simple-tenant-usage:show", map[string]any{"project_id": project}); err != nil {
		return err
	}
	u, err := s.parseUsageQuery(r, false)
	if err != nil {
		return err
	}
	rows, err := s.readUsage(r, u, project)
	if err != nil {
		return err
	}
	var usage any = map[string]any{}
	if list := tenantUsages(rows, u, true, s.now()); len(list) > 0 {
		usage = list[0]
	}
	body := map[string]any{"tenant_usage": usage}
	s.addUsageLinks(r, body, "tenant_usage_links", "/v2.1/os-simple-tenant-usage/"+project, u, rows)
	return httpx.WriteJSON(w, http.StatusOK, body)
}

func (s *Service) readUsage(r *http.Request, u *usageQuery, project string) ([]usageRow, error) {
	var rows []usageRow
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if u.limit == 0 {
			return nil
		}
		rows, err = usageInstances(tx, u, project)
		return err
	})
	return rows, err
}

// addUsageLinks adds the next link (2.40+) when the page is full.
func (s *Service) addUsageLinks(r *http.Request, body map[string]any, key, path string, u *usageQuery, rows []usageRow) {
	if !u.links || len(rows) == 0 {
		return
	}
	if links := collectionLinks(r, s.baseURL(r), path, len(rows), u.limit, rows[len(rows)-1].uuid); links != nil {
		body[key] = links
	}
}
