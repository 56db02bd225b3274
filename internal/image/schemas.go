package image

import (
	"encoding/json"
	"net/http"
	"regexp"

	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/pyrepr"
)

// The image and member JSON schemas served under /v2/schemas, built as
// Glance Zed builds them (images.get_schema with the schema-image.json
// properties Glance ships, image_members.get_schema): same members, types,
// enums, patterns and order; the descriptions are our own words. Clients
// read them: glanceclient validates against the image schema and takes the
// properties without "is_base": false as base attributes.

// imageSchemaDoc is the image schema; PATCH checks typed properties against it.
var imageSchemaDoc = imageSchema()

// imageSchema is Glance's PermissiveSchema "image": base attributes, the
// typed free-form properties, any other property a string.
func imageSchema() *jsonObject {
	props := baseImageProperties()
	custom := customImageProperties()
	for _, k := range custom.keys {
		props.set(k, custom.vals[k])
	}
	return jsObj("name", "image", "properties", props, "additionalProperties", jsObj("type", "string"),
		"links", []any{jsObj("rel", "self", "href", "{self}"), jsObj("rel", "enclosure", "href", "{file}"),
			jsObj("rel", "describedby", "href", "{schema}")})
}

func orNull(t string) []any { return []any{"null", t} }

func enumWithNull(values []string) []any {
	out := []any{nil}
	for _, v := range values {
		out = append(out, v)
	}
	return out
}

func anyList(values ...string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// baseImageProperties are get_base_properties(), in upstream's order.
func baseImageProperties() *jsonObject {
	ro := func(typ any, description string, more ...any) *jsonObject {
		return jsObj(append([]any{"type", typ, "readOnly", true, "description", description}, more...)...)
	}
	return jsObj(
		"id", jsObj("type", "string", "description", "The image's UUID", "pattern", uuidPattern.String()),
		"name", jsObj("type", orNull("string"), "description", "A name for people to recognise the image by", "maxLength", jsNum("255")),
		"status", ro("string", "Where the image is in its lifecycle", "enum", anyList(statusQueued, statusSaving, statusActive,
			statusKilled, "deleted", statusUploading, statusImporting, "pending_delete", statusDeactivated)),
		"visibility", jsObj("type", "string", "description", "Who may see the image", "enum", anyList("community", "public", "private", "shared")),
		"protected", jsObj("type", "boolean", "description", "When true, the image cannot be deleted."),
		"os_hidden", jsObj("type", "boolean", "description", "When true, image lists leave the image out unless asked for hidden images."),
		"checksum", ro(orNull("string"), "MD5 digest of the image data.", "maxLength", jsNum("32")),
		"os_hash_algo", ro(orNull("string"), "The algorithm of os_hash_value", "maxLength", jsNum("64")),
		"os_hash_value", ro(orNull("string"), "Hex digest of the image data by os_hash_algo", "maxLength", jsNum("128")),
		"owner", jsObj("type", orNull("string"), "description", "The project that owns the image", "maxLength", jsNum("255")),
		"size", ro(orNull("integer"), "Bytes of image data"),
		"virtual_size", ro(orNull("integer"), "Bytes of the virtual disk the data describes"),
		"container_format", jsObj("type", orNull("string"), "description", "How the data is packaged", "enum", enumWithNull(containerFormats)),
		"disk_format", jsObj("type", orNull("string"), "description", "The disk format of the data", "enum", enumWithNull(diskFormats)),
		"created_at", ro("string", "When the image was created"),
		"updated_at", ro("string", "When the image last changed"),
		"tags", jsObj("type", "array", "description", "Labels attached to the image",
			"items", jsObj("type", "string", "maxLength", jsNum("255"))),
		"direct_url", ro("string", "Where the data lives in its store"),
		"min_ram", jsObj("type", "integer", "description", "Least memory (MiB) a server booted from the image needs."),
		"min_disk", jsObj("type", "integer", "description", "Least disk (GiB) a server booted from the image needs."),
		"self", ro("string", "The image's URL"),
		"file", ro("string", "The URL of the image data"),
		"stores", ro("string", "Comma-separated ids of the stores holding the data, shown when several stores are enabled."),
		"schema", ro("string", "The URL of this schema"),
		"locations", locationsProperty(),
	)
}

// locationsProperty is the locations attribute: a list of store URLs with
// their metadata and optional hashes.
func locationsProperty() *jsonObject {
	validation := jsObj(
		"description", "Hashes the location's data must match; with an image not queued, they must equal its own.",
		"type", "object", "writeOnly", true, "additionalProperties", false,
		"properties", jsObj(
			"checksum", jsObj("type", "string", "minLength", jsNum("32"), "maxLength", jsNum("32")),
			"os_hash_algo", jsObj("type", "string", "maxLength", jsNum("64")),
			"os_hash_value", jsObj("type", "string", "maxLength", jsNum("128"))),
		"required", anyList("os_hash_algo", "os_hash_value"))
	item := jsObj("type", "object",
		"properties", jsObj("url", jsObj("type", "string", "maxLength", jsNum("255")), "metadata", jsObj("type", "object"),
			"validation_data", validation),
		"required", anyList("url", "metadata"))
	return jsObj("type", "array", "items", item, "description", "Store URLs of the image data")
}

// customImageProperties are the properties of Glance's schema-image.json,
// each marked "is_base": false.
func customImageProperties() *jsonObject {
	imageRef := func(what string) *jsonObject {
		return jsObj("type", orNull("string"), "pattern", uuidPattern.String(),
			"description", "The Glance image to boot as the "+what+" of an AMI-style image.", "is_base", false)
	}
	text := func(description string) *jsonObject {
		return jsObj("description", description, "type", "string", "is_base", false)
	}
	return jsObj(
		"kernel_id", imageRef("kernel"),
		"ramdisk_id", imageRef("ramdisk"),
		"instance_uuid", jsObj("type", "string", "description", "The server this image was taken from (for information only).", "is_base", false),
		"architecture", text("CPU architecture the image runs on (see glanceclient's property keys)"),
		"os_distro", text("Operating system distribution (see glanceclient's property keys)"),
		"os_version", text("Operating system version, as its distributor numbers it."),
		"description", text("Free text about the image."),
		"cinder_encryption_key_id", text("The key manager's id of the key the block storage service uses for volumes made from this image"),
		"cinder_encryption_key_deletion_policy", jsObj("description", "Whether deleting the image also deletes cinder_encryption_key_id's key",
			"type", "string", "enum", anyList("on_image_deletion", "do_not_delete"), "is_base", false),
	)
}

// memberSchema is image_members.get_schema().minimal().
func memberSchema() *jsonObject {
	return jsObj("name", "member", "properties", jsObj(
		"member_id", jsObj("type", "string", "description", "The project the image is shared with"),
		"image_id", jsObj("type", "string", "description", "The shared image's UUID", "pattern", uuidPattern.String()),
		"created_at", jsObj("type", "string", "description", "When the image was shared with the project"),
		"updated_at", jsObj("type", "string", "description", "When the membership last changed"),
		"status", jsObj("type", "string", "description", "Whether the project took the image", "enum", anyList("pending", "accepted", "rejected")),
		"schema", jsObj("readOnly", true, "type", "string"),
	))
}

// membersSchema is the members CollectionSchema's minimal(): no paging.
func membersSchema() *jsonObject {
	return jsObj("name", "members",
		"properties", jsObj("members", jsObj("type", "array", "items", memberSchema()), "schema", jsObj("type", "string")),
		"links", []any{jsObj("rel", "describedby", "href", "{schema}")})
}

// showSchema serves one schema document.
func (s *Service) showSchema(doc *jsonObject) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return httpx.WriteJSON(w, http.StatusOK, doc)
	}
}

// checkTypedProperty validates a value for one of the image schema's typed
// free-form properties (schema-image.json), as the JSON schema would;
// other names pass.
func checkTypedProperty(name string, raw json.RawMessage) error {
	props, _ := imageSchemaDoc.get("properties")
	def, ok := props.(*jsonObject).get(name)
	if !ok {
		return nil
	}
	if base, ok := def.(*jsonObject).get("is_base"); !ok || base != false {
		return nil
	}
	return checkAgainst(def.(*jsonObject), raw)
}

// checkAgainst validates raw against a subschema of the image schema,
// "pattern" included.
func checkAgainst(def *jsonObject, raw json.RawMessage) error {
	instance, err := parseOrdered(raw)
	if err != nil {
		return schemaError("%s is not valid JSON", string(raw))
	}
	if err := checkSchema("image", def, instance); err != nil {
		return err
	}
	pattern, ok := def.get("pattern")
	text, isString := instance.(string)
	if ok && isString && !regexp.MustCompile(pattern.(string)).MatchString(text) {
		return schemaError("%s does not match %s", pyrepr.String(text), pyrepr.String(pattern.(string)))
	}
	return nil
}
