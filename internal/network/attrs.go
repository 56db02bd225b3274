package network

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Attr is one attribute of a resource's attribute map (neutron_lib's
// RESOURCE_ATTRIBUTE_MAP entries).
type Attr struct {
	Name     string
	Post     bool                   // allow_post
	Put      bool                   // allow_put
	Required bool                   // no default: POST must give it
	Convert  func(any) (any, error) // convert_to; its error is returned as is
	Validate func(any) string       // a reason, "" when valid
	Filter   bool                   // is_filter
	Sort     bool                   // is_sort_key
	Policy   bool                   // enforce_policy
	Default  any                    // the default when Post and not Required (nil: none)
}

// Resource is a resource's attribute map and names.
type Resource struct {
	Name       string // "network"
	Collection string // "networks"
	Attrs      []Attr
	byName     map[string]*Attr
}

// ownedAttrs are id, project_id and tenant_id of a project-owned resource.
func ownedAttrs() []Attr {
	return []Attr{
		{Name: "id", Filter: true, Sort: true},
		{Name: "project_id", Post: true, Filter: true, Sort: true, Validate: maxString(255)},
		{Name: "tenant_id", Post: true, Filter: true, Sort: true, Validate: maxString(255)},
	}
}

// NewResource indexes an attribute map.
func NewResource(name, collection string, attrs []Attr) *Resource {
	res := &Resource{Name: name, Collection: collection, Attrs: attrs, byName: map[string]*Attr{}}
	for i := range res.Attrs {
		res.byName[res.Attrs[i].Name] = &res.Attrs[i]
	}
	return res
}

// Attr is the attribute named n, nil if none.
func (res *Resource) Attr(n string) *Attr { return res.byName[n] }

// PolicyAttrs are the enforce_policy attributes of body, in map order.
func (res *Resource) PolicyAttrs(body map[string]any, create bool) []string {
	var out []string
	for _, a := range res.Attrs {
		v, ok := body[a.Name]
		if !a.Policy || !ok {
			continue
		}
		if create && a.Default != nil && jsonEqual(v, a.Default) {
			continue // a default value is not "explicitly set"
		}
		out = append(out, a.Name)
	}
	return out
}

// decodeBody reads a POST or PUT body: {"<name>": {...}} or, for a bulk
// POST, {"<collection>": [{...}, ...]}; each item is checked against the
// attribute map, converted and validated (Neutron's prepare_request_body).
func (s *Service) decodeBody(r *http.Request, res *Resource, create bool) ([]map[string]any, bool, error) {
	raw, err := httpx.ReadBody(r)
	if err != nil {
		return nil, false, err
	}
	var body map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, false, neutronerr.HTTPBadRequest("Resource body required")
	}
	if err := dec.Decode(&body); err != nil {
		return nil, false, neutronerr.New("MalformedRequestBody", "Malformed request body: Cannot understand JSON")
	}
	if len(body) == 0 {
		return nil, false, neutronerr.HTTPBadRequest("Resource body required")
	}
	if list, ok := body[res.Collection]; ok && create {
		return s.decodeBulk(r, res, list)
	}
	item, err := s.prepareItem(r, res, body[res.Name], create)
	return []map[string]any{item}, false, err
}

func (s *Service) decodeBulk(r *http.Request, res *Resource, list any) ([]map[string]any, bool, error) {
	items, ok := list.([]any)
	if !ok {
		return nil, true, neutronerr.HTTPBadRequest("Body contains invalid data")
	}
	if len(items) == 0 {
		return nil, true, neutronerr.HTTPBadRequest("Resources required")
	}
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if inner, ok := m[res.Name]; ok {
				it = inner
			}
		}
		item, err := s.prepareItem(r, res, it, true)
		if err != nil {
			return nil, true, err
		}
		out = append(out, item)
	}
	return out, true, nil
}

// prepareItem checks one resource dict.
func (s *Service) prepareItem(r *http.Request, res *Resource, v any, create bool) (map[string]any, error) {
	if v == nil {
		return nil, neutronerr.HTTPBadRequest("Unable to find '" + res.Name + "' in request body")
	}
	item, ok := v.(map[string]any)
	if !ok {
		return nil, neutronerr.HTTPBadRequest("Object '" + res.Name + "' contains invalid data")
	}
	normalizeNumbers(item)
	if res.Attr("project_id") != nil {
		if err := s.populateProject(r, item, create); err != nil {
			return nil, err
		}
	}
	if err := res.verify(item, create); err != nil {
		return nil, err
	}
	return item, res.convert(item)
}

// populateProject is populate_project_id: both ids, equal, and only an
// admin may name another project.
func (s *Service) populateProject(r *http.Request, item map[string]any, create bool) error {
	p, hasP := item["project_id"]
	t, hasT := item["tenant_id"]
	if hasP && hasT && !jsonEqual(p, t) {
		return neutronerr.HTTPBadRequest("'project_id' and 'tenant_id' do not match")
	}
	if !create {
		return nil
	}
	switch {
	case hasP:
		item["tenant_id"] = p
	case hasT:
		item["project_id"] = t
	default:
		item["project_id"], item["tenant_id"] = projectOf(r), projectOf(r)
	}
	if id, _ := item["project_id"].(string); id != projectOf(r) && !s.isAdmin(r) {
		return neutronerr.HTTPBadRequest("Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges")
	}
	return nil
}

// verify refuses unknown, missing and read-only attributes.
func (res *Resource) verify(item map[string]any, create bool) error {
	var extra []string
	for k := range item {
		if res.byName[k] == nil {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return neutronerr.HTTPBadRequest("Unrecognized attribute(s) '" + strings.Join(extra, ", ") + "'")
	}
	for _, a := range res.Attrs {
		_, given := item[a.Name]
		switch {
		case create && a.Post && a.Required && !given:
			return neutronerr.HTTPBadRequest("Failed to parse request. Required attribute '" + a.Name + "' not specified")
		case create && !a.Post && given:
			return neutronerr.HTTPBadRequest("Attribute '" + a.Name + "' not allowed in POST")
		case !create && !a.Put && given:
			return neutronerr.HTTPBadRequest("Cannot update read-only attribute " + a.Name)
		}
	}
	return nil
}

// convert runs convert_to and the validators of the given attributes.
func (res *Resource) convert(item map[string]any) error {
	for _, a := range res.Attrs {
		v, ok := item[a.Name]
		if !ok {
			continue
		}
		if a.Convert != nil {
			c, err := a.Convert(v)
			if err != nil {
				return err
			}
			item[a.Name], v = c, c
		}
		if a.Validate != nil {
			if reason := a.Validate(v); reason != "" {
				return neutronerr.HTTPBadRequest("Invalid input for " + a.Name + ". Reason: " + reason + ".")
			}
		}
	}
	return nil
}

// normalizeNumbers turns json.Numbers into int64 or float64.
func normalizeNumbers(m map[string]any) {
	for k, v := range m {
		m[k] = normalizeValue(v)
	}
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		normalizeNumbers(x)
	case []any:
		for i := range x {
			x[i] = normalizeValue(x[i])
		}
	}
	return v
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
