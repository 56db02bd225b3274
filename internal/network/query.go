package network

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

// listQuery is a parsed list request: attribute filters (repeated values
// are ORed), tag filters, fields, sort keys and a page.
type listQuery struct {
	filters     map[string][]any
	filterOrder []string
	tags        map[string][]string // tags, tags-any, not-tags, not-tags-any
	fields      []string
	sorts       []sortKey
	limit       int
	marker      string
	pageReverse bool
}

type sortKey struct {
	key string
	asc bool
}

// listParams are the query parameters that are not attribute filters.
var listParams = map[string]bool{"fields": true, "sort_key": true, "sort_dir": true, "limit": true,
	"marker": true, "page_reverse": true, "tags": true, "tags-any": true, "not-tags": true, "not-tags-any": true}

// parseListQuery reads a list request as Neutron's API controller does.
func parseListQuery(r *http.Request, res *Resource) (*listQuery, error) {
	q := r.URL.Query()
	lq := &listQuery{filters: map[string][]any{}, tags: map[string][]string{}, fields: nonEmpty(q["fields"]),
		pageReverse: strings.EqualFold(q.Get("page_reverse"), "true"), marker: q.Get("marker")}
	if err := lq.parseFilters(q, res); err != nil {
		return nil, err
	}
	for _, k := range []string{"tags", "tags-any", "not-tags", "not-tags-any"} {
		for _, v := range q[k] {
			lq.tags[k] = append(lq.tags[k], nonEmpty(strings.Split(v, ","))...)
		}
	}
	var err error
	if lq.sorts, err = parseSorts(q, res); err != nil {
		return nil, err
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, neutronerr.BadRequest("limit", "Limit must be an integer 0 or greater and not '"+s+"'")
		}
		lq.limit = n
	}
	return lq, nil
}

// parseFilters picks the attribute filters; unknown ones are refused
// (the filter-validation extension), values go through convert_to.
func (lq *listQuery) parseFilters(q url.Values, res *Resource) error {
	var invalid []string
	for _, key := range orderedKeys(q) {
		if listParams[key] {
			continue
		}
		a := res.Attr(key)
		if a == nil || !a.Filter {
			invalid = append(invalid, key)
			continue
		}
		for _, raw := range q[key] {
			v, err := filterValue(a, raw)
			if err != nil {
				return err
			}
			lq.filters[key] = append(lq.filters[key], v)
		}
		lq.filterOrder = append(lq.filterOrder, key)
	}
	if len(invalid) > 0 {
		return neutronerr.HTTPBadRequest(pyList(invalid) + " is invalid attribute for filtering")
	}
	return nil
}

// filterValue converts a filter's text to its attribute's type.
func filterValue(a *Attr, raw string) (any, error) {
	if a.Convert == nil {
		return raw, nil
	}
	return a.Convert(raw)
}

// parseSorts reads paired sort_key/sort_dir parameters.
func parseSorts(q url.Values, res *Resource) ([]sortKey, error) {
	keys, dirs := nonEmpty(q["sort_key"]), nonEmpty(q["sort_dir"])
	if len(keys) != len(dirs) {
		return nil, neutronerr.HTTPBadRequest("The number of sort_keys and sort_dirs must be same")
	}
	var badKeys, badDirs []string
	for _, k := range keys {
		if a := res.Attr(k); a == nil || !a.Sort {
			badKeys = append(badKeys, k)
		}
	}
	if len(badKeys) > 0 {
		return nil, neutronerr.HTTPBadRequest(pyList(badKeys) + " is invalid attribute for sort_keys")
	}
	out := make([]sortKey, len(keys))
	for i, k := range keys {
		if dirs[i] != "asc" && dirs[i] != "desc" {
			badDirs = append(badDirs, dirs[i])
		}
		out[i] = sortKey{key: k, asc: dirs[i] == "asc"}
	}
	if len(badDirs) > 0 {
		return nil, neutronerr.HTTPBadRequest(pyList(badDirs) + " is invalid value for sort_dirs, valid value is 'asc' and 'desc'")
	}
	return out, nil
}

// orderedKeys are the query's keys in the order they first appear.
func orderedKeys(q url.Values) []string {
	out := make([]string, 0, len(q))
	seen := map[string]bool{}
	for _, p := range queryPairs(q) {
		if !seen[p[0]] {
			seen[p[0]] = true
			out = append(out, p[0])
		}
	}
	return out
}

// queryPairs flattens values sorted by key (url.Values has no order).
func queryPairs(q url.Values) [][2]string {
	var out [][2]string
	for _, k := range sortedKeys(q) {
		for _, v := range q[k] {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

func nonEmpty(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// pyList is Python's repr() of a list of strings.
func pyList(vs []string) string {
	items := make([]any, len(vs))
	for i, v := range vs {
		items[i] = v
	}
	return pyStr(items)
}
