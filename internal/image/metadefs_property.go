package image

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
)

// Glance turns a schema-valid property body into its PropertyType model
// (wsme): unknown attributes, enum values that are not strings and items
// without a type make it fail with a 500; here they are 400s naming the
// problem. Numbers limits become integers (truncated) and a default is kept
// as the text of a scalar (Python's str: True, 3, 2.5) or null.

var propertyAttributes = []string{"name", "type", "title", "description", "operators", "default", "readonly",
	"minimum", "maximum", "enum", "pattern", "minLength", "maxLength", "confidential", "items", "uniqueItems",
	"minItems", "maxItems", "additionalItems"}

// toPropertyDef converts a schema-valid property definition.
func toPropertyDef(schema string, o *jsonObject) (*propertyDef, error) {
	if err := unknownAttributes(schema, o, propertyAttributes); err != nil {
		return nil, err
	}
	d := &propertyDef{}
	for _, k := range o.keys {
		if err := setPropertyAttribute(schema, d, k, o.vals[k]); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func setPropertyAttribute(schema string, d *propertyDef, k string, v any) (err error) {
	switch k {
	case "name":
		d.Name, err = wsString(schema, v)
	case "type":
		d.Type, err = wsString(schema, v)
	case "title":
		d.Title, err = wsString(schema, v)
	case "description":
		d.Description, err = wsString(schema, v)
	case "pattern":
		d.Pattern, err = wsString(schema, v)
	case "operators":
		d.Operators, err = wsStrings(schema, v)
	case "enum":
		d.Enum, err = wsStrings(schema, v)
	case "readonly":
		d.Readonly, err = wsBool(schema, v)
	case "confidential":
		d.Confidential, err = wsBool(schema, v)
	case "uniqueItems":
		d.UniqueItems, err = wsBool(schema, v)
	case "additionalItems":
		d.AdditionalItems, err = wsBool(schema, v)
	case "default":
		d.Default = defaultText(v)
	case "items":
		d.Items, err = toItemType(schema, v)
	default:
		setPropertyLimit(d, k, truncated(v))
	}
	return err
}

// setPropertyLimit sets one of the integer limits.
func setPropertyLimit(d *propertyDef, k string, n json.Number) {
	switch k {
	case "minimum":
		d.Minimum = n
	case "maximum":
		d.Maximum = n
	case "minLength":
		d.MinLength = n
	case "maxLength":
		d.MaxLength = n
	case "minItems":
		d.MinItems = n
	case "maxItems":
		d.MaxItems = n
	}
}

// unknownAttributes refuses attributes the model does not have.
func unknownAttributes(schema string, o *jsonObject, known []string) error {
	var extras []string
	for _, k := range o.keys {
		if !slices.Contains(known, k) {
			extras = append(extras, k)
		}
	}
	if len(extras) > 0 {
		return schemaRefusal(schema, extrasMessage(extras))
	}
	return nil
}

func wsString(schema string, v any) (*string, error) {
	s, ok := v.(string)
	if !ok {
		return nil, schemaRefusal(schema, fmt.Sprintf("%s is not of type 'string'", pyValue(v)))
	}
	return &s, nil
}

func wsStrings(schema string, v any) (*[]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, schemaRefusal(schema, fmt.Sprintf("%s is not of type 'array'", pyValue(v)))
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, err := wsString(schema, e)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return &out, nil
}

func wsBool(schema string, v any) (*bool, error) {
	switch b := v.(type) {
	case nil:
		return nil, nil
	case bool:
		return &b, nil
	}
	return nil, schemaRefusal(schema, fmt.Sprintf("%s is not of type 'boolean'", pyValue(v)))
}

// truncated is Python's int() of a JSON number.
func truncated(v any) json.Number {
	n, ok := v.(json.Number)
	if !ok {
		return ""
	}
	if isIntegral(n) {
		if i, ok := new(big.Int).SetString(string(n), 10); ok {
			return json.Number(i.String())
		}
	}
	i, _ := bigNumber(n).Int(nil)
	return json.Number(i.String())
}

// defaultText is a default as Glance keeps it (wsme bytes).
func defaultText(v any) json.RawMessage {
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = pyNumber(x)
	case bool:
		text = map[bool]string{true: "True", false: "False"}[x]
	default:
		return json.RawMessage("null")
	}
	b, _ := marshalNoEscape(text)
	return b
}

func toItemType(schema string, v any) (*itemType, error) {
	o, ok := v.(*jsonObject)
	if !ok {
		return nil, schemaRefusal(schema, fmt.Sprintf("%s is not of type 'object'", pyValue(v)))
	}
	if err := unknownAttributes(schema, o, []string{"type", "enum"}); err != nil {
		return nil, err
	}
	t, ok := o.get("type")
	if !ok {
		return nil, schemaRefusal(schema, "'type' is a required property")
	}
	typ, err := wsString(schema, t)
	if err != nil {
		return nil, err
	}
	it := &itemType{Type: *typ}
	if e, ok := o.get("enum"); ok {
		if it.Enum, err = wsStrings(schema, e); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// toPropertyMap converts a schema-valid {name: definition} object.
func toPropertyMap(schema string, v any) (propertyMap, error) {
	o, ok := v.(*jsonObject)
	if !ok {
		return propertyMap{}, nil
	}
	out := make(propertyMap, 0, len(o.keys))
	for _, k := range o.keys {
		po, ok := o.vals[k].(*jsonObject)
		if !ok {
			return nil, schemaRefusal(schema, fmt.Sprintf("%s is not of type 'object'", pyValue(o.vals[k])))
		}
		def, err := toPropertyDef(schema, po)
		if err != nil {
			return nil, err
		}
		out = append(out, namedProperty{Name: k, Def: def})
	}
	return out, nil
}
