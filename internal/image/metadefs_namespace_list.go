package image

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// metadefPageSize is Glance's limit_param_default, the page size when a
// list request gives no limit.
const metadefPageSize = 25

// namespaceSortKeys are the namespace attributes a list may sort by.
var namespaceSortKeys = []string{"created_at", "updated_at", "namespace", "display_name", "description",
	"visibility", "protected", "owner", "id"}

// namespaceQuery is a namespace list request.
type namespaceQuery struct {
	limit         int
	marker        string
	sortKey       string
	desc          bool
	visibility    string
	resourceTypes []string
}

// parseNamespaceQuery reads the list parameters in upstream's order.
func (s *Service) parseNamespaceQuery(q url.Values) (*namespaceQuery, error) {
	nq := &namespaceQuery{marker: q.Get("marker"), sortKey: "created_at", desc: q.Get("sort_dir") != "asc"}
	limit := metadefPageSize
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil {
			return nil, errs.BadRequestf("limit param must be an integer")
		}
		limit = n
	}
	if v := q.Get("sort_dir"); q.Has("sort_dir") && v != "asc" && v != "desc" {
		return nil, errs.BadRequestf("%s", "Invalid sort direction: "+v)
	}
	if v := q.Get("visibility"); v != "" && v != "public" && v != "private" {
		return nil, errs.BadRequestf("%s", "Invalid visibility value: "+v)
	}
	nq.visibility = q.Get("visibility")
	if limit < 0 {
		return nil, errs.BadRequestf("limit param must be positive")
	}
	nq.limit = min(limit, s.opts.ListLimit)
	if q.Has("sort_key") {
		nq.sortKey = q.Get("sort_key")
	}
	if !slices.Contains(namespaceSortKeys, nq.sortKey) {
		return nil, errs.BadRequestf("%s", "Invalid sort key: "+nq.sortKey)
	}
	if v, ok := q["resource_types"]; ok {
		nq.resourceTypes = strings.Split(v[0], ",")
	}
	return nq, nil
}

// listNamespaces is GET /v2/metadefs/namespaces.
func (s *Service) listNamespaces(w http.ResponseWriter, r *http.Request) error {
	nq, err := s.parseNamespaceQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if err := s.enforceAll(r, nil, "get_metadef_namespaces", "list_metadef_resource_types"); err != nil {
		return err
	}
	var views []namespaceView
	var page []*mdNamespace
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		if page, err = s.namespacePage(r, tx, nq); err != nil {
			return err
		}
		views, err = s.listViews(r, tx, page)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, namespaceListBody(r, views, nq.limit))
}

// namespacePage is one page of the namespaces the caller may see, those
// the get_metadef_namespace rule hides left out after paging, as upstream.
func (s *Service) namespacePage(r *http.Request, tx *db.Tx, nq *namespaceQuery) ([]*mdNamespace, error) {
	var marker *mdNamespace
	if nq.marker != "" {
		m, err := findNamespace(tx, nq.marker)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, namespaceUnknown(nq.marker)
		}
		if !s.canSeeNamespace(r, m) {
			return nil, errs.Forbiddenf("%s", "Forbidding request, metadata definition namespace="+nq.marker+" is not visible.")
		}
		marker = m
	}
	all, err := s.matchingNamespaces(r, tx, nq)
	if err != nil {
		return nil, err
	}
	order := func(a, b *mdNamespace) int { return compareNamespaces(a, b, nq.sortKey, nq.desc) }
	slices.SortFunc(all, order)
	if marker != nil {
		all = slices.DeleteFunc(all, func(ns *mdNamespace) bool { return order(ns, marker) <= 0 })
	}
	if len(all) > nq.limit {
		all = all[:nq.limit]
	}
	return slices.DeleteFunc(all, func(ns *mdNamespace) bool { return !s.checkMetadef(r, "get_metadef_namespace", ns) }), nil
}

// matchingNamespaces are the visible namespaces the filters select.
func (s *Service) matchingNamespaces(r *http.Request, tx *db.Tx, nq *namespaceQuery) ([]*mdNamespace, error) {
	query := db.NewQuery(namespaceSelect)
	if !s.isAdmin(r) {
		query.Where("(owner = ? OR visibility = 'public')", projectOf(r))
	}
	if nq.visibility != "" {
		query.Where("visibility = ?", nq.visibility)
	}
	if nq.resourceTypes != nil {
		query.Where("id IN (SELECT namespace_id FROM image_metadef_associations WHERE resource_type IN ("+
			db.Placeholders(len(nq.resourceTypes))+"))", toAny(nq.resourceTypes)...)
	}
	stmt, args := query.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*mdNamespace
	for rows.Next() {
		ns, err := scanNamespace(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	return out, rows.Err()
}

// compareNamespaces orders by key, then created_at, then insertion, all in
// one direction; a missing value sorts first.
func compareNamespaces(a, b *mdNamespace, key string, desc bool) int {
	c := compareNamespaceKey(a, b, key)
	if c == 0 {
		c = a.CreatedAt.Compare(b.CreatedAt)
	}
	if c == 0 {
		c = cmp.Compare(a.Seq, b.Seq)
	}
	if desc {
		return -c
	}
	return c
}

func compareNamespaceKey(a, b *mdNamespace, key string) int {
	switch key {
	case "namespace":
		return strings.Compare(a.Namespace, b.Namespace)
	case "display_name":
		return compareOpt(a.DisplayName, b.DisplayName)
	case "description":
		return compareOpt(a.Description, b.Description)
	case "visibility":
		return strings.Compare(a.Visibility, b.Visibility)
	case "owner":
		return strings.Compare(a.Owner, b.Owner)
	case "protected":
		return cmp.Compare(boolRank(a.Protected), boolRank(b.Protected))
	case "updated_at":
		return cmp.Compare(optRank(a), optRank(b))
	case "id":
		return cmp.Compare(a.Seq, b.Seq)
	}
	return 0
}

func compareOpt(a, b *string) int {
	switch {
	case a == nil || b == nil:
		return cmp.Compare(boolRank(a != nil), boolRank(b != nil))
	}
	return strings.Compare(*a, *b)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func optRank(ns *mdNamespace) int64 {
	if ns.UpdatedAt == nil {
		return -1 << 62
	}
	return ns.UpdatedAt.UnixMicro()
}

// listViews shows listed namespaces with their resource type associations.
func (s *Service) listViews(r *http.Request, tx *db.Tx, page []*mdNamespace) ([]namespaceView, error) {
	views := make([]namespaceView, 0, len(page))
	for _, ns := range page {
		v := viewNamespace(ns)
		assocs, err := listAssociations(tx, ns.ID)
		if err != nil {
			return nil, err
		}
		v.Associations = viewAssociations(assocs)
		views = append(views, v)
	}
	return views, nil
}

// namespaceListBody is the list with Glance's first and next links: the
// request's parameters (marker left out, then set to the last namespace).
func namespaceListBody(r *http.Request, views []namespaceView, limit int) any {
	type body struct {
		Namespaces []namespaceView `json:"namespaces"`
		Next       string          `json:"next,omitempty"`
		Schema     string          `json:"schema"`
		First      string          `json:"first"`
	}
	const base = "/v2/metadefs/namespaces"
	b := body{Namespaces: views, Schema: "/v2/schemas/metadefs/namespaces", First: base}
	query := queryWithout(r.URL.RawQuery, "marker")
	if query != "" {
		b.First = base + "?" + query
	}
	if len(views) > 0 && len(views) == limit {
		next := "marker=" + url.QueryEscape(views[len(views)-1].Namespace)
		if query != "" {
			next = query + "&" + next
		}
		b.Next = base + "?" + next
	}
	return b
}
