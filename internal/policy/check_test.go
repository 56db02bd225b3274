package policy

import (
	"io"
	"log/slog"
	"testing"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// helperDefaults are rules the evaluation table refers to with rule:.
var helperDefaults = []Default{
	{Name: "yes", Check: "@"},
	{Name: "no", Check: "!"},
	{Name: "admin_required", Check: "role:admin or is_admin:1"},
	{Name: "loop", Check: "rule:loop"},
}

func checkOne(t *testing.T, rule string, c Creds, target map[string]any) bool {
	t.Helper()
	e, err := New(append([]Default{{Name: "t", Check: rule}}, helperDefaults...), Options{Log: quietLog()})
	if err != nil {
		t.Fatalf("New(%q): %v", rule, err)
	}
	return e.Check("t", c, target)
}

type evalCase struct {
	name, rule string
	creds      Creds
	target     map[string]any
	want       bool
}

func evalCases() []evalCase {
	member := Creds{
		"user_id": "u1", "project_id": "p1", "domain_id": nil, "roles": []string{"Member", "reader"},
		"is_admin": false, "is_admin_project": true,
		"token": map[string]any{
			"project": map[string]any{"id": "p1", "domain": map[string]any{"id": "d1"}},
			"roles":   []any{map[string]any{"id": "r1", "name": "member"}},
		},
	}
	system := Creds{"user_id": "u2", "roles": []any{"admin"}, "system_scope": "all", "is_admin": true}
	nested := map[string]any{
		"project_id": "p1",
		"target":     map[string]any{"project": map[string]any{"domain_id": "d1", "id": "p1"}, "role": map[string]any{"domain_id": nil, "name": "member"}},
		"flag":       true,
		"n":          1,
	}
	flat := map[string]any{"target.project.domain_id": "d1", "target.domain.id": "d1"}
	return []evalCase{
		{"empty", "", nil, nil, true},
		{"always", "@", nil, nil, true},
		{"never", "!", member, nil, false},
		{"role", "role:reader", member, nil, true},
		{"role case", "role:member", member, nil, true},
		{"role upper", "role:READER", member, nil, true},
		{"role missing", "role:admin", member, nil, false},
		{"role any list", "role:ADMIN", system, nil, true},
		{"role no roles", "role:admin", Creds{}, nil, false},
		{"role interpolated", "role:%(target.role.name)s", member, nested, true},
		{"role missing key", "role:%(nope)s", member, nested, false},
		{"rule", "rule:yes", nil, nil, true},
		{"rule false", "rule:no", nil, nil, false},
		{"rule unknown", "rule:nosuch", member, nil, false},
		{"rule unknown negated", "not rule:nosuch", member, nil, true},
		{"rule cycle", "rule:loop", member, nil, false},
		{"admin_required", "rule:admin_required", system, nil, true},
		{"is_admin True", "is_admin:True", system, nil, true},
		{"is_admin 1", "is_admin:1", system, nil, false},
		{"is_admin False", "is_admin:False", member, nil, true},
		{"is_admin_project", "is_admin_project:True", member, nil, true},
		{"generic", "project_id:%(project_id)s", member, nested, true},
		{"generic mismatch", "project_id:%(project_id)s", member, map[string]any{"project_id": "p2"}, false},
		{"generic missing key", "project_id:%(project_id)s", member, map[string]any{}, false},
		{"generic missing cred", "user_id:%(project_id)s", Creds{}, nested, false},
		{"generic constant", "user_id:u1", member, nil, true},
		{"generic case sensitive", "user_id:U1", member, nil, false},
		{"nested target", "token.project.domain.id:%(target.project.domain_id)s", member, nested, true},
		{"flat target", "token.project.domain.id:%(target.project.domain_id)s", member, flat, true},
		{"target map not a leaf", "user_id:%(target)s", member, nested, false},
		{"token list path", "token.roles.name:member", member, nil, true},
		{"token list miss", "token.roles.name:admin", member, nil, false},
		{"list creds", "roles:reader", member, nil, true},
		{"list creds exact case", "roles:Reader", member, nil, false},
		{"path through string", "user_id.x:u1", member, nil, false},
		{"None cred", "domain_id:None", member, nil, true},
		{"None literal", "None:%(target.role.domain_id)s", member, nested, true},
		{"None literal miss", "None:%(target.project.id)s", member, nested, false},
		{"quoted literal", "'member':%(target.role.name)s", member, nested, true},
		{"dquoted literal", `"member":%(target.role.name)s`, member, nested, true},
		{"quoted literal miss", "'admin':%(target.role.name)s", member, nested, false},
		{"True literal", "True:%(flag)s", nil, nested, true},
		{"int literal", "1:%(n)s", nil, nested, true},
		{"mixed template", "user_id:u%(n)s", member, nested, true},
		{"percent escape", "user_id:u1%%", Creds{"user_id": "u1%"}, nil, true},
		{"malformed template", "user_id:u1%", Creds{"user_id": "u1%"}, nil, false},
		{"system_scope", "system_scope:all", system, nil, true},
		{"system_scope absent", "system_scope:all", member, nil, false},
		{"system alias", "system:all", system, nil, true},
		{"and", "role:reader and project_id:%(project_id)s", member, nested, true},
		{"and false", "role:admin and project_id:%(project_id)s", member, nested, false},
		{"or", "role:admin or project_id:%(project_id)s", member, nested, true},
		{"not", "not role:admin", member, nil, true},
		{"a or b and c", "@ or ! and !", nil, nil, true},
		{"(a or b) and c", "(@ or !) and !", nil, nil, false},
		{"not a and b", "not ! and @", nil, nil, true},
		{"not a and b false", "not @ and @", nil, nil, false},
		{"not (a and b)", "not (@ and !)", nil, nil, true},
		{"unknown kind check", "admin or @", nil, nil, true},
		{"parse error denies", "role:reader and", member, nil, false},
		{"parse error quoted", "'member'", member, nil, false},
		{"keystone domain reader", "(role:reader and system_scope:all) or token.project.domain.id:%(target.domain.id)s", member, flat, true},
	}
}

func TestCheckEval(t *testing.T) {
	for _, tt := range evalCases() {
		// A default that does not parse fails New, so route parse errors
		// through the file path instead (see TestParseErrorDenies).
		if _, err := parse(tt.rule); err != nil {
			continue
		}
		if got := checkOne(t, tt.rule, tt.creds, tt.target); got != tt.want {
			t.Errorf("%s: %q = %v, want %v", tt.name, tt.rule, got, tt.want)
		}
	}
}

func TestPyStr(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"x", "x"}, {true, "True"}, {false, "False"}, {nil, "None"}, {1, "1"}, {int64(-3), "-3"},
		{1.0, "1.0"}, {0.1, "0.1"}, {1e16, "1e+16"}, {[]string{"a", "b'"}, `['a', "b'"]`},
		{[]any{"a", 1, nil}, "['a', 1, None]"}, {map[string]any{"b": 1, "a": "x"}, "{'a': 'x', 'b': 1}"},
	}
	for _, tt := range tests {
		if got := pyStr(tt.v); got != tt.want {
			t.Errorf("pyStr(%#v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
