package placement

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// providerFilters are GET /resource_providers's query parameters.
type providerFilters struct {
	Name, UUID, InTree string
	Resources          map[string]int
	Required           [][]string
	Forbidden          []string
	MemberOf           [][]string
	NotMemberOf        []string
}

// allowedQuery checks query keys against those a microversion knows.
func allowedQuery(q url.Values, allowed ...string) error {
	var extra []string
	for k := range q {
		if !slices.Contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	slices.Sort(extra)
	msg := "Additional properties are not allowed ('" + extra[0] + "' was unexpected)"
	if len(extra) > 1 {
		msg = "Additional properties are not allowed ('" + joinQuoted(extra) + " were unexpected)"
	}
	return badRequest("Invalid query string parameters: " + msg)
}

func joinQuoted(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "', '"
		}
		out += x
	}
	return out + "'"
}

func parseProviderFilters(r *http.Request) (*providerFilters, error) {
	q, v := r.URL.Query(), want(r)
	allowed := []string{"name", "uuid"}
	for minor, key := range map[int]string{3: "member_of", 4: "resources", 14: "in_tree", 18: "required"} {
		if v.AtLeast(minor) {
			allowed = append(allowed, key)
		}
	}
	if err := allowedQuery(q, allowed...); err != nil {
		return nil, err
	}
	f := &providerFilters{Name: q.Get("name")}
	for _, key := range []string{"uuid", "in_tree"} {
		if val := q.Get(key); q.Has(key) && !isUUIDLike(val) {
			return nil, badRequest("Invalid query string parameters: '" + val + "' is not a 'uuid'")
		}
	}
	f.UUID, _ = normUUID(q.Get("uuid"))
	f.InTree, _ = normUUID(q.Get("in_tree"))
	var err error
	if q.Has("member_of") {
		if f.MemberOf, f.NotMemberOf, err = parseMemberOf(q["member_of"], "", v); err != nil {
			return nil, err
		}
	}
	if q.Has("required") {
		if f.Required, f.Forbidden, err = parseRequired(q["required"], v); err != nil {
			return nil, err
		}
	}
	if q.Has("resources") {
		if f.Resources, err = parseResources(q.Get("resources")); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (s *Service) listProviders(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:list"); err != nil {
		return err
	}
	f, err := parseProviderFilters(r)
	if err != nil {
		return err
	}
	var list []*provider
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = filterProviders(tx, f)
		return err
	})
	if err != nil {
		return err
	}
	out := make([]any, 0, len(list))
	var last int64
	for _, p := range list {
		out = append(out, providerView(p, want(r)))
		last = max(last, p.Updated)
	}
	if last == 0 {
		last = s.now().UnixMicro()
	}
	cacheHeaders(w, r, last)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"resource_providers": out})
}

// filterProviders applies the filters: name, uuid and in_tree in SQL, the
// rest on a snapshot.
func filterProviders(tx *db.Tx, f *providerFilters) ([]*provider, error) {
	if err := checkNamesExist(tx, f.Resources, append(flatten(f.Required), f.Forbidden...)); err != nil {
		return nil, err
	}
	q := db.NewQuery("SELECT "+providerCols+" FROM placement_providers").OrderBy("seq", "uuid")
	if f.Name != "" {
		q.Where("name = ?", f.Name)
	}
	if f.UUID != "" {
		q.Where("uuid = ?", f.UUID)
	}
	if f.InTree != "" {
		q.Where("root_uuid = (SELECT root_uuid FROM placement_providers WHERE uuid = ?)", f.InTree)
	}
	sqlText, args := q.SQL()
	list, err := queryProviders(tx, sqlText, args...)
	if err != nil || (len(f.Resources) == 0 && len(f.Required) == 0 && len(f.Forbidden) == 0 && len(f.MemberOf) == 0 && len(f.NotMemberOf) == 0) {
		return list, err
	}
	snap, err := loadSnapshot(tx, true, true)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(p *provider) bool { return !matchesProvider(snap.byUUID[p.UUID], f) }), nil
}

func matchesProvider(n *rpNode, f *providerFilters) bool {
	if n == nil || !allFit(n, f.Resources) || !traitsOK(n.Traits, f.Required, f.Forbidden) {
		return false
	}
	for _, anyOf := range f.MemberOf {
		if !slices.ContainsFunc(anyOf, func(a string) bool { return n.Aggregates[a] }) {
			return false
		}
	}
	return !slices.ContainsFunc(f.NotMemberOf, func(a string) bool { return n.Aggregates[a] })
}

func flatten(ss [][]string) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s...)
	}
	return out
}

// checkNamesExist refuses unknown resource classes and traits in a query.
func checkNamesExist(tx *db.Tx, resources map[string]int, traits []string) error {
	for _, rc := range sortedKeys(resources) {
		ok, err := classExists(tx, rc)
		if err != nil {
			return err
		}
		if !ok {
			return badRequest("Invalid resource class in resources parameter: No such resource class " + rc + ".")
		}
	}
	missing, err := missingTraits(tx, traits)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return badRequest("Invalid trait(s) in \"required\" parameter: No such trait(s): " + joinComma(missing) + ".")
	}
	return nil
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
