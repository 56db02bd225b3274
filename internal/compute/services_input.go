package compute

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/errs"
)

var fqdnPattern = regexp.MustCompile(`^[a-zA-Z0-9-._]*$`)

// schemaFQDN checks a parameter_types.fqdn value (a host name).
func schemaFQDN(field string, v any) (string, error) {
	s, err := schemaString(field, v, 1, 255)
	if err != nil {
		return "", err
	}
	if !fqdnPattern.MatchString(s) {
		return "", invalidInput(field, v, pyRepr(v)+" does not match '^[a-zA-Z0-9-._]*$'")
	}
	return s, nil
}

// integerID parses a path id as Nova's validate_integer(id, 'id').
func integerID(id string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	if err != nil {
		return 0, errs.BadRequestf("Invalid input received: id must be an integer")
	}
	return n, nil
}

// lastQuery is a query parameter as webob's GET[name] reads it: the last
// value given.
func lastQuery(q map[string][]string, name string) (string, bool) {
	v, ok := q[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

// queryBool reads a single boolean query parameter strictly, as
// strutils.bool_from_string(strict=True) behind Nova's boolean schema.
func queryBool(q map[string][]string, name string) (bool, error) {
	v, ok := q[name]
	if !ok {
		return false, nil
	}
	if len(v) > 1 {
		return false, invalidQuery(name, pyRepr(anySlice(v)), pyRepr(anySlice(v))+" is too long")
	}
	b, known := boolWords[v[0]]
	if !known {
		return false, invalidQuery(name, v[0], pyRepr(v[0])+" is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']")
	}
	return b, nil
}

func anySlice(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}
