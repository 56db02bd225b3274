package compute

import (
	"strings"
	"unicode"

	"github.com/monostack/monostack/internal/errs"
)

// aggregateInput is a create or update body.
type aggregateInput struct {
	name    *string
	zone    *string // set: the request named availability_zone
	hasZone bool
}

// parseAggregateBody checks POST /os-aggregates (create) and PUT
// /os-aggregates/{id} (update) bodies as Nova's schemas do.
func parseAggregateBody(body jsonObject, create bool) (*aggregateInput, error) {
	agg, err := requireBody(body, "aggregate")
	if err != nil {
		return nil, err
	}
	if err := onlyKeys("aggregate", agg, []string{"name", "availability_zone"}); err != nil {
		return nil, err
	}
	in := &aggregateInput{}
	if raw, ok := agg["name"]; ok {
		name, err := aggregateName(raw, create)
		if err != nil {
			return nil, err
		}
		in.name = &name
	}
	if raw, ok := agg["availability_zone"]; ok {
		in.hasZone = true
		if in.zone, err = zoneName(raw); err != nil {
			return nil, err
		}
	}
	if create && in.name == nil {
		return nil, invalidInput("aggregate", agg, "'name' is a required property")
	}
	if !create && in.name == nil && !in.hasZone {
		return nil, invalidInput("aggregate", agg, pyRepr(agg)+" is not valid under any of the given schemas")
	}
	return in, nil
}

// aggregateName checks a name: parameter_types.name on create, the
// leading/trailing-spaces form on update; either is stripped after.
func aggregateName(raw any, create bool) (string, error) {
	if create {
		return schemaName("name", raw)
	}
	s, err := schemaString("name", raw, 1, 255)
	if err != nil {
		return "", err
	}
	if !hasNonSpacePrintable(s) {
		return "", errs.BadRequestf("An invalid 'name' value was provided. The name must be: printable characters with at least one non space character")
	}
	return strings.TrimSpace(s), nil
}

// zoneName checks an availability_zone: null, or printable without ':'
// not starting or ending with whitespace (az_name).
func zoneName(raw any) (*string, error) {
	if raw == nil {
		return nil, nil
	}
	s, ok := raw.(string)
	bad := !ok || s == "" || len([]rune(s)) > 255 || strings.Contains(s, ":") || !nameCharsOK(s)
	if bad {
		return nil, invalidInput("availability_zone", raw, pyRepr(raw)+" is not valid under any of the given schemas")
	}
	s = strings.TrimSpace(s)
	return &s, nil
}

// hasNonSpacePrintable says s is printable with a non-space character.
func hasNonSpacePrintable(s string) bool {
	seen := false
	for _, c := range s {
		if !unicode.IsPrint(c) && !unicode.IsSpace(c) {
			return false
		}
		if !unicode.IsSpace(c) {
			seen = true
		}
	}
	return seen
}

// parseHostAction checks an add_host or remove_host argument.
func parseHostAction(action string, arg any) (string, error) {
	obj, ok := arg.(jsonObject)
	if !ok {
		return "", invalidInput(action, arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := onlyKeys(action, obj, []string{"host"}); err != nil {
		return "", err
	}
	if err := requireKeys(action, obj, "host"); err != nil {
		return "", err
	}
	return schemaFQDN("host", obj["host"])
}

// parseSetMetadata checks a set_metadata argument: values are strings
// or null (null removes the key).
func parseSetMetadata(arg any) (map[string]*string, error) {
	obj, ok := arg.(jsonObject)
	if !ok {
		return nil, invalidInput("set_metadata", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := onlyKeys("set_metadata", obj, []string{"metadata"}); err != nil {
		return nil, err
	}
	if err := requireKeys("set_metadata", obj, "metadata"); err != nil {
		return nil, err
	}
	meta, ok := obj["metadata"].(jsonObject)
	if !ok {
		return nil, invalidInput("metadata", obj["metadata"], pyRepr(obj["metadata"])+" is not of type 'object'")
	}
	out := make(map[string]*string, len(meta))
	for k, v := range meta {
		if !metadataKeyOK(k) {
			return nil, invalidInput("metadata", meta, "Additional properties are not allowed ("+pyRepr(k)+" was unexpected)")
		}
		if v == nil {
			out[k] = nil
			continue
		}
		s, ok := v.(string)
		if !ok {
			return nil, invalidInput(k, v, pyRepr(v)+" is not of type 'string', 'null'")
		}
		if len([]rune(s)) > 255 {
			return nil, invalidInput(k, v, pyRepr(v)+" is too long")
		}
		out[k] = &s
	}
	return out, nil
}
