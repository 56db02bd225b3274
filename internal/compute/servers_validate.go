package compute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Request bodies are checked as Nova's JSON schemas check them, with the
// same messages: "Invalid input for field/attribute <field>. Value: <v>.
// <why>" where <v> and <why> are spelled as Python prints them.

// jsonObject is a decoded request object (numbers as json.Number).
type jsonObject = map[string]any

// decodeObject reads the request body as a JSON object.
func decodeObject(r *http.Request) (jsonObject, error) {
	b, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errs.BadRequestf("Malformed request body")
	}
	if dec.More() {
		return nil, errs.BadRequestf("Malformed request body")
	}
	obj, ok := v.(jsonObject)
	if !ok {
		return nil, errs.BadRequestf("Malformed request body")
	}
	return obj, nil
}

// invalidInput is a schema refusal of field's value.
func invalidInput(field string, value any, why string) error {
	return errs.BadRequestf("Invalid input for field/attribute %s. Value: %s. %s", field, pyStr(value), why)
}

// requireBody takes the one required top-level key of a body, as Nova's
// "'server' is a required property".
func requireBody(body jsonObject, key string, allowed ...string) (jsonObject, error) {
	v, ok := body[key]
	if !ok {
		return nil, errs.BadRequestf("'%s' is a required property", key)
	}
	if err := onlyKeys("", body, append([]string{key}, allowed...)); err != nil {
		return nil, err
	}
	obj, ok := v.(jsonObject)
	if !ok {
		return nil, invalidInput(key, v, pyRepr(v)+" is not of type 'object'")
	}
	return obj, nil
}

// onlyKeys refuses keys of obj not in allowed (additionalProperties:
// False); field names obj for the message ("" at the top).
func onlyKeys(field string, obj jsonObject, allowed []string) error {
	var extra []string
	for k := range obj {
		if !slices.Contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	slices.Sort(extra)
	quoted := make([]string, len(extra))
	for i, k := range extra {
		quoted[i] = pyRepr(k)
	}
	verb := "was"
	if len(extra) > 1 {
		verb = "were"
	}
	why := fmt.Sprintf("Additional properties are not allowed (%s %s unexpected)", strings.Join(quoted, ", "), verb)
	if field == "" {
		return errs.BadRequestf("%s", why)
	}
	return invalidInput(field, obj, why)
}

// requireKeys refuses obj without one of keys.
func requireKeys(field string, obj jsonObject, keys ...string) error {
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			return invalidInput(field, obj, fmt.Sprintf("'%s' is a required property", k))
		}
	}
	return nil
}

// nameCharsOK is Nova's "name" format: printable, not starting or ending
// with whitespace.
func nameCharsOK(s string) bool {
	for _, c := range s {
		if !unicode.IsPrint(c) && c != ' ' {
			return false
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return s == "" || (!unicode.IsSpace(first) && !unicode.IsSpace(last))
}

// schemaName checks a parameter_types.name value.
func schemaName(field string, v any) (string, error) {
	s, err := schemaString(field, v, 1, 255)
	if err != nil {
		return "", err
	}
	if !nameCharsOK(s) {
		return "", errs.BadRequestf("An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.")
	}
	return s, nil
}

// schemaString checks a string of min..max characters (max 0: no limit).
func schemaString(field string, v any, minLen, maxLen int) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", invalidInput(field, v, pyRepr(v)+" is not of type 'string'")
	}
	n := utf8.RuneCountInString(s)
	if n < minLen {
		if minLen == 1 && n == 0 {
			return "", invalidInput(field, v, pyRepr(v)+" should be non-empty")
		}
		return "", invalidInput(field, v, pyRepr(v)+" is too short")
	}
	if maxLen > 0 && n > maxLen {
		return "", invalidInput(field, v, pyRepr(v)+" is too long")
	}
	return s, nil
}

// schemaDescription checks a parameter_types.description value (nil
// allowed).
func schemaDescription(field string, v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	s, err := schemaString(field, v, 0, 255)
	if err != nil {
		return nil, err
	}
	for _, c := range s {
		if !unicode.IsPrint(c) && !unicode.IsSpace(c) {
			return nil, invalidInput(field, v, pyRepr(v)+" does not match the description pattern")
		}
	}
	return &s, nil
}

var uuidPattern = regexp.MustCompile(`^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`)

// isUUID is oslo's is_uuid_like (dashes optional).
func isUUID(s string) bool { return uuidPattern.MatchString(s) }

// schemaUUID checks a "format: uuid" string.
func schemaUUID(field string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", invalidInput(field, v, pyRepr(v)+" is not of type 'string'")
	}
	if !isUUID(s) {
		return "", invalidInput(field, v, pyRepr(s)+" is not a 'uuid'")
	}
	return s, nil
}

// boolWords are parameter_types.boolean's accepted strings.
var boolWords = map[string]bool{"True": true, "TRUE": true, "true": true, "1": true, "ON": true, "On": true,
	"on": true, "YES": true, "Yes": true, "yes": true, "False": false, "FALSE": false, "false": false,
	"0": false, "OFF": false, "Off": false, "off": false, "NO": false, "No": false, "no": false}

// schemaBool checks a parameter_types.boolean value.
func schemaBool(field string, v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		if val, ok := boolWords[b]; ok {
			return val, nil
		}
	default:
		return false, invalidInput(field, v, pyRepr(v)+" is not of type 'boolean', 'string'")
	}
	return false, invalidInput(field, v, pyRepr(v)+" is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']")
}

// schemaInt checks an integer-or-digit-string value of at least minimum.
func schemaInt(field string, v any, minimum int) (int, error) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = n.String()
	case string:
		s = n
		if s == "" {
			return 0, invalidInput(field, v, "'' is too short")
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, invalidInput(field, v, pyRepr(v)+" does not match '^[0-9]*$'")
			}
		}
	default:
		return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'integer', 'string'")
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'integer', 'string'")
	}
	if i < minimum {
		return 0, invalidInput(field, v, fmt.Sprintf("%s is less than the minimum of %d", pyRepr(v), minimum))
	}
	return i, nil
}

// schemaIP checks an address of family "ipv4", "ipv6" or "" (either).
func schemaIP(field string, v any, family string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", invalidInput(field, v, pyRepr(v)+" is not of type 'string'")
	}
	ip := net.ParseIP(s)
	switch {
	case family == "ipv4" && (ip == nil || ip.To4() == nil || strings.Contains(s, ":")):
		return "", invalidInput(field, v, pyRepr(s)+" is not a 'ipv4'")
	case family == "ipv6" && (ip == nil || !strings.Contains(s, ":")):
		return "", invalidInput(field, v, pyRepr(s)+" is not a 'ipv6'")
	case family == "" && ip == nil:
		return "", invalidInput(field, v, pyRepr(s)+" is not valid under any of the given schemas")
	}
	if family == "ipv6" {
		return ip.String(), nil // Nova keeps addresses normalised, as netaddr prints them
	}
	return s, nil
}

// schemaMetadata checks a parameter_types.metadata object.
func schemaMetadata(field string, v any) (map[string]string, error) {
	obj, ok := v.(jsonObject)
	if !ok {
		return nil, invalidInput(field, v, pyRepr(v)+" is not of type 'object'")
	}
	out := make(map[string]string, len(obj))
	for k, val := range obj {
		if !metadataKeyOK(k) {
			return nil, invalidInput(field, v, fmt.Sprintf("Additional properties are not allowed (%s was unexpected)", pyRepr(k)))
		}
		s, ok := val.(string)
		if !ok {
			return nil, invalidInput(k, val, pyRepr(val)+" is not of type 'string'")
		}
		if utf8.RuneCountInString(s) > 255 {
			return nil, invalidInput(k, val, pyRepr(val)+" is too long")
		}
		out[k] = s
	}
	return out, nil
}

var metadataKeyPattern = regexp.MustCompile(`^[a-zA-Z0-9-_:. ]{1,255}$`)

func metadataKeyOK(k string) bool { return metadataKeyPattern.MatchString(k) }

// schemaTag checks a parameter_types.tag.
func schemaTag(field string, v any) (string, error) {
	s, err := schemaString(field, v, 1, maxTagLength)
	if err != nil {
		return "", err
	}
	if strings.ContainsAny(s, ",/") {
		return "", invalidInput(field, v, pyRepr(v)+" does not match '^[^,/]*$'")
	}
	return s, nil
}

// schemaStringList checks an array of strings.
func schemaArray(field string, v any) ([]any, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, invalidInput(field, v, pyRepr(v)+" is not of type 'array'")
	}
	return a, nil
}

// pyRepr spells a decoded JSON value as Python's repr does.
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		if strings.Contains(x, "'") && !strings.Contains(x, `"`) {
			return `"` + x + `"`
		}
		return "'" + strings.ReplaceAll(strings.ReplaceAll(x, `\`, `\\`), "'", `\'`) + "'"
	case json.Number:
		return x.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case jsonObject:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyStr spells a value as Python's str does (strings bare).
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}
