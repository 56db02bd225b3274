package identity

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// configGroupInput is one group of a request's configuration; groups and
// options keep their body order, so the first bad one is the one reported,
// as upstream.
type configGroupInput struct {
	group   string
	options []jsonMember
}

// jsonMember is one member of a JSON object, its value compacted.
type jsonMember struct {
	key   string
	value json.RawMessage
}

// readConfigBody returns the request's "config" member; an empty body, like
// a missing member, is nil (upstream then says no options were given).
func readConfigBody(r *http.Request) (json.RawMessage, error) {
	body, err := httpx.ReadBody(r)
	if err != nil || len(body) == 0 {
		return nil, err
	}
	var envelope map[string]json.RawMessage
	if err := httpx.Unmarshal(body, &envelope); err != nil {
		return nil, err
	}
	return envelope["config"], nil
}

// parseConfig validates a configuration {group: {option: value}} as
// upstream's _assert_valid_config does.
func parseConfig(raw json.RawMessage) ([]configGroupInput, error) {
	if jsonFalsy(raw) {
		return nil, invalidDomainConfig("No options specified")
	}
	members, isObject, err := objectMembers(raw)
	if err != nil {
		return nil, err
	}
	if !isObject {
		// Upstream fails with a 500 here; a 400 names the mistake.
		return nil, errs.BadRequestf("Invalid input for field 'config': %s is not of type 'object'.", jsonKind(raw))
	}
	out := make([]configGroupInput, 0, len(members))
	for _, m := range members {
		g, err := parseConfigGroup(m.key, m.value)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// parseConfigGroup validates one group's {option: value} object.
func parseConfigGroup(group string, raw json.RawMessage) (configGroupInput, error) {
	members, isObject, err := objectMembers(raw)
	if err != nil {
		return configGroupInput{}, err
	}
	if !isObject || len(members) == 0 {
		return configGroupInput{}, invalidDomainConfig("The value of group %s specified in the config should be a dictionary of options", group)
	}
	for _, m := range members {
		if err := checkConfigOption(group, m.key); err != nil {
			return configGroupInput{}, err
		}
	}
	return configGroupInput{group: group, options: members}, nil
}

// objectMembers lists the members of a JSON object in order (a repeated
// key keeps its first place and its last value, as Python's json does);
// isObject is false when raw is not an object.
func objectMembers(raw json.RawMessage) (members []jsonMember, isObject bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false, nil
	}
	index := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, true, errs.BadRequestf("Malformed request body: %s", err.Error())
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, true, errs.BadRequestf("Malformed request body: %s", err.Error())
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, value); err != nil {
			return nil, true, errs.BadRequestf("Malformed request body: %s", err.Error())
		}
		if i, seen := index[key]; seen {
			members[i].value = compact.Bytes()
			continue
		}
		index[key] = len(members)
		members = append(members, jsonMember{key: key, value: compact.Bytes()})
	}
	return members, true, nil
}

// jsonFalsy reports whether raw is absent or a value Python treats as
// false: null, false, 0, "", [] or {}.
func jsonFalsy(raw json.RawMessage) bool {
	if len(bytes.TrimSpace(raw)) == 0 {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false
	}
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case json.Number:
		f, err := x.Float64()
		return err == nil && f == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// jsonKind names the JSON type of a non-object value.
func jsonKind(raw json.RawMessage) string {
	switch b := bytes.TrimSpace(raw); {
	case len(b) == 0:
		return "null"
	case b[0] == '"':
		return "string"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "boolean"
	case b[0] == 'n':
		return "null"
	}
	return "number"
}
