package identity

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/policy"
)

// baseURL is the identity endpoint as clients reach it.
func (s *Service) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimSuffix(s.opts.PublicURL, "/")
	}
	return httpx.BaseURL(r)
}

// selfLink is the link of the resource at path (e.g. "/v3/projects/ID").
func (s *Service) selfLink(r *http.Request, path string) string { return s.baseURL(r) + path }

// enforce checks rule for the caller against target, built by the handler
// from the stored resource (for creates: the resource to be made) plus the
// path parameters.
func (s *Service) enforce(r *http.Request, rule string, target map[string]any) error {
	return s.policy.Enforce(rule, policy.CredsFromToken(auth.FromContext(r.Context())), target)
}

// caller is the validated token of the request.
func caller(r *http.Request) *auth.Token { return auth.FromContext(r.Context()) }

// decodeEntity reads a {"<name>": {...}} body into dst (a pointer to a
// struct with json tags) and returns the attributes dst does not declare.
func decodeEntity(r *http.Request, name string, dst any) (map[string]any, error) {
	body, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	return unmarshalEntity(body, name, dst)
}

func unmarshalEntity(body []byte, name string, dst any) (map[string]any, error) {
	var envelope map[string]json.RawMessage
	if err := httpx.Unmarshal(body, &envelope); err != nil {
		return nil, err
	}
	inner, ok := envelope[name]
	if !ok || string(inner) == "null" {
		return nil, errs.BadRequestf("Expecting to find %s in request body. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.", name)
	}
	if err := httpx.Unmarshal(inner, dst); err != nil {
		return nil, err
	}
	var all map[string]any
	if err := json.Unmarshal(inner, &all); err != nil {
		return nil, errs.BadRequestf("Malformed request body.")
	}
	known := jsonFields(reflect.TypeOf(dst).Elem())
	extra := map[string]any{}
	for k, v := range all {
		if !known[k] {
			extra[k] = v
		}
	}
	return extra, nil
}

var fieldCache sync.Map // reflect.Type -> map[string]bool

// jsonFields lists the JSON names of a struct type's fields.
func jsonFields(t reflect.Type) map[string]bool {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = true
		}
	}
	fieldCache.Store(t, m)
	return m
}

// checkName validates a required name attribute of at most max characters.
func checkName(field string, v *string, max int) error {
	if v == nil {
		return errs.BadRequestf("Invalid input for field '%s': None is not of type 'string'.", field)
	}
	return checkString(field, *v, 1, max)
}

// checkString validates a string's length in characters.
func checkString(field, v string, min, max int) error {
	n := utf8.RuneCountInString(v)
	if n < min {
		if min == 1 {
			return errs.BadRequestf("Invalid input for field '%s': '%s' is too short.", field, v)
		}
		return errs.BadRequestf("Invalid input for field '%s': it must have at least %d characters.", field, min)
	}
	if max > 0 && n > max {
		return errs.BadRequestf("Invalid input for field '%s': '%s' is too long.", field, v)
	}
	return nil
}

// stringOr returns *p, or def when p is nil.
func stringOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// boolOr returns *p, or def when p is nil.
func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// marshalExtra encodes extra attributes for the database.
func marshalExtra(m map[string]any) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// unmarshalExtra decodes extra attributes from the database.
func unmarshalExtra(s string) map[string]any {
	if s == "" || s == "{}" {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(s), &m)
	return m
}

// mergeExtra applies an update's extra attributes (null removes one).
func mergeExtra(old map[string]any, upd map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range old {
		out[k] = v
	}
	for k, v := range upd {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// writeCollection writes {"<name>": items, "links": {...}} (plus
// "truncated" when the list limit cut it short).
func (s *Service) writeCollection(w http.ResponseWriter, r *http.Request, name string, items any, next string, truncated bool) error {
	links := map[string]any{"self": httpx.SelfURL(r, s.baseURL(r)), "previous": nil, "next": nil}
	if next != "" {
		links["next"] = next
	}
	rest := map[string]any{"links": links}
	if truncated {
		rest["truncated"] = true
	}
	return httpx.WriteJSONList(w, name, items, rest)
}
