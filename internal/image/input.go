package image

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/errs"
)

var (
	diskFormats      = []string{"ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"}
	containerFormats = []string{"ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"}
	visibilities     = []string{"public", "private", "shared", "community"}
	uuidPattern      = regexp.MustCompile(`^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$`)
)

// Attributes a client may never set, and base attributes Glance keeps out of
// the free-form properties.
var (
	disallowed = []string{"direct_url", "self", "file", "schema", "stores"}
	readOnly   = []string{"created_at", "updated_at", "status", "checksum", "size", "virtual_size", "direct_url", "self",
		"file", "schema", "id", "os_hash_algo", "os_hash_value"}
	reserved = []string{"location", "deleted", "deleted_at"}
)

// reservedNamespace prefixes properties only Glance itself sets.
const reservedNamespace = "os_glance"

func schemaError(format string, args ...any) error {
	return errs.BadRequestf("Provided object does not match schema 'image': "+format, args...)
}

// applyAttribute validates one attribute of a create or update and sets it.
// Unknown names become free-form string properties.
func applyAttribute(im *image, key string, raw json.RawMessage) error {
	switch key {
	case "name":
		return setOptString(&im.Name, key, raw, 255, nil)
	case "disk_format":
		return setOptString(&im.DiskFormat, key, raw, 255, diskFormats)
	case "container_format":
		return setOptString(&im.ContainerFormat, key, raw, 255, containerFormats)
	case "visibility":
		var v string
		if err := json.Unmarshal(raw, &v); err != nil || !slices.Contains(visibilities, v) {
			return schemaError("%s is not one of %s", pyRepr(raw), pyList(visibilities, false))
		}
		im.Visibility = v
	case "min_disk", "min_ram":
		var n int64
		if err := json.Unmarshal(raw, &n); err != nil || strings.ContainsAny(string(raw), ".eE") {
			return schemaError("%s is not of type 'integer'", pyRepr(raw))
		}
		if n < 0 {
			return errs.BadRequestf("Invalid value '%d' for parameter '%s': Cannot be a negative value", n, key)
		}
		if key == "min_disk" {
			im.MinDisk = n
		} else {
			im.MinRAM = n
		}
	case "protected", "os_hidden":
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return schemaError("%s is not of type 'boolean'", pyRepr(raw))
		}
		if key == "protected" {
			im.Protected = b
		} else {
			im.Hidden = b
		}
	case "owner":
		return setOptString(&im.Owner, key, raw, 255, nil)
	case "tags":
		tags, err := parseTags(raw)
		if err != nil {
			return err
		}
		im.Tags = tags
	default:
		return setProperty(im, key, raw)
	}
	return nil
}

func setOptString(dst **string, key string, raw json.RawMessage, max int, enum []string) error {
	if string(raw) == "null" {
		*dst = nil
		return nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return schemaError("%s is not of type 'null', 'string'", pyRepr(raw))
	}
	if enum != nil && !slices.Contains(enum, v) {
		return schemaError("%s is not one of %s", pyRepr(raw), pyList(enum, true))
	}
	if len([]rune(v)) > max {
		return schemaError("%s is too long", pyRepr(raw))
	}
	*dst = &v
	return nil
}

func setProperty(im *image, key string, raw json.RawMessage) error {
	if len(key) > 255 {
		return errs.BadRequestf("Custom property should not be greater than 255 characters.")
	}
	if slices.Contains(reserved, key) {
		return errs.Forbiddenf("Attribute '%s' is reserved.", key)
	}
	if strings.HasPrefix(key, reservedNamespace) {
		return errs.Forbiddenf("Attribute '%s' is reserved.", key)
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return schemaError("%s is not of type 'string'", pyRepr(raw))
	}
	im.Props[key] = v
	return nil
}

func parseTags(raw json.RawMessage) ([]string, error) {
	var tags []string
	if err := json.Unmarshal(raw, &tags); err != nil {
		return nil, schemaError("%s is not of type 'array'", pyRepr(raw))
	}
	out := []string{}
	for _, t := range tags {
		if len([]rune(t)) > 255 {
			return nil, schemaError("'%s' is too long", t)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out, nil
}

// pyRepr renders a JSON value as Python's repr would in jsonschema errors.
func pyRepr(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case string:
		return "'" + x + "'"
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	}
	return string(raw)
}

func pyList(vs []string, withNone bool) string {
	parts := make([]string, 0, len(vs)+1)
	if withNone {
		parts = append(parts, "None")
	}
	for _, v := range vs {
		parts = append(parts, "'"+v+"'")
	}
	return fmt.Sprintf("[%s]", strings.Join(parts, ", "))
}
