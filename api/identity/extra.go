package identity

import (
	"bytes"
	"encoding/json"
	"sort"
)

// Extra holds attributes a client stored on a resource besides the known
// ones; Keystone keeps and returns them as given.
type Extra map[string]any

// marshalWithExtra encodes v (a struct without a custom marshaller) and adds
// the extra attributes that do not collide with its own fields.
func marshalWithExtra(v any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var known map[string]json.RawMessage
	if err := json.Unmarshal(b, &known); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if _, clash := known[k]; !clash {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(extra[k])
		if err != nil {
			return nil, err
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Links is a resource's self link.
type Links struct {
	Self string `json:"self"`
}

// CollectionLinks are the links of a list response.
type CollectionLinks struct {
	Self     string  `json:"self"`
	Previous *string `json:"previous"`
	Next     *string `json:"next"`
}
