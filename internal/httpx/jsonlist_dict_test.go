package httpx

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"
)

// A dict value that marshals itself, as some API values do.
type selfMarshal struct{ V string }

func (s selfMarshal) MarshalJSON() ([]byte, error) { return json.Marshal("self:" + s.V) }

// The list fast path must not change a byte of what encoding/json writes.
func TestDictEncodingMatchesEncodingJSON(t *testing.T) {
	var nilSlice []string
	var nilMap map[string]any
	dicts := []map[string]any{
		{},
		{"b": 1, "a": "x", "c": true, "d": nil, "e": 1.5, "f": int64(-7), "g": uint8(3), "h": 1e21, "i": 1e-7,
			"j": math.MaxInt64, "k": float32(0.1)},
		{"escapes": "quote\" back\\ nl\n cr\r tab\t ctl\x01\x1f <html> & amp", "ls": "\u2028 \u2029",
			"bad utf8": "\xff\xfe ok", "unicode": "héllo ☃ 😀"},
		{"nested": map[string]any{"z": []any{1, "two", nil, map[string]any{"y": []string{"a", "b"}}}},
			"nil slice": nilSlice, "nil map": nilMap, "empty slice": []any{}, "empty strings": []string{},
			"list of dicts": []map[string]any{{"ip_address": "10.0.0.2", "subnet_id": "s"}}},
		{"raw": json.RawMessage(`{"x": [1, 2]}`), "self": selfMarshal{"v"}, "time": time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
			"struct": struct {
				A int    `json:"a"`
				B string `json:"b,omitempty"`
				C []int  `json:"c"`
			}{A: 1}},
		{"binding:vif_details": map[string]any{"port_filter": true, "connectivity": "l2"}, "tags": []string{"t1"}},
	}
	for _, d := range dicts {
		var want, got bytes.Buffer
		if err := encodeTo(&want, d); err != nil {
			t.Fatal(err)
		}
		if err := encodeDict(&got, d); err != nil {
			t.Fatal(err)
		}
		if want.String() != got.String() {
			t.Fatalf("dict encodings differ:\nencoding/json %s\nfast path     %s", want.String(), got.String())
		}
	}
}
