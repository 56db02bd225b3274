package image

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/pyrepr"
)

// Glance's JSON schemas: a small validator for request bodies (image and
// metadefs) with the messages and error choice of the Python jsonschema
// Glance Zed runs (4.10, Draft 2020-12 by default): the keywords those
// schemas use, checked in schema order, and the best error picked by its
// relevance rule (the shallowest instance path, then an error whose
// subschema's type the instance lacks; the first of equals). At the end,
// the documents Glance's schema classes build around a set of properties.

// schemaFault is one failed keyword.
type schemaFault struct {
	path     []any // instance path: string keys and int indexes
	message  string
	typeMiss bool // the subschema names no type, or one the instance lacks
}

type schemaRun struct {
	root   *jsonObject
	faults []schemaFault
}

// checkSchema validates instance against schema named name and returns
// Glance's 400 for the best-matching failure, or nil.
func checkSchema(name string, schema *jsonObject, instance any) error {
	if f := bestFault(schema, instance); f != nil {
		return schemaRefusal(name, f.message)
	}
	return nil
}

// schemaRefusal is Glance's InvalidObject message (its first line).
func schemaRefusal(name, reason string) error {
	return errs.BadRequestf("%s", "Provided object does not match schema '"+name+"': "+reason)
}

func bestFault(schema *jsonObject, instance any) *schemaFault {
	run := &schemaRun{root: schema}
	run.descend(instance, schema, nil)
	var best *schemaFault
	for i := range run.faults {
		if best == nil || moreRelevant(&run.faults[i], best) {
			best = &run.faults[i]
		}
	}
	return best
}

// moreRelevant is jsonschema's relevance order: a > b.
func moreRelevant(a, b *schemaFault) bool {
	if len(a.path) != len(b.path) {
		return len(a.path) < len(b.path)
	}
	return a.typeMiss && !b.typeMiss
}

func (run *schemaRun) fail(instance any, schema *jsonObject, path []any, format string, args ...any) {
	miss := true
	if t, ok := schema.get("type"); ok {
		miss = !matchesType(instance, t)
	}
	run.faults = append(run.faults, schemaFault{path: slices.Clone(path), message: fmt.Sprintf(format, args...), typeMiss: miss})
}

func (run *schemaRun) descend(instance any, schema *jsonObject, path []any) {
	for _, kw := range schema.keys {
		run.keyword(kw, schema.vals[kw], instance, schema, path)
	}
}

func (run *schemaRun) keyword(kw string, arg, instance any, schema *jsonObject, path []any) {
	switch kw {
	case "$ref":
		run.descend(instance, run.resolve(arg.(string)), path)
	case "allOf":
		for _, sub := range arg.([]any) {
			run.descend(instance, sub.(*jsonObject), path)
		}
	case "type":
		if !matchesType(instance, arg) {
			run.fail(instance, schema, path, "%s is not of type %s", pyValue(instance), typeNames(arg))
		}
	case "enum":
		if !slices.ContainsFunc(arg.([]any), func(e any) bool { return jsonEqual(instance, e) }) {
			run.fail(instance, schema, path, "%s is not one of %s", pyValue(instance), pyValue(arg))
		}
	case "required":
		run.required(arg.([]any), instance, schema, path)
	case "properties":
		run.properties(arg.(*jsonObject), instance, path)
	case "additionalProperties":
		run.additional(arg, instance, schema, path)
	case "items":
		if arr, ok := instance.([]any); ok {
			for i, e := range arr {
				run.descend(e, arg.(*jsonObject), append(path, i))
			}
		}
	default:
		run.bounds(kw, arg, instance, schema, path)
	}
}

// bounds checks the size and value keywords.
func (run *schemaRun) bounds(kw string, arg, instance any, schema *jsonObject, path []any) {
	switch kw {
	case "maxLength":
		if s, ok := instance.(string); ok && int64(utf8.RuneCountInString(s)) > numberInt(arg) {
			run.fail(instance, schema, path, "%s is too long", pyValue(instance))
		}
	case "minimum":
		if n, ok := instance.(json.Number); ok && bigNumber(n).Cmp(bigNumber(arg.(json.Number))) < 0 {
			run.fail(instance, schema, path, "%s is less than the minimum of %s", pyValue(instance), pyValue(arg))
		}
	case "minItems":
		if arr, ok := instance.([]any); ok && int64(len(arr)) < numberInt(arg) {
			run.fail(instance, schema, path, "%s is too short", pyValue(instance))
		}
	case "uniqueItems":
		if arr, ok := instance.([]any); ok && arg == true && !uniqueValues(arr) {
			run.fail(instance, schema, path, "%s has non-unique elements", pyValue(instance))
		}
	}
}

func (run *schemaRun) required(names []any, instance any, schema *jsonObject, path []any) {
	obj, ok := instance.(*jsonObject)
	if !ok {
		return
	}
	for _, n := range names {
		if !obj.has(n.(string)) {
			run.fail(instance, schema, path, "%s is a required property", pyrepr.String(n.(string)))
		}
	}
}

func (run *schemaRun) properties(props *jsonObject, instance any, path []any) {
	obj, ok := instance.(*jsonObject)
	if !ok {
		return
	}
	for _, k := range props.keys {
		if v, present := obj.get(k); present {
			run.descend(v, props.vals[k].(*jsonObject), append(path, k))
		}
	}
}

func (run *schemaRun) additional(arg, instance any, schema *jsonObject, path []any) {
	obj, ok := instance.(*jsonObject)
	if !ok {
		return
	}
	props, _ := schema.get("properties")
	var extras []string
	for _, k := range obj.keys {
		if p, ok := props.(*jsonObject); !ok || !p.has(k) {
			extras = append(extras, k)
		}
	}
	if sub, ok := arg.(*jsonObject); ok {
		for _, k := range extras {
			run.descend(obj.vals[k], sub, append(path, k))
		}
		return
	}
	if arg == false && len(extras) > 0 {
		run.fail(instance, schema, path, "%s", extrasMessage(extras))
	}
}

// extrasMessage is jsonschema's additionalProperties message.
func extrasMessage(extras []string) string {
	sorted := slices.Clone(extras)
	slices.Sort(sorted)
	reprs := make([]string, len(sorted))
	for i, e := range sorted {
		reprs[i] = pyrepr.String(e)
	}
	verb := "was"
	if len(sorted) > 1 {
		verb = "were"
	}
	return fmt.Sprintf("Additional properties are not allowed (%s %s unexpected)", strings.Join(reprs, ", "), verb)
}

// resolve follows a local "#/definitions/name" reference.
func (run *schemaRun) resolve(ref string) *jsonObject {
	node := any(run.root)
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		node, _ = node.(*jsonObject).get(part)
	}
	return node.(*jsonObject)
}

func typeNames(arg any) string {
	types, ok := arg.([]any)
	if !ok {
		types = []any{arg}
	}
	reprs := make([]string, len(types))
	for i, t := range types {
		reprs[i] = pyValue(t)
	}
	return strings.Join(reprs, ", ")
}

func matchesType(instance, arg any) bool {
	types, ok := arg.([]any)
	if !ok {
		types = []any{arg}
	}
	return slices.ContainsFunc(types, func(t any) bool { s, _ := t.(string); return isJSONType(instance, s) })
}

// isJSONType is jsonschema's type checker.
func isJSONType(v any, t string) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(*jsonObject)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "null":
		return v == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		return ok && isWhole(n)
	}
	return false
}

// isWhole reports whether a number is an integer, 1.0 included.
func isWhole(n json.Number) bool {
	if isIntegral(n) {
		return true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	return err == nil && !math.IsInf(f, 0) && f == math.Trunc(f)
}

func bigNumber(n json.Number) *big.Float {
	f, _, err := big.ParseFloat(string(n), 10, 200, big.ToNearestEven)
	if err != nil {
		return new(big.Float)
	}
	return f
}

func numberInt(arg any) int64 {
	n, _ := arg.(json.Number)
	i, _ := n.Int64()
	return i
}

// jsonEqual is Python's == on parsed JSON, with booleans kept apart from
// numbers as jsonschema does.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		return ok && bigNumber(x).Cmp(bigNumber(y)) == 0
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, jsonEqual)
	case *jsonObject:
		y, ok := b.(*jsonObject)
		if !ok || len(x.keys) != len(y.keys) {
			return false
		}
		for _, k := range x.keys {
			if w, ok := y.get(k); !ok || !jsonEqual(x.vals[k], w) {
				return false
			}
		}
		return true
	}
	return a == b
}

func uniqueValues(arr []any) bool {
	for i := range arr {
		for j := i + 1; j < len(arr); j++ {
			if jsonEqual(arr[i], arr[j]) {
				return false
			}
		}
	}
	return true
}

// entitySchema is glance.schema.Schema.raw(): closed to other attributes.
func entitySchema(name string, props, definitions *jsonObject, required ...any) *jsonObject {
	s := jsObj("name", name, "properties", props, "additionalProperties", false)
	if definitions != nil {
		s.set("definitions", definitions)
	}
	if len(required) > 0 {
		s.set("required", required)
	}
	return s
}

// collectionSchema is glance.schema.CollectionSchema.raw() (or, keyed by
// name, DictCollectionSchema.raw()): the item schema without definitions,
// which move to the top.
func collectionSchema(name string, item *jsonObject, keyed bool) *jsonObject {
	defs, hasDefs := item.get("definitions")
	inner := jsObj()
	for _, k := range item.keys {
		if k != "definitions" {
			inner.set(k, item.vals[k])
		}
	}
	list := jsObj("type", "array", "items", inner)
	if keyed {
		list = jsObj("type", "object", "additionalProperties", inner)
	}
	s := jsObj("name", name,
		"properties", jsObj(name, list, "first", jsObj("type", "string"), "next", jsObj("type", "string"), "schema", jsObj("type", "string")),
		"links", []any{jsObj("rel", "first", "href", "{first}"), jsObj("rel", "next", "href", "{next}"), jsObj("rel", "describedby", "href", "{schema}")})
	if hasDefs {
		s.set("definitions", defs)
	}
	return s
}
