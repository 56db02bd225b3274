package compute

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/monostack/monostack/internal/httpx"
)

// maxDBInt is Nova's db constant MAX_INT, the largest flavor size.
const maxDBInt = 0x7FFFFFFF

// maxRxtx is Nova's SQL_SP_FLOAT_MAX.
const maxRxtx = 3.40282e+38

var (
	flavorIDPattern = regexp.MustCompile(`^[a-zA-Z0-9. _-]+$`)
	digitsPattern   = regexp.MustCompile(`^[0-9]+$`)
	rxtxPattern     = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

// flavorCreateKeys are the flavor keys of a create at v (description
// from 2.55).
func flavorCreateKeys(v httpx.Microversion) []string {
	keys := []string{"name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap",
		"rxtx_factor", "os-flavor-access:is_public"}
	if v.AtLeast(55) {
		keys = append(keys, "description")
	}
	return keys
}

// parseFlavorCreate checks a POST /flavors body as Nova's create schema
// does (properties in schema order, then required, then extra keys).
func parseFlavorCreate(body jsonObject, v httpx.Microversion) (*flavor, error) {
	fl, err := requireBody(body, "flavor")
	if err != nil {
		return nil, err
	}
	f := &flavor{RxtxFactor: 1.0, IsPublic: true}
	if err := parseFlavorIdentity(fl, f); err != nil {
		return nil, err
	}
	if err := parseFlavorSizes(fl, f); err != nil {
		return nil, err
	}
	if err := parseFlavorExtras(fl, f, v); err != nil {
		return nil, err
	}
	if err := requireKeys("flavor", fl, "name", "ram", "vcpus", "disk"); err != nil {
		return nil, err
	}
	return f, onlyKeys("flavor", fl, flavorCreateKeys(v))
}

func parseFlavorIdentity(fl jsonObject, f *flavor) error {
	if n, ok := fl["name"]; ok {
		name, err := schemaName("name", n)
		if err != nil {
			return err
		}
		f.Name = name
	}
	id, ok := fl["id"]
	if !ok || id == nil {
		return nil
	}
	switch x := id.(type) {
	case string:
		if _, err := schemaString("id", x, 1, 255); err != nil {
			return err
		}
		if !flavorIDPattern.MatchString(x) || x[0] == ' ' || x[len(x)-1] == ' ' {
			return invalidInput("id", x, pyRepr(x)+" does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'")
		}
		f.FlavorID = x
	case json.Number:
		if x.String() != "0" {
			f.FlavorID = pyNumber(x)
		}
	default:
		return invalidInput("id", id, pyRepr(id)+" is not of type 'string', 'number', 'null'")
	}
	return nil
}

// pyNumber spells a JSON number as Python's str of the decoded value.
func pyNumber(n json.Number) string {
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return strconv.FormatInt(i, 10)
	}
	fv, _ := n.Float64()
	return string(must(pyFloat(fv).MarshalJSON()))
}

func must[T any](v T, _ error) T { return v }

func parseFlavorSizes(fl jsonObject, f *flavor) error {
	for _, p := range []struct {
		key string
		min int
		dst *int
	}{{"ram", 1, &f.MemoryMB}, {"vcpus", 1, &f.VCPUs}, {"disk", 0, &f.RootGB},
		{"OS-FLV-EXT-DATA:ephemeral", 0, &f.EphemeralGB}, {"swap", 0, &f.Swap}} {
		raw, ok := fl[p.key]
		if !ok {
			continue
		}
		n, err := flavorSize(p.key, raw, p.min)
		if err != nil {
			return err
		}
		*p.dst = n
	}
	return nil
}

// flavorSize checks parameter_types.flavor_param_positive/non_negative.
func flavorSize(field string, v any, minimum int) (int, error) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'integer', 'string'")
		}
	case string:
		s = x
		if !digitsPattern.MatchString(s) {
			return 0, invalidInput(field, v, pyRepr(v)+" does not match '^[0-9]+$'")
		}
	default:
		return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'integer', 'string'")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxDBInt {
		return 0, invalidInput(field, v, fmt.Sprintf("%s is greater than the maximum of %d", trimNumber(s), maxDBInt))
	}
	if n < int64(minimum) {
		return 0, invalidInput(field, v, fmt.Sprintf("%d is less than the minimum of %d", n, minimum))
	}
	return int(n), nil
}

// trimNumber drops leading zeros as Python's int() does.
func trimNumber(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

func parseFlavorExtras(fl jsonObject, f *flavor, v httpx.Microversion) error {
	if raw, ok := fl["rxtx_factor"]; ok {
		x, err := flavorRxtx(raw)
		if err != nil {
			return err
		}
		f.RxtxFactor = x
	}
	if raw, ok := fl["os-flavor-access:is_public"]; ok {
		b, err := schemaBool("os-flavor-access:is_public", raw)
		if err != nil {
			return err
		}
		f.IsPublic = b
	}
	if raw, ok := fl["description"]; ok && v.AtLeast(55) {
		d, err := flavorDescription(raw)
		if err != nil {
			return err
		}
		f.Description = d
	}
	return nil
}

// flavorRxtx checks rxtx_factor: a positive number (or digit string).
func flavorRxtx(v any) (float64, error) {
	const field = "rxtx_factor"
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		if !rxtxPattern.MatchString(x) {
			return 0, invalidInput(field, v, pyRepr(v)+` does not match '^[0-9]+(\\.[0-9]+)?$'`)
		}
		s = x
	default:
		return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'number', 'string'")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'number', 'string'")
	}
	if f <= 0 {
		return 0, invalidInput(field, v, fmt.Sprintf("%s is less than or equal to the minimum of 0", pyNumber(json.Number(s))))
	}
	if f > maxRxtx {
		return 0, invalidInput(field, v, fmt.Sprintf("%s is greater than the maximum of 3.40282e+38", pyNumber(json.Number(s))))
	}
	return f, nil
}

// flavorDescription checks the 2.55 description: null or up to 65535
// printable characters (whitespace allowed).
func flavorDescription(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, invalidInput("description", v, pyRepr(v)+" is not of type 'string', 'null'")
	}
	if utf8.RuneCountInString(s) > 65535 {
		return nil, invalidInput("description", v, pyRepr(v)+" is too long")
	}
	for _, c := range s {
		if !unicode.IsPrint(c) && !unicode.IsSpace(c) {
			return nil, invalidInput("description", v, pyRepr(v)+" does not match the description pattern")
		}
	}
	return &s, nil
}

// parseFlavorUpdate checks a PUT /flavors/{id} body (2.55+).
func parseFlavorUpdate(body jsonObject) (*string, error) {
	fl, err := requireBody(body, "flavor")
	if err != nil {
		return nil, err
	}
	var desc *string
	if raw, ok := fl["description"]; ok {
		if desc, err = flavorDescription(raw); err != nil {
			return nil, err
		}
	}
	if err := requireKeys("flavor", fl, "description"); err != nil {
		return nil, err
	}
	return desc, onlyKeys("flavor", fl, []string{"description"})
}
