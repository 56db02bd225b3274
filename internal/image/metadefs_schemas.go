package image

import "sync"

// The metadefs JSON schemas: each validates request bodies and is served
// at /v2/schemas/metadefs/{name}, keyed in upstream's order (the order
// decides which error Glance reports). Descriptions are our own words.

func jsStr(description string, more ...any) *jsonObject {
	return jsObj(append([]any{"type", "string", "description", description}, more...)...)
}

func jsRef(name string) *jsonObject { return jsObj("$ref", "#/definitions/"+name) }

func jsStamp(description string) *jsonObject {
	return jsObj("type", "string", "readOnly", true, "description", description, "format", "date-time")
}

func jsReadOnly() *jsonObject { return jsObj("readOnly", true, "type", "string") }

// propertyTypes are the JSON types a property definition may name.
func propertyTypes() *jsonObject {
	return jsObj("type", "string", "enum", []any{"array", "boolean", "integer", "number", "object", "string", nil})
}

// propertyFields are the attributes of one property definition.
func propertyFields() *jsonObject {
	return jsObj(
		"name", jsObj("type", "string", "maxLength", jsNum("80")),
		"title", jsObj("type", "string"),
		"description", jsObj("type", "string"),
		"operators", jsObj("type", "array", "items", jsObj("type", "string")),
		"type", propertyTypes(),
		"required", jsRef("stringArray"),
		"minimum", jsObj("type", "number"),
		"maximum", jsObj("type", "number"),
		"maxLength", jsRef("positiveInteger"),
		"minLength", jsRef("positiveIntegerDefault0"),
		"pattern", jsObj("type", "string", "format", "regex"),
		"enum", jsObj("type", "array"),
		"readonly", jsObj("type", "boolean"),
		"default", jsObj(),
		"items", jsObj("type", "object", "properties", jsObj("type", propertyTypes(), "enum", jsObj("type", "array"))),
		"maxItems", jsRef("positiveInteger"),
		"minItems", jsRef("positiveIntegerDefault0"),
		"uniqueItems", jsObj("type", "boolean", "default", false),
		"additionalItems", jsObj("type", "boolean"),
	)
}

// numberDefinitions are the shared definitions; stringArray needs an item
// in the property schema only, as upstream.
func numberDefinitions(nonEmptyArrays bool) *jsonObject {
	arr := jsObj("type", "array", "items", jsObj("type", "string"), "uniqueItems", true)
	if nonEmptyArrays {
		arr = jsObj("type", "array", "items", jsObj("type", "string"), "minItems", jsNum("1"), "uniqueItems", true)
	}
	return jsObj(
		"positiveInteger", jsObj("type", "integer", "minimum", jsNum("0")),
		"positiveIntegerDefault0", jsObj("allOf", []any{jsRef("positiveInteger"), jsObj("default", jsNum("0"))}),
		"stringArray", arr,
	)
}

func namespaceDefinitions() *jsonObject {
	d := numberDefinitions(false)
	d.set("property", jsObj("type", "object", "additionalProperties",
		jsObj("type", "object", "required", []any{"title", "type"}, "properties", propertyFields())))
	return d
}

func namespaceSchema() *jsonObject {
	props := jsObj(
		"namespace", jsStr("Unique name of the namespace.", "maxLength", jsNum("80")),
		"display_name", jsStr("Human-readable name of the namespace, for dashboards.", "maxLength", jsNum("80")),
		"description", jsStr("What the namespace's definitions are for.", "maxLength", jsNum("500")),
		"visibility", jsStr("Who may see the namespace.", "enum", []any{"public", "private"}),
		"protected", jsObj("type", "boolean", "description", "When true, the namespace and its contents cannot be deleted."),
		"owner", jsStr("Project that owns the namespace.", "maxLength", jsNum("255")),
		"created_at", jsStamp("When the namespace was created"),
		"updated_at", jsStamp("When the namespace was last changed"),
		"schema", jsReadOnly(),
		"self", jsReadOnly(),
		"resource_type_associations", jsObj("type", "array", "items", jsObj("type", "object", "properties",
			jsObj("name", jsObj("type", "string"), "prefix", jsObj("type", "string"), "properties_target", jsObj("type", "string")))),
		"properties", jsRef("property"),
		"objects", jsObj("type", "array", "items", jsObj("type", "object", "properties", jsObj(
			"name", jsObj("type", "string"), "description", jsObj("type", "string"),
			"required", jsRef("stringArray"), "properties", jsRef("property")))),
		"tags", jsObj("type", "array", "items", jsObj("type", "object", "properties", jsObj("name", jsObj("type", "string")))),
	)
	return entitySchema("namespace", props, namespaceDefinitions(), "namespace")
}

func objectSchema() *jsonObject {
	props := jsObj(
		"name", jsObj("type", "string", "maxLength", jsNum("80")),
		"description", jsObj("type", "string"),
		"required", jsRef("stringArray"),
		"properties", jsRef("property"),
		"schema", jsReadOnly(),
		"self", jsReadOnly(),
		"created_at", jsStamp("When the object was created"),
		"updated_at", jsStamp("When the object was last changed"),
	)
	return entitySchema("object", props, namespaceDefinitions(), "name")
}

// propertySchema is the schema of one property; named properties (the
// property endpoints) must carry their name.
func propertySchema(requireName bool) *jsonObject {
	required := []any{"type", "title"}
	if requireName {
		required = append(required, "name")
	}
	return entitySchema("property", propertyFields(), numberDefinitions(true), required...)
}

func tagSchema() *jsonObject {
	props := jsObj(
		"name", jsObj("type", "string", "maxLength", jsNum("80")),
		"created_at", jsStamp("When the tag was created"),
		"updated_at", jsStamp("When the tag was last changed"),
	)
	return entitySchema("tag", props, nil, "name")
}

// tagsSchema is the body of a batch tag creation.
func tagsSchema() *jsonObject {
	item := jsObj("type", "object", "properties", jsObj("name", jsObj("type", "string")),
		"required", []any{"name"}, "additionalProperties", false)
	return entitySchema("tags", jsObj("tags", jsObj("type", "array", "items", item)), nil)
}

func resourceTypeSchema() *jsonObject {
	props := jsObj(
		"name", jsStr("Name of the resource type; Heat's resource type names where there is one.", "maxLength", jsNum("80")),
		"prefix", jsStr("Prefix the namespace's properties take when applied to this resource type, "+
			"separator included (such as hw: or hw_).", "maxLength", jsNum("80")),
		"properties_target", jsStr("Which of the resource's key/value sets the properties apply to, "+
			"where it has several (a volume's image metadata, for one).", "maxLength", jsNum("80")),
		"created_at", jsStamp("When the association was created"),
		"updated_at", jsStamp("When the association was last changed"),
	)
	return entitySchema("resource_type_association", props, nil, "name")
}

// The metadefs schemas, built once: those served, and the request-only
// ones (a property inside an object, a batch of tags).
var (
	metadefSchemaDocs     = sync.OnceValue(metadefSchemas)
	unnamedPropertySchema = sync.OnceValue(func() *jsonObject { return propertySchema(false) })
	tagBatchSchema        = sync.OnceValue(tagsSchema)
)

// metadefSchemas are the documents served under /v2/schemas/metadefs.
func metadefSchemas() map[string]*jsonObject {
	return map[string]*jsonObject{
		"namespace":      namespaceSchema(),
		"namespaces":     collectionSchema("namespaces", namespaceSchema(), false),
		"object":         objectSchema(),
		"objects":        collectionSchema("objects", objectSchema(), false),
		"property":       propertySchema(true),
		"properties":     collectionSchema("properties", propertySchema(false), true),
		"tag":            tagSchema(),
		"tags":           collectionSchema("tags", tagSchema(), false),
		"resource_type":  resourceTypeSchema(),
		"resource_types": collectionSchema("resource_type_associations", resourceTypeSchema(), false),
	}
}
