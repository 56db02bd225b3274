package scheduler

import "testing"

func TestMatchExtraSpec(t *testing.T) {
	cases := []struct {
		value, req string
		want       bool
	}{
		{"true", "true", true},
		{"false", "true", false},
		{"", "", true},
		{"4096", "= 2048", true},
		{"2048", "= 2048", true},
		{"1024", "= 2048", false},
		{"2", "== 2", true},
		{"2.0", "== 2", true},
		{"3", "!= 2", true},
		{"3", ">= 4", false},
		{"4", ">= 4", true},
		{"3", "<= 4", true},
		{"five", ">= 4", false},
		{"4", ">=", false},
		{"abc", "s== abc", true},
		{"abd", "s> abc", true},
		{"abb", "s< abc", true},
		{"abc", "s<= abc", true},
		{"abc", "s>= abd", false},
		{"abc", "s!= abc", false},
		{"avx avx2 sse", "<in> avx2", true},
		{"avx sse", "<in> avx2", false},
		{"['avx', 'sse4.2']", "<all-in> avx sse4", true},
		{"avx", "<all-in> avx sse", false},
		{"b", "<or> a <or> b", true},
		{"c", "<or> a <or> b", false},
		{"a", "<or> a", true},
		{"<or>", "<or>", false},
		{"x y", "x y", true},
		{"x", "<bogus> x", false},
		{"<bogus> x", "<bogus> x", true},
	}
	for _, tc := range cases {
		if got := MatchExtraSpec(tc.value, tc.req); got != tc.want {
			t.Errorf("MatchExtraSpec(%q, %q) = %v, want %v", tc.value, tc.req, got, tc.want)
		}
	}
}
