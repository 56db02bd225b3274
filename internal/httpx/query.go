package httpx

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/errs"
)

// Page is a limit/marker page request. Limit 0 means no limit.
type Page struct {
	Limit  int
	Marker string
}

// ParsePage reads limit and marker. A limit above max (when max > 0) is
// lowered to max; a negative or non-numeric limit is a 400.
func ParsePage(q url.Values, max int) (Page, error) {
	p := Page{Marker: q.Get("marker")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, errs.BadRequestf("Invalid limit %q: it must be a non-negative integer.", s)
		}
		p.Limit = n
	}
	if max > 0 && (p.Limit == 0 || p.Limit > max) {
		p.Limit = max
	}
	return p, nil
}

// NextURL is the request URL with marker set to lastID and limit kept: the
// "next" link of a full page.
func NextURL(r *http.Request, baseURL, lastID string, limit int) string {
	q := r.URL.Query()
	q.Set("marker", lastID)
	q.Set("limit", strconv.Itoa(limit))
	return baseURL + r.URL.Path + "?" + q.Encode()
}

// SelfURL is the absolute URL of the request, query string included.
func SelfURL(r *http.Request, baseURL string) string {
	u := baseURL + r.URL.Path
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// SortKey is one sort criterion.
type SortKey struct {
	Key  string
	Desc bool
}

// ParseSort reads `sort=k1:dir,k2` or repeated `sort_key`/`sort_dir`. Keys
// must be in allowed; an unknown key or direction is a 400.
func ParseSort(q url.Values, allowed map[string]bool) ([]SortKey, error) {
	var keys []SortKey
	if s := q.Get("sort"); s != "" {
		for _, part := range strings.Split(s, ",") {
			k, dir, _ := strings.Cut(strings.TrimSpace(part), ":")
			sk, err := sortKey(k, dir, allowed)
			if err != nil {
				return nil, err
			}
			keys = append(keys, sk)
		}
		return keys, nil
	}
	dirs := q["sort_dir"]
	for i, k := range q["sort_key"] {
		dir := ""
		if i < len(dirs) {
			dir = dirs[i]
		} else if len(dirs) > 0 {
			dir = dirs[len(dirs)-1]
		}
		sk, err := sortKey(k, dir, allowed)
		if err != nil {
			return nil, err
		}
		keys = append(keys, sk)
	}
	return keys, nil
}

func sortKey(k, dir string, allowed map[string]bool) (SortKey, error) {
	if !allowed[k] {
		return SortKey{}, errs.BadRequestf("Invalid sort key %q.", k)
	}
	switch strings.ToLower(dir) {
	case "", "asc":
		return SortKey{Key: k}, nil
	case "desc":
		return SortKey{Key: k, Desc: true}, nil
	}
	return SortKey{}, errs.BadRequestf("Invalid sort direction %q: use asc or desc.", dir)
}

// FilterOp is how a filter compares.
type FilterOp string

// Filter operators: exact match and Keystone's __contains family.
const (
	OpEq          FilterOp = "eq"
	OpContains    FilterOp = "contains"
	OpIContains   FilterOp = "icontains"
	OpStartsWith  FilterOp = "startswith"
	OpIStartsWith FilterOp = "istartswith"
	OpEndsWith    FilterOp = "endswith"
	OpIEndsWith   FilterOp = "iendswith"
)

// Filter is one attribute filter from the query string.
type Filter struct {
	Key   string
	Op    FilterOp
	Value string
}

var filterOps = []FilterOp{OpIContains, OpContains, OpIStartsWith, OpStartsWith, OpIEndsWith, OpEndsWith}

// ParseFilters picks the allowed attribute filters out of a query string.
// `name__contains=x` style suffixes are accepted for keys in inexact.
// Unknown keys are ignored, as upstream services do.
func ParseFilters(q url.Values, exact []string, inexact []string) []Filter {
	var out []Filter
	for _, k := range exact {
		if vs, ok := q[k]; ok {
			out = append(out, Filter{Key: k, Op: OpEq, Value: vs[0]})
		}
	}
	for _, k := range inexact {
		for _, op := range filterOps {
			if vs, ok := q[k+"__"+string(op)]; ok {
				out = append(out, Filter{Key: k, Op: op, Value: vs[0]})
			}
		}
	}
	return out
}

// ParseBool reads a query-string boolean the way OpenStack services do:
// "0", "false", "f", "no", "n" and "off" (any case) are false, anything
// else is true.
func ParseBool(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "0", "false", "f", "no", "n", "off":
		return false
	}
	return true
}

// BaseURL is scheme://host of the request as the client reached it.
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host
}
