package network

import (
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/monostack/monostack/internal/httpx"
)

// The list machinery every resource reuses: items come in as their API
// dicts (already limited to what the caller may see), and go out filtered,
// sorted, paged and cut to the requested fields, with <collection>_links
// as Neutron's pagination extension renders them.

// applyList filters, sorts and pages items; the page and whether paging
// was asked for.
func applyList(items []map[string]any, lq *listQuery) []map[string]any {
	out := items[:0:0]
	for _, it := range items {
		if lq.matches(it) {
			out = append(out, it)
		}
	}
	sorts := lq.sorts
	if lq.limit > 0 && !slices.ContainsFunc(sorts, func(k sortKey) bool { return k.key == "id" }) {
		sorts = append(slices.Clone(sorts), sortKey{key: "id", asc: true})
	}
	if len(sorts) > 0 {
		slices.SortStableFunc(out, func(a, b map[string]any) int { return compareBy(a, b, sorts) })
	}
	if lq.limit == 0 {
		return out
	}
	return page(out, lq, sorts, items)
}

// page is Neutron's native pagination: the limit items after (or, with
// page_reverse, before) the marker in sort order.
func page(sorted []map[string]any, lq *listQuery, sorts []sortKey, all []map[string]any) []map[string]any {
	start, end := 0, len(sorted)
	if lq.marker != "" {
		i := slices.IndexFunc(all, func(it map[string]any) bool { return it["id"] == lq.marker })
		if i < 0 {
			return nil
		}
		marker := all[i]
		if lq.pageReverse {
			end = sortedIndex(sorted, marker, sorts, false)
		} else {
			start = sortedIndex(sorted, marker, sorts, true)
		}
	}
	if lq.pageReverse {
		start = max(end-lq.limit, 0)
	} else {
		end = min(start+lq.limit, end)
	}
	if start > end {
		return nil
	}
	return sorted[start:end]
}

// sortedIndex is the first position whose item sorts after marker
// (after) or not before it (!after).
func sortedIndex(sorted []map[string]any, marker map[string]any, sorts []sortKey, after bool) int {
	for i, it := range sorted {
		c := compareBy(it, marker, sorts)
		if c > 0 || (!after && c >= 0) {
			return i
		}
	}
	return len(sorted)
}

// matches applies the attribute and tag filters.
func (lq *listQuery) matches(it map[string]any) bool {
	for _, k := range lq.filterOrder {
		if !slices.ContainsFunc(lq.filters[k], func(want any) bool { return filterEqual(it[k], want) }) {
			return false
		}
	}
	return lq.matchTags(it)
}

func (lq *listQuery) matchTags(it map[string]any) bool {
	have := map[string]bool{}
	if tags, ok := it["tags"].([]string); ok {
		for _, t := range tags {
			have[t] = true
		}
	}
	all := func(ts []string) bool { return !slices.ContainsFunc(ts, func(t string) bool { return !have[t] }) }
	anyOf := func(ts []string) bool { return slices.ContainsFunc(ts, func(t string) bool { return have[t] }) }
	if ts := lq.tags["tags"]; len(ts) > 0 && !all(ts) {
		return false
	}
	if ts := lq.tags["tags-any"]; len(ts) > 0 && !anyOf(ts) {
		return false
	}
	if ts := lq.tags["not-tags"]; len(ts) > 0 && all(ts) {
		return false
	}
	if ts := lq.tags["not-tags-any"]; len(ts) > 0 && anyOf(ts) {
		return false
	}
	return true
}

// filterEqual compares an item's value with a converted filter value.
func filterEqual(have, want any) bool {
	switch h := have.(type) {
	case string:
		w, ok := want.(string)
		return ok && h == w
	case nil:
		return false
	case []string:
		w, ok := want.(string)
		return ok && slices.Contains(h, w)
	}
	return jsonEqual(have, want)
}

// compareBy orders two items by sort keys; None sorts first.
func compareBy(a, b map[string]any, sorts []sortKey) int {
	for _, k := range sorts {
		c := compareValues(a[k.key], b[k.key])
		if !k.asc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		return strings.Compare(x, y)
	case bool:
		y, _ := b.(bool)
		return boolInt(x) - boolInt(y)
	}
	fa, fb := number(a), number(b)
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func number(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// selectFields cuts an item to the requested fields (all when none).
func selectFields(it map[string]any, fields []string) map[string]any {
	if len(fields) == 0 {
		return it
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		if v, ok := it[f]; ok {
			out[f] = v
		}
	}
	return out
}

// writeList writes {collection: items, collection_links: links}.
// view, if set, turns each item of the page into what the caller sees.
func (s *Service) writeList(w http.ResponseWriter, r *http.Request, res *Resource, items []map[string]any,
	lq *listQuery, view func(map[string]any) map[string]any) error {
	pageItems := applyList(items, lq)
	var marks []map[string]any // the page's ids, for the links (views may drop them)
	if lq.limit > 0 {
		marks = make([]map[string]any, len(pageItems))
		for i, it := range pageItems {
			marks[i] = map[string]any{"id": it["id"]}
		}
	}
	out := mapKept(pageItems, func(it map[string]any) (map[string]any, bool) {
		if view != nil {
			it = view(it)
		}
		return selectFields(it, lq.fields), true
	})
	rest := map[string]any{}
	if links := s.pageLinks(r, marks, lq); len(links) > 0 {
		rest[res.Collection+"_links"] = links
	}
	return httpx.WriteJSONList(w, res.Collection, out, rest)
}

// pageLinks is get_pagination_links.
func (s *Service) pageLinks(r *http.Request, items []map[string]any, lq *listQuery) []map[string]string {
	if lq.limit == 0 {
		return nil
	}
	var links []map[string]string
	if !(len(items) < lq.limit && !lq.pageReverse) {
		links = append(links, map[string]string{"rel": "next", "href": s.pageLink(r, items, false)})
	}
	if !(len(items) < lq.limit && lq.pageReverse) {
		links = append(links, map[string]string{"rel": "previous", "href": s.pageLink(r, items, true)})
	}
	return links
}

// pageLink is the request's URL with the marker moved to the page's first
// (previous) or last (next) item, as get_previous_link/get_next_link.
func (s *Service) pageLink(r *http.Request, items []map[string]any, previous bool) string {
	var pairs [][2]string
	for _, p := range rawPairs(r.URL.RawQuery) {
		if p[0] != "marker" && (previous || p[0] != "page_reverse") {
			pairs = append(pairs, p)
		}
	}
	if len(items) > 0 {
		at := items[len(items)-1]
		if previous {
			at = items[0]
		}
		id, _ := at["id"].(string)
		pairs = append(pairs, [2]string{"marker", id})
	}
	if previous {
		pairs = slices.DeleteFunc(pairs, func(p [2]string) bool { return p[0] == "page_reverse" })
		pairs = append(pairs, [2]string{"page_reverse", "True"})
	}
	enc := make([]string, len(pairs))
	for i, p := range pairs {
		enc[i] = url.QueryEscape(p[0]) + "=" + url.QueryEscape(p[1])
	}
	return s.baseURL(r) + r.URL.Path + "?" + strings.Join(enc, "&")
}

// rawPairs are the query's key/value pairs in request order.
func rawPairs(raw string) [][2]string {
	var out [][2]string
	for _, part := range strings.FieldsFunc(raw, func(c rune) bool { return c == '&' || c == ';' }) {
		k, v, _ := strings.Cut(part, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		out = append(out, [2]string{k, v})
	}
	return out
}

// sqlPrefilter narrows a list query in SQL by the string equality
// filters on the given columns (API attribute → column). It only ever
// keeps a superset of what lq.matches keeps, so the in-memory filter still
// decides; it spares reading rows no filter could match.
func sqlPrefilter(lq *listQuery, columns map[string]string) (string, []any) {
	var conds []string
	var args []any
	for _, k := range lq.filterOrder {
		col, ok := columns[k]
		if !ok {
			continue
		}
		var vals []string
		for _, v := range lq.filters[k] {
			s, ok := v.(string)
			if !ok {
				vals = nil
				break
			}
			vals = append(vals, s)
		}
		if len(vals) == 0 {
			continue
		}
		in, inArgs := inClause(vals)
		conds, args = append(conds, col+in), append(args, inArgs...)
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

// parallelListItems is the list length from which per-item work (dicts,
// policy checks, views) is shared out over every CPU.
var parallelListItems = 2048

// mapKept is fn over in, keeping the results fn keeps, in order; a long
// list is split over every CPU (fn must be safe to run concurrently).
func mapKept[T any](in []T, fn func(T) (map[string]any, bool)) []map[string]any {
	workers := min(runtime.GOMAXPROCS(0), len(in)/max(parallelListItems/2, 1))
	if len(in) < parallelListItems || workers < 2 {
		return mapKeptRange(in, fn)
	}
	parts := make([][]map[string]any, workers)
	var wg sync.WaitGroup
	for w := range workers {
		part := in[w*len(in)/workers : (w+1)*len(in)/workers]
		wg.Go(func() { parts[w] = mapKeptRange(part, fn) })
	}
	wg.Wait()
	return slices.Concat(parts...)
}

func mapKeptRange[T any](in []T, fn func(T) (map[string]any, bool)) []map[string]any {
	out := make([]map[string]any, 0, len(in))
	for _, v := range in {
		if m, ok := fn(v); ok {
			out = append(out, m)
		}
	}
	return out
}
