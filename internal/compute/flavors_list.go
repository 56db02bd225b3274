package compute

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// flavorListQuery is a parsed GET /flavors query.
type flavorListQuery struct {
	isPublic *bool // nil: public and private (admins only)
	minRAM   *int
	minDisk  *int
	sortKey  string
	desc     bool
	limit    int
	marker   *string
}

// flavorSortKeys are Nova's VALID_SORT_KEYS for flavors.
var flavorSortKeys = []string{"created_at", "description", "disabled", "ephemeral_gb", "flavorid", "id",
	"is_public", "memory_mb", "name", "root_gb", "rxtx_factor", "swap", "updated_at", "vcpu_weight", "vcpus"}

// flavorQueryKeys are the query parameters of the flavor lists (others are
// refused from 2.75).
var flavorQueryKeys = []string{"limit", "marker", "is_public", "minRam", "minDisk", "sort_key", "sort_dir"}

// parseFlavorList checks a flavor list query as Nova's index_query schema
// and FlavorsController._get_flavors do.
func (s *Service) parseFlavorList(r *http.Request) (*flavorListQuery, error) {
	q := r.URL.Query()
	if version(r).AtLeast(75) {
		if err := onlyQueryKeys(q, flavorQueryKeys...); err != nil {
			return nil, err
		}
	}
	l := &flavorListQuery{sortKey: "flavorid", limit: s.opts.ListLimit}
	if err := l.parseSort(q); err != nil {
		return nil, err
	}
	if v, ok := q["limit"]; ok {
		n, err := queryInt("limit", v[0])
		if err != nil {
			return nil, err
		}
		l.limit = min(n, l.limit)
	}
	if v, ok := q["marker"]; ok {
		l.marker = &v[0]
	}
	if err := l.parsePublic(q, s.isAdmin(r)); err != nil {
		return nil, err
	}
	var err error
	if l.minRAM, err = flavorMinFilter(q, "minRam"); err != nil {
		return nil, err
	}
	l.minDisk, err = flavorMinFilter(q, "minDisk")
	return l, err
}

func (l *flavorListQuery) parseSort(q url.Values) error {
	if v := q.Get("sort_key"); v != "" || q.Has("sort_key") {
		if !slices.Contains(flavorSortKeys, v) {
			return invalidQuery("sort_key", v, pyRepr(v)+" is not one of "+pyRepr(toAnySlice(flavorSortKeys)))
		}
		if v != "" {
			l.sortKey = v
		}
	}
	if q.Has("sort_dir") {
		v := q.Get("sort_dir")
		if v != "asc" && v != "desc" {
			return invalidQuery("sort_dir", v, pyRepr(v)+" is not one of ['asc', 'desc']")
		}
		l.desc = v == "desc"
	}
	return nil
}

// parsePublic reads is_public: admins choose (default public only;
// "none" means all), others always see public flavors (and their own
// private ones).
func (l *flavorListQuery) parsePublic(q url.Values, admin bool) error {
	yes := true
	l.isPublic = &yes
	if !admin || !q.Has("is_public") {
		return nil
	}
	v := q.Get("is_public")
	if strings.EqualFold(v, "none") {
		l.isPublic = nil
		return nil
	}
	b, ok := strictBoolString(v)
	if !ok {
		return errs.BadRequestf("Invalid is_public filter [%s]", v)
	}
	l.isPublic = &b
	return nil
}

// strictBoolString is oslo's bool_from_string(strict=True).
func strictBoolString(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "on", "y", "yes":
		return true, true
	case "0", "f", "false", "off", "n", "no":
		return false, true
	}
	return false, false
}

func flavorMinFilter(q url.Values, name string) (*int, error) {
	if !q.Has(name) {
		return nil, nil
	}
	v := q.Get(name)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return nil, errs.BadRequestf("Invalid %s filter [%s]", name, v)
	}
	return &n, nil
}

func toAnySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// run loads one page of flavors the caller sees.
func (l *flavorListQuery) run(tx *db.Tx, projectID string, admin bool) ([]*flavor, error) {
	q := visibleFlavors(db.NewQuery("SELECT "+flavorColumns+" FROM compute_flavors"), projectID, admin)
	if !admin {
		q.Where("disabled = FALSE")
	}
	if l.isPublic != nil {
		if *l.isPublic && projectID != "" {
			q.Where(`(is_public = TRUE OR EXISTS (SELECT 1 FROM compute_flavor_projects p
				WHERE p.flavor_id = compute_flavors.id AND p.project_id = ?))`, projectID)
		} else {
			q.Where("is_public = ?", *l.isPublic)
		}
	}
	if l.minRAM != nil {
		q.Where("memory_mb >= ?", *l.minRAM)
	}
	if l.minDisk != nil {
		q.Where("root_gb >= ?", *l.minDisk)
	}
	all, err := queryFlavors(tx, q)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, l.compare)
	start, err := l.afterMarker(tx, all, projectID, admin)
	if err != nil {
		return nil, err
	}
	all = all[start:]
	return all[:min(len(all), l.limit)], nil
}

// afterMarker is the index just past the marker flavor in the sorted
// list; the marker must be a flavor the caller sees.
func (l *flavorListQuery) afterMarker(tx *db.Tx, all []*flavor, projectID string, admin bool) (int, error) {
	if l.marker == nil {
		return 0, nil
	}
	mk, err := loadFlavor(tx, *l.marker, projectID, admin)
	if errs.Is(err, errs.NotFound) {
		return 0, errs.BadRequestf("marker [%s] not found", *l.marker)
	}
	if err != nil {
		return 0, err
	}
	for i, f := range all {
		if l.compare(f, mk) > 0 {
			return i, nil
		}
	}
	return len(all), nil
}

func queryFlavors(tx *db.Tx, q *db.Query) ([]*flavor, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*flavor
	for rows.Next() {
		f, err := scanFlavor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// compare orders flavors by the sort key then the internal id, both in
// the sort direction (Nova's paginate_query on [sort_key, 'id']); NULLs
// sort first ascending, as on MySQL.
func (l *flavorListQuery) compare(a, b *flavor) int {
	c := cmp.Or(compareFlavorKey(l.sortKey, a, b), cmp.Compare(a.ID, b.ID))
	if l.desc {
		return -c
	}
	return c
}

func compareFlavorKey(key string, a, b *flavor) int {
	switch key {
	case "created_at":
		return cmp.Compare(a.CreatedAt, b.CreatedAt)
	case "description":
		return compareNullable(a.Description, b.Description)
	case "disabled":
		return compareBool(a.Disabled, b.Disabled)
	case "ephemeral_gb":
		return cmp.Compare(a.EphemeralGB, b.EphemeralGB)
	case "id":
		return cmp.Compare(a.ID, b.ID)
	case "is_public":
		return compareBool(a.IsPublic, b.IsPublic)
	case "memory_mb":
		return cmp.Compare(a.MemoryMB, b.MemoryMB)
	case "name":
		return cmp.Compare(a.Name, b.Name)
	case "root_gb":
		return cmp.Compare(a.RootGB, b.RootGB)
	case "rxtx_factor":
		return cmp.Compare(a.RxtxFactor, b.RxtxFactor)
	case "swap":
		return cmp.Compare(a.Swap, b.Swap)
	case "updated_at":
		return compareNullable(a.UpdatedAt, b.UpdatedAt)
	case "vcpu_weight":
		return compareNullable(a.VCPUWeight, b.VCPUWeight)
	case "vcpus":
		return cmp.Compare(a.VCPUs, b.VCPUs)
	}
	return cmp.Compare(a.FlavorID, b.FlavorID)
}

func compareNullable[T cmp.Ordered](a, b *T) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Compare(*a, *b)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
