package placement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/pyrepr"
)

// jsonBody reads a JSON request body as upstream's extract_json does:
// application/json required (415), then Malformed JSON (400). Numbers
// stay json.Number so that integer checks are exact.
func jsonBody(r *http.Request) (any, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		got := r.Header.Get("Content-Type")
		if got == "" {
			got = "None"
		}
		return nil, errs.New(errs.UnsupportedMediaType, "The media type %s is not supported, use application/json", got)
	}
	raw, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, badRequest("Malformed JSON: Expecting value: line 1 column 1 (char 0)")
	}
	return v, nil
}

// jsonObject reads a body that must be an object.
func jsonObject(r *http.Request) (map[string]any, error) {
	v, err := jsonBody(r)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(repr(v) + " is not of type 'object'")
	}
	return m, nil
}

// invalid is extract_json's schema refusal (first line of jsonschema's text).
func invalid(msg string) *errs.Error { return badRequest("JSON does not validate: " + msg) }

// repr is Python's repr of a decoded JSON value.
func repr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return pyrepr.String(x)
	case bool:
		return pyrepr.Bool(x)
	case json.Number:
		return x.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = repr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range sortedKeys(x) {
			parts = append(parts, pyrepr.String(k)+": "+repr(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// schema checks an object's keys: required ones present, no others.
func checkKeys(m map[string]any, required []string, allowed ...string) error {
	for _, k := range required {
		if _, ok := m[k]; !ok {
			return invalid(pyrepr.String(k) + " is a required property")
		}
	}
	var extra []string
	for _, k := range sortedKeys(m) {
		if !slices.Contains(allowed, k) && !slices.Contains(required, k) {
			extra = append(extra, pyrepr.String(k))
		}
	}
	switch len(extra) {
	case 0:
		return nil
	case 1:
		return invalid("Additional properties are not allowed (" + extra[0] + " was unexpected)")
	}
	return invalid("Additional properties are not allowed (" + strings.Join(extra, ", ") + " were unexpected)")
}

// intValue is a JSON integer within [lo, hi].
func intValue(v any, lo, hi int64) (int, error) {
	n, ok := v.(json.Number)
	if !ok || strings.ContainsAny(n.String(), ".eE") {
		return 0, invalid(repr(v) + " is not of type 'integer'")
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return 0, invalid(repr(v) + " is not of type 'integer'")
	}
	if i < lo {
		return 0, invalid(fmt.Sprintf("%d is less than the minimum of %d", i, lo))
	}
	if i > hi {
		return 0, invalid(fmt.Sprintf("%d is greater than the maximum of %d", i, hi))
	}
	return int(i), nil
}

// stringValue is a JSON string of at most maxLen characters (0: any).
func stringValue(v any, maxLen int) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", invalid(repr(v) + " is not of type 'string'")
	}
	if maxLen > 0 && len([]rune(s)) > maxLen {
		return "", invalid(repr(v) + " is too long")
	}
	return s, nil
}

var uuidLike = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

// uuidValue is a JSON string in UUID form, normalised to lower case with dashes.
func uuidValue(v any) (string, error) {
	s, err := stringValue(v, 0)
	if err != nil {
		return "", err
	}
	norm, ok := normUUID(s)
	if !ok {
		return "", invalid(repr(v) + " is not a 'uuid'")
	}
	return norm, nil
}

// normUUID is Python's str(uuid.UUID(s)) for uuid-like s.
func normUUID(s string) (string, bool) {
	s = strings.TrimPrefix(strings.Trim(s, "{}"), "urn:uuid:")
	if !uuidLike.MatchString(s) {
		return "", false
	}
	h := strings.ToLower(strings.ReplaceAll(s, "-", ""))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// isUUIDLike is oslo's is_uuid_like.
func isUUIDLike(s string) bool {
	_, ok := normUUID(s)
	return ok
}

// patternValue is a string matching pattern (shown as its source).
func patternValue(v any, pattern *regexp.Regexp) (string, error) {
	s, err := stringValue(v, 0)
	if err != nil {
		return "", err
	}
	if !pattern.MatchString(s) {
		return "", invalid(repr(v) + " does not match " + pyrepr.String(pattern.String()))
	}
	return s, nil
}
