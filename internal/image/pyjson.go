package image

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/pyrepr"
)

// JSON as Glance's Python sees it: objects keep their keys in document
// order, as Python's dicts do (Glance's schema errors depend on that order),
// numbers stay the literals they were sent as, and values print back as
// Python's repr() and str() print them in Glance's messages.

// jsonObject is a JSON object that keeps its keys in document order.
type jsonObject struct {
	keys []string
	vals map[string]any
}

func (o *jsonObject) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *jsonObject) has(k string) bool { _, ok := o.vals[k]; return ok }

// set gives k the value v; a new key goes last, an existing one keeps its
// place, as in a Python dict.
func (o *jsonObject) set(k string, v any) {
	if !o.has(k) {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// jsObj builds an ordered JSON object from key, value pairs.
func jsObj(pairs ...any) *jsonObject {
	o := &jsonObject{vals: map[string]any{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		o.set(pairs[i].(string), pairs[i+1])
	}
	return o
}

func jsNum(n string) json.Number { return json.Number(n) }

// MarshalJSON writes the object in its key order.
func (o *jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshalNoEscape(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// parseOrdered decodes JSON into *jsonObject, []any, string, json.Number,
// bool and nil.
func parseOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return decodeObject(dec)
		}
		if t == '[' {
			return decodeArray(dec)
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

func decodeObject(dec *json.Decoder) (any, error) {
	o := &jsonObject{vals: map[string]any{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string)
		v, err := decodeOrdered(dec)
		if err != nil {
			return nil, err
		}
		o.set(k, v)
	}
	_, err := dec.Token()
	return o, err
}

func decodeArray(dec *json.Decoder) (any, error) {
	out := []any{}
	for dec.More() {
		v, err := decodeOrdered(dec)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	_, err := dec.Token()
	return out, err
}

// isIntegral reports whether a JSON number is an integer literal.
func isIntegral(n json.Number) bool { return !strings.ContainsAny(string(n), ".eE") }

// pyNumber is how Python prints a JSON number once parsed: integer
// literals as they are, others as floats.
func pyNumber(n json.Number) string {
	if isIntegral(n) {
		if i, ok := new(big.Int).SetString(string(n), 10); ok {
			return i.String()
		}
		return string(n)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return string(n)
	}
	return pyrepr.Float(f)
}

// pyValue renders a parsed JSON value as Python's repr does.
func pyValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		return pyrepr.Bool(x)
	case string:
		return pyrepr.String(x)
	case json.Number:
		return pyNumber(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *jsonObject:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = pyrepr.String(k) + ": " + pyValue(x.vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyRepr is a raw JSON value as Python's repr() prints it once parsed;
// text that is not JSON is given back as it is.
func pyRepr(raw json.RawMessage) string {
	v, err := parseOrdered(raw)
	if err != nil {
		return string(raw)
	}
	return pyValue(v)
}

// pyText is a raw JSON value as Python's str() prints it: a string as it
// is, anything else as its repr.
func pyText(raw json.RawMessage) string {
	v, err := parseOrdered(raw)
	if err != nil {
		return string(raw)
	}
	if s, ok := v.(string); ok {
		return s
	}
	return pyValue(v)
}
