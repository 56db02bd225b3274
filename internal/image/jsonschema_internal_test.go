package image

import (
	"strings"
	"testing"
)

// The validator against the messages Python's jsonschema 4.10 (Glance
// Zed's) gives for the same schemas and bodies.
func TestMetadefSchemaMessagesMatchJSONSchema(t *testing.T) {
	long := strings.Repeat("d", 501)
	target := strings.Repeat("t", 81)
	cases := []struct{ schema, body, want string }{
		{"namespace", `{"namespace": "x", "visibility": 5}`, "5 is not of type 'string'"},
		{"namespace", `{"namespace": "x", "protected": "yes"}`, "'yes' is not of type 'boolean'"},
		{"namespace", `{"namespace": "x", "properties": {"p": {"title": "t", "type": "string", "maxLength": 1.5}}}`, "1.5 is not of type 'integer'"},
		{"namespace", `{"namespace": "x", "properties": {"p": {"title": "t", "type": "string", "maxItems": 2.0, "minItems": -2}}}`,
			"-2 is less than the minimum of 0"},
		{"namespace", `{"namespace": "x", "properties": {"p": "string"}}`, "'string' is not of type 'object'"},
		{"namespace", `{"namespace": "x", "objects": [{"name": "o", "required": ["a", "a"]}]}`, "['a', 'a'] has non-unique elements"},
		{"namespace", `{"namespace": "x", "objects": {"name": "o"}}`, "{'name': 'o'} is not of type 'array'"},
		{"namespace", `{"namespace": "x", "tags": [{"name": 1}]}`, "1 is not of type 'string'"},
		{"namespace", `{"namespace": "x", "resource_type_associations": [{"name": "r", "prefix": null}]}`, "None is not of type 'string'"},
		{"namespace", `{"namespace": "x", "properties": {"p": {"title": "t", "type": "array", "items": {"type": "strin"}}}}`,
			"'strin' is not one of ['array', 'boolean', 'integer', 'number', 'object', 'string', None]"},
		{"namespace", `{"namespace": "x", "properties": {"p": {"title": "t", "type": "string", "operators": ["<or>", 1]}}}`, "1 is not of type 'string'"},
		{"namespace", `{"namespace": "x", "properties": {"p": {"title": "t", "type": "string", "enum": "a"}}}`, "'a' is not of type 'array'"},
		{"namespace", `{"namespace": "it's", "description": "` + long + `"}`, "'" + long + "' is too long"},
		{"namespace", `{"namespace": "x", "properties": {"p": {"title": "t", "type": "number", "minimum": true, "default": {"a": [1, 2.5, null, true]}}}}`,
			"True is not of type 'number'"},
		{"property", `{"name": "p", "title": "t", "type": "string", "minimum": "1"}`, "'1' is not of type 'number'"},
		{"property", `{"name": "p", "title": "t", "type": "string", "required": ["a", "a"]}`, "['a', 'a'] has non-unique elements"},
		{"property", `{"name": "p", "title": "t", "type": "string", "uniqueItems": 1}`, "1 is not of type 'boolean'"},
		{"property", `{"name": "p", "type": "string"}`, "'title' is a required property"},
		{"property", `{}`, "'type' is a required property"},
		{"object", `{"name": ["o"]}`, "['o'] is not of type 'string'"},
		{"tags", `{"tags": [{"name": "a", "x": 1}]}`, "Additional properties are not allowed ('x' was unexpected)"},
		{"tags", `{"tags": "a"}`, "'a' is not of type 'array'"},
		{"resource_type_association", `{"name": "n", "properties_target": "` + target + `"}`, "'" + target + "' is too long"},
		{"resource_type_association", `{"name": "n", "prefix": 1.5}`, "1.5 is not of type 'string'"},
	}
	schemas := map[string]*jsonObject{"namespace": namespaceSchema(), "property": propertySchema(true), "object": objectSchema(),
		"tags": tagsSchema(), "resource_type_association": resourceTypeSchema()}
	for _, c := range cases {
		body, err := parseOrdered([]byte(c.body))
		if err != nil {
			t.Fatal(err)
		}
		f := bestFault(schemas[c.schema], body)
		if f == nil || f.message != c.want {
			t.Errorf("%s %s:\n got %v\nwant %q", c.schema, c.body, f, c.want)
		}
	}
}
