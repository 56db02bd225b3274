package identity

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// entityFields are the raw attributes of a decoded entity, to tell an
// absent attribute from an explicit null.
type entityFields map[string]json.RawMessage

func (f entityFields) has(k string) bool {
	_, ok := f[k]
	return ok
}

func (f entityFields) isNull(k string) bool {
	v, ok := f[k]
	return ok && string(v) == "null"
}

// decodeFields reads a {"<name>": {...}} body like decodeEntity and also
// returns the raw attributes.
func decodeFields(r *http.Request, name string, dst any) (map[string]any, entityFields, error) {
	body, err := httpx.ReadBody(r)
	if err != nil {
		return nil, nil, err
	}
	extra, err := unmarshalEntity(body, name, dst)
	if err != nil {
		return nil, nil, err
	}
	var envelope map[string]json.RawMessage
	var fields entityFields
	if err := json.Unmarshal(body, &envelope); err != nil {
		return nil, nil, errs.BadRequestf("Malformed request body.")
	}
	if err := json.Unmarshal(envelope[name], &fields); err != nil {
		return nil, nil, errs.BadRequestf("Malformed request body.")
	}
	return extra, fields, nil
}

// requiredProperty is the schema error of a missing required attribute.
func requiredProperty(field string) error {
	return errs.BadRequestf("'%s' is a required property.", field)
}

// requireAttributes refuses an update body without any attribute, as
// upstream's minProperties does.
func requireAttributes(fields entityFields) error {
	if len(fields) == 0 {
		return errs.BadRequestf("{} does not have enough properties.")
	}
	return nil
}

// refuseNulls refuses an explicit null for attributes that must have a
// value of type typ.
func refuseNulls(fields entityFields, typ string, names ...string) error {
	for _, n := range names {
		if fields.isNull(n) {
			return errs.BadRequestf("Invalid input for field '%s': None is not of type '%s'.", n, typ)
		}
	}
	return nil
}

// takeMatchingID removes "id" from an update's extra attributes and
// refuses one that is not the path's id.
func takeMatchingID(extra map[string]any, id string) error {
	v, ok := extra["id"]
	delete(extra, "id")
	if ok && v != nil && v != any(id) {
		return errs.BadRequestf("Cannot change ID")
	}
	return nil
}

// normalizeKeys turns ':' and '-' in attribute names into '_', as
// upstream does to the attributes of a created catalog resource.
func normalizeKeys(extra map[string]any) map[string]any {
	out := make(map[string]any, len(extra))
	for k, v := range extra {
		out[keyNormalizer.Replace(k)] = v
	}
	return out
}

var keyNormalizer = strings.NewReplacer(":", "_", "-", "_")

// checkCatalogName validates upstream's "name" parameter type: 1-255
// characters, not only white space.
func checkCatalogName(field, v string) error {
	if err := checkString(field, v, 1, 255); err != nil {
		return err
	}
	if strings.IndexFunc(v, func(r rune) bool { return !unicode.IsSpace(r) }) < 0 {
		return errs.BadRequestf("Invalid input for field '%s': '%s' does not match '[\\S]+'.", field, v)
	}
	return nil
}

// urlPattern is upstream's loose URL schema (RFC 1738 section 2.1).
var urlPattern = regexp.MustCompile(`^[a-zA-Z0-9+.-]+:.+`)

// checkURL validates an endpoint URL against upstream's schema.
func checkURL(v string) error {
	if utf8.RuneCountInString(v) > 225 {
		return errs.BadRequestf("Invalid input for field 'url': '%s' is too long.", v)
	}
	if !urlPattern.MatchString(v) {
		return errs.BadRequestf("Invalid input for field 'url': '%s' does not match '^[a-zA-Z0-9+.-]+:.+'.", v)
	}
	return nil
}

// urlSubstitutions are the keys an endpoint URL may substitute.
var urlSubstitutions = map[string]bool{"tenant_id": true, "project_id": true, "user_id": true,
	"public_bind_host": true, "admin_bind_host": true, "compute_host": true, "admin_port": true,
	"public_port": true, "public_endpoint": true}

// checkURLSubstitutions is upstream's check_endpoint_url: with "$(" read
// as "%(", the URL must be a Python %-format that a mapping of the
// whitelisted keys to strings can fill.
func checkURLSubstitutions(url string) error {
	s := strings.ReplaceAll(url, "$(", "%(")
	first := true
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			i++
			continue
		}
		key, keyed, n, ok := parseFormatSpec(s[i+1:])
		if !ok || (keyed && !urlSubstitutions[key]) || (!keyed && !first) {
			return errs.BadRequestf("Cannot create an endpoint with an invalid URL: %s.", url)
		}
		first = false
		i += n
	}
	return nil
}

// parseFormatSpec reads one Python conversion spec after its '%': an
// optional (key), flags, width, precision, length and a string
// conversion; n is the number of bytes read.
func parseFormatSpec(s string) (key string, keyed bool, n int, ok bool) {
	j := 0
	if strings.HasPrefix(s, "(") {
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return "", false, 0, false
		}
		key, keyed, j = s[1:end], true, end+1
	}
	skip := func(set string) {
		for j < len(s) && strings.IndexByte(set, s[j]) >= 0 {
			j++
		}
	}
	skip("-+ #0")
	skip("0123456789")
	if j < len(s) && s[j] == '.' {
		j++
		skip("0123456789")
	}
	skip("hlL")
	if j >= len(s) || strings.IndexByte("sra", s[j]) < 0 {
		return "", false, 0, false
	}
	return key, keyed, j + 1, true
}

// filterMatches applies one list filter to a value held outside a column.
func filterMatches(f httpx.Filter, v string) bool {
	want := f.Value
	switch f.Op {
	case httpx.OpIContains, httpx.OpIStartsWith, httpx.OpIEndsWith:
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	switch f.Op {
	case httpx.OpContains, httpx.OpIContains:
		return strings.Contains(v, want)
	case httpx.OpStartsWith, httpx.OpIStartsWith:
		return strings.HasPrefix(v, want)
	case httpx.OpEndsWith, httpx.OpIEndsWith:
		return strings.HasSuffix(v, want)
	}
	return v == want
}
