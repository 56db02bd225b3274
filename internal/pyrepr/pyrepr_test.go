package pyrepr

import (
	"math"
	"testing"
)

// TestFloat: each want is what CPython 3.11's repr() prints.
func TestFloat(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{-2.5, "-2.5"},
		{0.1, "0.1"},
		{1.5e-4, "0.00015"},
		{1e-4, "0.0001"},
		{9.999999999999999e-05, "9.999999999999999e-05"},
		{1e-5, "1e-05"},
		{9999999999999998, "9999999999999998.0"},
		{1e16, "1e+16"},
		{1e22, "1e+22"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{5e-324, "5e-324"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
	}
	for _, c := range cases {
		if got := Float(c.in); got != c.want {
			t.Errorf("Float(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestBool(t *testing.T) {
	if Bool(true) != "True" || Bool(false) != "False" {
		t.Fatal(Bool(true), Bool(false))
	}
}

// TestString: each want is what CPython 3.11's repr() prints.
func TestString(t *testing.T) {
	cases := map[string]string{
		"it's": `"it's"`, `a"b`: `'a"b'`, `both'"`: `'both\'"'`, "x\ny\tz\r": `'x\ny\tz\r'`,
		"a\x01b\x7f": `'a\x01b\x7f'`, `back\slash`: `'back\\slash'`, "é€": `'é€'`, "": `''`,
	}
	for in, want := range cases {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %s, want %s", in, got, want)
		}
	}
}
