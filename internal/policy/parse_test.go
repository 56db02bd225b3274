package policy

import "testing"

func TestParseTree(t *testing.T) {
	tests := []struct{ rule, want string }{
		{"", "@"},
		{"@", "@"},
		{"!", "!"},
		{"role:admin", "role:admin"},
		{"rule:admin_required", "rule:admin_required"},
		{"is_admin:True", "is_admin:True"},
		{"project_id:%(project_id)s", "project_id:%(project_id)s"},
		{"role:compute:admin", "role:compute:admin"},
		{"'member':%(role.name)s", "'member':%(role.name)s"},
		{"a:1 or b:2 and c:3", "(a:1 or (b:2 and c:3))"},
		{"a:1 and b:2 or c:3", "((a:1 and b:2) or c:3)"},
		{"a:1 or b:2 and c:3 and d:4 or e:5", "(a:1 or (b:2 and c:3 and d:4) or e:5)"},
		{"not a:1 and b:2", "(not a:1 and b:2)"},
		{"not a:1 or b:2", "(not a:1 or b:2)"},
		{"a:1 and not b:2", "(a:1 and not b:2)"},
		{"not not a:1", "not not a:1"},
		{"not (a:1 or b:2)", "not (a:1 or b:2)"},
		{"(a:1 or b:2) and c:3", "((a:1 or b:2) and c:3)"},
		{"((a:1))", "a:1"},
		{"(a:%(x)s)", "a:%(x)s"},
		{"A:1 AND b:2 Or NOT c:3", "((A:1 and b:2) or not c:3)"},
		{"  role:admin  \n or\trole:x ", "(role:admin or role:x)"},
		{"noColon or role:x", "(! or role:x)"},
		{"http://example.com or role:x", "(! or role:x)"},
		{"('a') or role:x", "(! or role:x)"}, // "'a'" has no kind
	}
	for _, tt := range tests {
		p, err := parse(tt.rule)
		if err != nil {
			t.Errorf("parse(%q): %v", tt.rule, err)
			continue
		}
		if got := p.root.String(); got != tt.want {
			t.Errorf("parse(%q) = %s, want %s", tt.rule, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, rule := range []string{
		" ", "(", ")", "()", "role:a)", "(role:a", "role:a role:b", "role:a and", "or role:a",
		"not", "role:a or or role:b", "'member'", `"member"`, "role:a and 'x'", "(role:a))",
		"(role:a)or role:b", // "role:a)or" is one check, leaving "(" unclosed
	} {
		if p, err := parse(rule); err == nil {
			t.Errorf("parse(%q) = %s, want error", rule, p.root)
		}
	}
}

func TestParseWarnings(t *testing.T) {
	tests := []struct {
		rule string
		n    int
	}{
		{"role:admin", 0}, {"admin", 1}, {"https:x and role:a", 1}, {"a:%(x)d", 1}, {"a:100%", 1},
	}
	for _, tt := range tests {
		p, err := parse(tt.rule)
		if err != nil || len(p.warnings) != tt.n {
			t.Errorf("parse(%q) warnings %q err %v, want %d warnings", tt.rule, p.warnings, err, tt.n)
		}
	}
}

func TestPyLiteral(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"True", "True", true}, {"False", "False", true}, {"None", "None", true},
		{"'member'", "member", true}, {`"member"`, "member", true}, {`'a\tb'`, "a\tb", true},
		{"1", "1", true}, {"-7", "-7", true}, {"0x10", "16", true}, {"1_000", "1000", true},
		{"1.5", "1.5", true}, {"2.0", "2.0", true}, {"1e16", "1e+16", true}, {"1e-5", "1e-05", true},
		{"is_admin", "", false}, {"token.user.id", "", false}, {"01", "", false}, {"inf", "", false},
		{"'", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		got, ok := pyLiteral(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("pyLiteral(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
