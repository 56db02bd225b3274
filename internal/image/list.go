package image

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

var sortKeys = []string{"name", "status", "container_format", "disk_format", "size", "id", "created_at", "updated_at"}

// listImages is GET /v2/images with Glance's filters, sorting and paging.
func (s *Service) listImages(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "get_images", map[string]any{"project_id": projectOf(r)}); err != nil {
		return err
	}
	q := r.URL.Query()
	query := db.NewQuery("SELECT " + imageColumns + " FROM image_images")
	if err := s.visibilityFilter(r, query, q); err != nil {
		return err
	}
	if err := imageFilters(query, q); err != nil {
		return err
	}
	order, err := sortOrder(q)
	if err != nil {
		return err
	}
	query.OrderBy(order...)
	limit, err := s.pageLimit(q)
	if err != nil {
		return err
	}
	// Under the default order a marker becomes a condition (keyset paging);
	// other orders read every matching row and skip to the marker.
	keyset := q.Get("marker") != "" && slices.Equal(order, defaultOrder)
	if q.Get("marker") == "" || keyset {
		query.Limit(limit + 1) // one more tells whether a next page exists
	}
	var list []*image
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		if keyset {
			if err := s.afterMarkerRow(r, tx, query, q.Get("marker")); err != nil {
				return err
			}
		}
		stmt, args := query.SQL()
		rows, err := tx.Query(stmt, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			im, err := scanImage(rows)
			if err != nil {
				return err
			}
			list = append(list, im)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if !keyset {
			if list, err = afterMarker(list, q.Get("marker")); err != nil {
				return err
			}
		}
		if len(list) > limit+1 {
			list = list[:limit+1]
		}
		return loadDetails(tx, list)
	})
	if err != nil {
		return err
	}
	rest := map[string]any{"first": "/v2/images", "schema": "/v2/schemas/images"}
	if len(list) > limit {
		list = list[:limit]
		next := url.Values{}
		for k, v := range q {
			if k != "marker" {
				next[k] = v
			}
		}
		next.Set("marker", list[len(list)-1].ID)
		rest["next"] = "/v2/images?" + next.Encode()
	}
	views := make([]map[string]any, len(list))
	for i, im := range list {
		views[i] = s.view(im)
	}
	return httpx.WriteJSONList(w, "images", views, rest)
}

// visibilityFilter limits a list to what the caller may see, as Glance: by
// default the project's own images, public ones and shared ones it accepted;
// community images only when asked for.
func (s *Service) visibilityFilter(r *http.Request, query *db.Query, q url.Values) error {
	vis := q.Get("visibility")
	if vis != "" && vis != "all" && !slices.Contains(visibilities, vis) {
		return errs.BadRequestf("Invalid visibility value: %s", vis)
	}
	project := projectOf(r)
	memberStatus := "accepted"
	if q.Has("member_status") {
		memberStatus = q.Get("member_status")
	}
	if !slices.Contains([]string{"accepted", "pending", "rejected", "all"}, memberStatus) {
		return errs.BadRequestf("Invalid status: %s", memberStatus)
	}
	member := "EXISTS (SELECT 1 FROM image_members m WHERE m.image_id = image_images.id AND m.member = ?" +
		map[bool]string{true: "", false: " AND m.status = ?"}[memberStatus == "all"] + ")"
	memberArgs := []any{project}
	if memberStatus != "all" {
		memberArgs = append(memberArgs, memberStatus)
	}
	if vis != "" && vis != "all" {
		query.Where("visibility = ?", vis)
	}
	if s.isAdmin(r) {
		if vis == "" && project == "" {
			query.Where("visibility <> 'community'")
		} else if vis == "" {
			query.Where("(owner = ? OR visibility <> 'community')", project)
		}
		return nil
	}
	switch vis {
	case "", "all":
		cond := "owner = ? OR visibility = 'public' OR (visibility = 'shared' AND " + member + ")"
		if vis == "all" {
			cond += " OR visibility = 'community'"
		}
		query.Where("("+cond+")", append([]any{project}, memberArgs...)...)
	case "public", "community":
	case "private":
		query.Where("owner = ?", project)
	case "shared":
		query.Where("(owner = ? OR "+member+")", append([]any{project}, memberArgs...)...)
	}
	return nil
}

// imageFilters applies the attribute filters of a list request.
func imageFilters(query *db.Query, q url.Values) error {
	for _, k := range []string{"name", "status", "owner", "disk_format", "container_format", "checksum", "os_hash_value"} {
		if v, ok := q[k]; ok {
			vals := strings.Split(strings.TrimPrefix(v[0], "in:"), ",")
			if !strings.HasPrefix(v[0], "in:") {
				vals = []string{v[0]}
			}
			query.Where(k+" IN ("+db.Placeholders(len(vals))+")", toAny(vals)...)
		}
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errs.BadRequestf("Invalid value for size: %s", v)
		}
		query.Where("size = ?", n)
	}
	propertyFilters(query, q)
	if v := q.Get("id"); v != "" {
		vals := strings.Split(strings.TrimPrefix(v, "in:"), ",")
		query.Where("id IN ("+db.Placeholders(len(vals))+")", toAny(vals)...)
	}
	for _, t := range q["tag"] {
		query.Where("EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = image_images.id AND t.value = ?)", t)
	}
	for k, op := range map[string]string{"size_min": ">=", "size_max": "<="} {
		if v := q.Get(k); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return errs.BadRequestf("Invalid value for %s: %s", k, v)
			}
			query.Where("size "+op+" ?", n)
		}
	}
	for _, k := range []string{"protected", "os_hidden"} {
		v := q.Get(k)
		if v == "" && k == "os_hidden" {
			v = "false"
		}
		if v == "" {
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errs.BadRequestf("Invalid value '%s' for '%s' filter. Valid values are 'true' or 'false'.", v, k)
		}
		query.Where(k+" = ?", b)
	}
	for _, k := range []string{"created_at", "updated_at"} {
		if v := q.Get(k); v != "" {
			if err := timeFilter(query, k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// listParams are the query parameters with a meaning of their own; as
// upstream, any other filters on the free-form property of that name.
var listParams = []string{"limit", "marker", "sort", "sort_key", "sort_dir", "visibility", "member_status", "name", "status",
	"owner", "disk_format", "container_format", "checksum", "os_hash_value", "id", "tag", "size", "size_min", "size_max",
	"protected", "os_hidden", "created_at", "updated_at"}

func propertyFilters(query *db.Query, q url.Values) {
	for _, k := range sortedKeys(q) {
		if slices.Contains(listParams, k) {
			continue
		}
		query.Where("EXISTS (SELECT 1 FROM image_properties p WHERE p.image_id = image_images.id AND p.name = ? AND p.value = ?)", k, q.Get(k))
	}
}

// timeFilter applies "op:time" (gt, gte, lt, lte, eq, neq) to a time column.
func timeFilter(query *db.Query, col, v string) error {
	ops := map[string]string{"gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "eq": "=", "neq": "<>"}
	opName, when, ok := strings.Cut(v, ":")
	op, known := ops[opName]
	if !ok || !known {
		op, when = "=", v
	}
	t, err := time.Parse(time.RFC3339, when)
	if err != nil {
		if t, err = time.Parse("2006-01-02T15:04:05", when); err != nil {
			return errs.BadRequestf("Invalid time format for %s.", col)
		}
	}
	query.Where(col+" "+op+" ?", t.UnixMicro())
	return nil
}

// sortOrder reads sort=k:dir,... or sort_key/sort_dir; the default is
// created_at desc, and id breaks ties.
func sortOrder(q url.Values) ([]string, error) {
	type key struct{ name, dir string }
	var keys []key
	if s := q.Get("sort"); s != "" {
		if q.Has("sort_key") || q.Has("sort_dir") {
			return nil, errs.BadRequestf("The sort and sort_key/sort_dir parameters are mutually exclusive.")
		}
		for _, part := range strings.Split(s, ",") {
			name, dir, _ := strings.Cut(strings.TrimSpace(part), ":")
			if dir == "" {
				dir = "desc"
			}
			keys = append(keys, key{name, dir})
		}
	} else {
		dirs := q["sort_dir"]
		for i, name := range q["sort_key"] {
			dir := "desc"
			if i < len(dirs) {
				dir = dirs[i]
			} else if len(dirs) > 0 {
				dir = dirs[len(dirs)-1]
			}
			keys = append(keys, key{name, dir})
		}
	}
	if len(keys) == 0 {
		keys = []key{{"created_at", "desc"}}
	}
	var order []string
	for _, k := range keys {
		if !slices.Contains(sortKeys, k.name) {
			return nil, errs.BadRequestf("Invalid sort key: %s. It must be one of the following: %s.", k.name, strings.Join(sortKeys, ", "))
		}
		if k.dir != "asc" && k.dir != "desc" {
			return nil, errs.BadRequestf("Invalid sort direction: %s", k.dir)
		}
		order = append(order, k.name+" "+strings.ToUpper(k.dir))
	}
	if !slices.ContainsFunc(keys, func(k key) bool { return k.name == "id" }) {
		order = append(order, "id DESC")
	}
	return order, nil
}

// defaultPageSize is Glance's limit_param_default.
const defaultPageSize = 25

// pageLimit is the limit parameter (25 by default), capped by the list
// limit (Glance's api_limit_max).
func (s *Service) pageLimit(q url.Values) (int, error) {
	limit := min(defaultPageSize, s.opts.ListLimit)
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, errs.BadRequestf("limit param must be an integer")
		}
		limit = min(n, limit)
	}
	return limit, nil
}

// defaultOrder is the list order without sort parameters.
var defaultOrder = []string{"created_at DESC", "id DESC"}

// afterMarkerRow limits a default-ordered list to the images after the
// marker, which the caller must be able to see.
func (s *Service) afterMarkerRow(r *http.Request, tx *db.Tx, query *db.Query, marker string) error {
	m, err := s.loadVisible(r, tx, marker)
	if errs.Is(err, errs.NotFound) {
		return errs.BadRequestf("marker not found")
	}
	if err != nil {
		return err
	}
	at := m.CreatedAt.UnixMicro()
	query.Where("(created_at < ? OR (created_at = ? AND id < ?))", at, at, m.ID)
	return nil
}

// afterMarker drops the images up to and including the marker.
func afterMarker(list []*image, marker string) ([]*image, error) {
	if marker == "" {
		return list, nil
	}
	i := slices.IndexFunc(list, func(im *image) bool { return im.ID == marker })
	if i < 0 {
		return nil, errs.BadRequestf("marker not found")
	}
	return list[i+1:], nil
}

func toAny(vs []string) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}
