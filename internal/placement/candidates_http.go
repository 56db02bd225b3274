package placement

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

var (
	numberedKey = regexp.MustCompile(`^(resources|required|member_of|in_tree)([1-9][0-9]*)$`)
	suffixedKey = regexp.MustCompile(`^(resources|required|member_of|in_tree)([a-zA-Z0-9_-]{1,64})$`)
	limitValue  = regexp.MustCompile(`^[1-9][0-9]*$`)
)

// groupKey splits a request-group parameter into its name and suffix,
// following the forms the microversion knows.
func groupKey(k string, v httpx.Microversion) (name, suffix string, ok bool) {
	for _, base := range []string{"resources", "required", "member_of", "in_tree"} {
		if k == base {
			return base, "", true
		}
	}
	re := numberedKey
	if v.AtLeast(33) {
		re = suffixedKey
	}
	if !v.AtLeast(25) {
		return "", "", false
	}
	if m := re.FindStringSubmatch(k); m != nil {
		return m[1], m[2], true
	}
	return "", "", false
}

// parseCandidates reads GET /allocation_candidates's query.
func parseCandidates(q url.Values, v httpx.Microversion) (candidateQuery, error) {
	cq := candidateQuery{Nested: v.AtLeast(29)}
	groups := map[string]*requestGroup{}
	group := func(suffix string) *requestGroup {
		if groups[suffix] == nil {
			groups[suffix] = &requestGroup{Suffix: suffix, SameProvider: suffix != ""}
		}
		return groups[suffix]
	}
	known := map[string]int{"limit": 16, "group_policy": 25, "root_required": 35}
	for _, k := range sortedKeys(q) {
		name, suffix, ok := groupKey(k, v)
		minor := map[string]int{"resources": 10, "required": 17, "member_of": 21, "in_tree": 31}[name]
		if !ok || !v.AtLeast(minor) {
			if m, isGlobal := known[k]; isGlobal && v.AtLeast(m) {
				continue
			}
			return cq, badRequest("Invalid query string parameters: Additional properties are not allowed ('" + k + "' was unexpected)")
		}
		if err := readGroupParam(group(suffix), name, suffix, q[k], v); err != nil {
			return cq, err
		}
	}
	if err := readGlobals(&cq, q, v); err != nil {
		return cq, err
	}
	if groups[""] == nil && !v.AtLeast(25) {
		return cq, badRequest("Invalid query string parameters: 'resources' is a required property")
	}
	withResources := 0
	for _, s := range sortedKeys(groups) {
		if s != "" && len(groups[s].Resources) > 0 {
			withResources++
		}
		cq.Groups = append(cq.Groups, *groups[s])
	}
	if len(cq.Groups) == 0 || (withResources == 0 && (groups[""] == nil || len(groups[""].Resources) == 0)) {
		return cq, badRequest("At least one request group (`resources` or `resources{$S}`) is required.")
	}
	if withResources > 1 && !q.Has("group_policy") {
		return cq, badRequest("The \"group_policy\" parameter is required when specifying more than one \"resources{N}\" parameter.")
	}
	return cq, nil
}

func readGroupParam(g *requestGroup, name, suffix string, values []string, v httpx.Microversion) error {
	var err error
	switch name {
	case "resources":
		g.Resources, err = parseResources(values[len(values)-1])
	case "required":
		g.Required, g.Forbidden, err = parseRequired(values, v)
	case "member_of":
		g.MemberOf, g.NotMemberOf, err = parseMemberOf(values, suffix, v)
	case "in_tree":
		val := values[len(values)-1]
		norm, ok := normUUID(strings.TrimSpace(val))
		if !ok {
			return badRequest("Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: " + val)
		}
		g.InTree = norm
	}
	return err
}

func readGlobals(cq *candidateQuery, q url.Values, v httpx.Microversion) error {
	if q.Has("limit") {
		l := q.Get("limit")
		if !limitValue.MatchString(l) {
			return badRequest("Invalid query string parameters: '" + l + "' does not match '^[1-9][0-9]*$'")
		}
		cq.Limit, _ = strconv.Atoi(l)
	}
	if q.Has("group_policy") {
		switch gp := q.Get("group_policy"); gp {
		case "isolate":
			cq.Isolate = true
		case "none":
		default:
			return badRequest("Invalid query string parameters: '" + gp + "' is not one of ['none', 'isolate']")
		}
	}
	if q.Has("root_required") {
		req, forb, err := parseRequired(q["root_required"], v)
		if err != nil {
			return err
		}
		cq.RootRequired, cq.RootForbidden = req, forb
	}
	return nil
}

func (s *Service) listCandidates(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:allocation_candidates:list"); err != nil {
		return err
	}
	v := want(r)
	cq, err := parseCandidates(r.URL.Query(), v)
	if err != nil {
		return err
	}
	ac, err := s.candidates(r.Context(), cq, v)
	if err != nil {
		return err
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, candidatesView(ac, cq, v))
}

// candidatesResult is the candidates with the snapshot that made them.
type candidatesResult struct {
	snap  *snapshot
	found []candidate
}

// candidates loads a snapshot and enumerates the allocation requests.
func (s *Service) candidates(ctx context.Context, cq candidateQuery, v httpx.Microversion) (*candidatesResult, error) {
	needTraits, needAggs := v.AtLeast(17), false
	for _, g := range cq.Groups {
		needTraits = needTraits || len(g.Required) > 0 || len(g.Forbidden) > 0
		needAggs = needAggs || len(g.MemberOf) > 0 || len(g.NotMemberOf) > 0
	}
	needTraits = needTraits || len(cq.RootRequired) > 0 || len(cq.RootForbidden) > 0
	out := &candidatesResult{}
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		var traits []string
		for _, g := range cq.Groups {
			traits = append(append(traits, flatten(g.Required)...), g.Forbidden...)
			if err := checkNamesExist(tx, g.Resources, nil); err != nil {
				return err
			}
		}
		if err := checkNamesExist(tx, nil, append(append(traits, flatten(cq.RootRequired)...), cq.RootForbidden...)); err != nil {
			return err
		}
		snap, err := loadSnapshot(tx, needTraits, needAggs)
		out.snap = snap
		return err
	})
	if err != nil {
		return nil, err
	}
	out.found = findCandidates(out.snap, cq)
	return out, nil
}

// candidatesView renders allocation requests and provider summaries in the
// shape of microversion v.
func candidatesView(res *candidatesResult, cq candidateQuery, v httpx.Microversion) map[string]any {
	reqs := make([]any, 0, len(res.found))
	for _, c := range res.found {
		reqs = append(reqs, allocationRequestView(c, v))
	}
	return map[string]any{"allocation_requests": reqs, "provider_summaries": summariesView(res, cq, v)}
}

func allocationRequestView(c candidate, v httpx.Microversion) map[string]any {
	if !v.AtLeast(12) {
		list := make([]any, 0, len(c.Alloc))
		for _, rp := range sortedKeys(c.Alloc) {
			list = append(list, map[string]any{"resource_provider": map[string]string{"uuid": rp}, "resources": c.Alloc[rp]})
		}
		return map[string]any{"allocations": list}
	}
	allocs := map[string]any{}
	for rp, res := range c.Alloc {
		allocs[rp] = map[string]any{"resources": res}
	}
	out := map[string]any{"allocations": allocs}
	if v.AtLeast(34) {
		out["mappings"] = c.Mappings
	}
	return out
}

// summaryProviders are the providers a response summarises: those in the
// requests, and from 1.29 every provider of their trees.
func summaryProviders(res *candidatesResult, v httpx.Microversion) []*rpNode {
	seen := map[string]bool{}
	var out []*rpNode
	for _, c := range res.found {
		if v.AtLeast(29) {
			for _, n := range res.snap.children[c.Root] {
				if !seen[n.UUID] {
					seen[n.UUID] = true
					out = append(out, n)
				}
			}
			continue
		}
		for _, rp := range sortedKeys(c.Alloc) {
			if !seen[rp] {
				seen[rp] = true
				out = append(out, res.snap.byUUID[rp])
			}
		}
	}
	return out
}

func summariesView(res *candidatesResult, cq candidateQuery, v httpx.Microversion) map[string]any {
	requested := map[string]bool{}
	for _, g := range cq.Groups {
		for rc := range g.Resources {
			requested[rc] = true
		}
	}
	out := map[string]any{}
	for _, n := range summaryProviders(res, v) {
		resources := map[string]placementapi.ResourceSummary{}
		for rc, inv := range n.Inventory {
			if v.AtLeast(27) || requested[rc] {
				resources[rc] = placementapi.ResourceSummary{Capacity: capacity(inv), Used: n.Used[rc]}
			}
		}
		sum := map[string]any{"resources": resources}
		if v.AtLeast(17) {
			sum["traits"] = n.sortedTraits()
		}
		if v.AtLeast(29) {
			sum["parent_provider_uuid"], sum["root_provider_uuid"] = n.Parent, n.Root
		}
		out[n.UUID] = sum
	}
	return out
}

// toAPI converts a result to the in-process wire type (1.34+ shape).
func (res *candidatesResult) toAPI() *placementapi.AllocationCandidates {
	out := &placementapi.AllocationCandidates{AllocationRequests: []placementapi.AllocationRequest{},
		ProviderSummaries: map[string]placementapi.ProviderSummary{}}
	for _, c := range res.found {
		ar := placementapi.AllocationRequest{Allocations: map[string]placementapi.Resources{}, Mappings: c.Mappings}
		for rp, r := range c.Alloc {
			ar.Allocations[rp] = placementapi.Resources{Resources: r}
		}
		out.AllocationRequests = append(out.AllocationRequests, ar)
	}
	for _, n := range summaryProviders(res, httpx.Microversion{Major: 1, Minor: 39}) {
		sum := placementapi.ProviderSummary{Resources: map[string]placementapi.ResourceSummary{},
			Traits: n.sortedTraits(), ParentProviderUUID: n.Parent, RootProviderUUID: n.Root}
		for rc, inv := range n.Inventory {
			sum.Resources[rc] = placementapi.ResourceSummary{Capacity: capacity(inv), Used: n.Used[rc]}
		}
		out.ProviderSummaries[n.UUID] = sum
	}
	return out
}
