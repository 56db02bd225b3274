package image

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/pyrepr"
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

// schemaError is a refusal by the image schema.
func schemaError(format string, args ...any) error {
	return schemaRefusal("image", fmt.Sprintf(format, args...))
}

// applyChecked validates one attribute of a create or a PATCH as the image
// schema does, typed properties included, and sets it.
func applyChecked(im *image, key string, raw json.RawMessage) error {
	if err := checkTypedProperty(key, raw); err != nil {
		return err
	}
	return applyAttribute(im, key, raw)
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
			return schemaError("%s is not one of %s", pyRepr(raw), pyValue(anyList(visibilities...)))
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
		return schemaError("%s is not one of %s", pyRepr(raw), pyValue(enumWithNull(enum)))
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
			return nil, schemaError("%s is too long", pyrepr.String(t))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out, nil
}

// perImageQuota resolves a per-image quota option: 0 is Glance's default
// of 128, negative is unlimited.
func perImageQuota(n int) int {
	if n == 0 {
		return 128
	}
	return n
}

// checkPropertyQuota is Glance's image_property_quota, checked when an
// image is stored with a property added; Glance's own os_glance* ones do
// not count.
func (s *Service) checkPropertyQuota(before, after map[string]string) error {
	limit := perImageQuota(s.opts.ImagePropertyQuota)
	added := false
	for k := range after {
		if _, ok := before[k]; !ok {
			added = true
		}
	}
	if limit < 0 || !added {
		return nil
	}
	n := 0
	for k := range after {
		if !strings.HasPrefix(k, reservedNamespace) {
			n++
		}
	}
	if n > limit {
		return errs.New(errs.TooLarge, "The limit has been exceeded on the number of allowed image properties. Attempted: %d, Maximum: %d", n, limit)
	}
	return nil
}

// checkStored is what Glance checks as it stores an image, created or
// changed: image_property_quota when a property was added (before holds
// the properties it had), then what its database layer checks: the
// integer columns fit; an empty owner is stored as none.
func (s *Service) checkStored(before map[string]string, im *image) error {
	if err := s.checkPropertyQuota(before, im.Props); err != nil {
		return err
	}
	for _, col := range []struct {
		name  string
		value int64
	}{{"min_disk", im.MinDisk}, {"min_ram", im.MinRAM}} {
		if col.value > math.MaxInt32 {
			return errs.BadRequestf("'%s' value out of range, must not exceed %d.", col.name, math.MaxInt32)
		}
	}
	if im.Owner != nil && *im.Owner == "" {
		im.Owner = nil
	}
	return nil
}
