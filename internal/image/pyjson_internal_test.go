package image

import "testing"

// Python's repr of the values jsonschema messages quote.
func TestPythonRepr(t *testing.T) {
	cases := map[string]string{
		`"it's"`: `"it's"`, `"a\"b"`: `'a"b'`, `"x\ny"`: `'x\ny'`, `1.0`: `1.0`, `1e20`: `1e+20`, `1E-5`: `1e-05`,
		`123456789012345678901234567890`: `123456789012345678901234567890`, `2.5`: `2.5`, `[true, null]`: `[True, None]`,
		`{"b": 1, "a": [2]}`: `{'b': 1, 'a': [2]}`, `0.0001`: `0.0001`, `-0.5`: `-0.5`,
		`9.999999999999999e-05`: `9.999999999999999e-05`, `1.50`: `1.5`,
	}
	for in, want := range cases {
		v, err := parseOrdered([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if got := pyValue(v); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

// Python's str() and repr() of raw JSON values, as messages quote request
// values; text that is not JSON comes back as it is.
func TestPythonTextAndRepr(t *testing.T) {
	cases := []struct{ raw, text, repr string }{
		{`"it's"`, `it's`, `"it's"`},
		{`null`, `None`, `None`},
		{`1.50`, `1.5`, `1.5`},
		{`["a", 1.50, "it's", null, {"k": true}]`, `['a', 1.5, "it's", None, {'k': True}]`, `['a', 1.5, "it's", None, {'k': True}]`},
		{`{`, `{`, `{`},
	}
	for _, c := range cases {
		if got := pyText([]byte(c.raw)); got != c.text {
			t.Errorf("pyText(%s) = %s, want %s", c.raw, got, c.text)
		}
		if got := pyRepr([]byte(c.raw)); got != c.repr {
			t.Errorf("pyRepr(%s) = %s, want %s", c.raw, got, c.repr)
		}
	}
}
