package policy

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/monostack/monostack/internal/errs"
)

var (
	credsOld   = Creds{"roles": []string{"old"}}
	credsNew   = Creds{"roles": []string{"new"}}
	credsOther = Creds{"roles": []string{"other"}}
)

var deprecatedDefaults = []Default{
	{Name: "r", Check: "role:new", Deprecated: "role:old"},
	{Name: "same", Check: "role:new", Deprecated: "role:new"},
	{Name: "plain", Check: "role:new"},
	{Name: "uses_custom", Check: "rule:custom"},
}

func newEnforcer(t *testing.T, defaults []Default, opts Options) *Enforcer {
	t.Helper()
	if opts.Log == nil {
		opts.Log = quietLog()
	}
	e, err := New(defaults, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// policyFile writes content to a fresh policy file and returns its path.
func policyFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDeprecatedOring(t *testing.T) {
	tests := []struct {
		enforceNew    bool
		oldOK, newOK  bool
		rSrc, sameSrc string
	}{
		{false, true, true, "(role:new) or (role:old)", "role:new"},
		{true, false, true, "role:new", "role:new"},
	}
	for _, tt := range tests {
		e := newEnforcer(t, deprecatedDefaults, Options{EnforceNewDefaults: tt.enforceNew})
		if got := e.Check("r", credsOld, nil); got != tt.oldOK {
			t.Errorf("enforceNew=%v: old role = %v, want %v", tt.enforceNew, got, tt.oldOK)
		}
		if got := e.Check("r", credsNew, nil); got != tt.newOK {
			t.Errorf("enforceNew=%v: new role = %v, want %v", tt.enforceNew, got, tt.newOK)
		}
		rules := e.Rules()
		if rules["r"] != tt.rSrc || rules["same"] != tt.sameSrc {
			t.Errorf("enforceNew=%v: Rules() r=%q same=%q", tt.enforceNew, rules["r"], rules["same"])
		}
	}
}

func TestOverrideByFile(t *testing.T) {
	path := policyFile(t, `
r: role:other
custom: "role:old"
empty:
bad_syntax: "role:new and"
not_a_string: [role:new]
`)
	e := newEnforcer(t, deprecatedDefaults, Options{File: path})
	tests := []struct {
		rule  string
		creds Creds
		want  bool
	}{
		{"r", credsOther, true},
		{"r", credsOld, false}, // an override drops the deprecated OR
		{"r", credsNew, false},
		{"plain", credsNew, true},
		{"custom", credsOld, true},
		{"uses_custom", credsOld, true},
		{"uses_custom", credsNew, false},
		{"empty", nil, true},
		{"bad_syntax", credsNew, false},
		{"not_a_string", credsNew, false},
		{"nosuch", credsNew, false},
	}
	for _, tt := range tests {
		if got := e.Check(tt.rule, tt.creds, nil); got != tt.want {
			t.Errorf("Check(%s, %v) = %v, want %v", tt.rule, tt.creds, got, tt.want)
		}
	}
	rules := e.Rules()
	if rules["r"] != "role:other" || rules["custom"] != "role:old" || rules["plain"] != "role:new" {
		t.Errorf("Rules() = %v", rules)
	}
}

func TestJSONFile(t *testing.T) {
	e := newEnforcer(t, deprecatedDefaults, Options{File: policyFile(t, `{"r": "role:other", "custom": "@"}`)})
	if !e.Check("r", credsOther, nil) || !e.Check("uses_custom", nil, nil) {
		t.Errorf("JSON overrides not applied: %v", e.Rules())
	}
}

func TestFileRepeatedNameLastWins(t *testing.T) {
	e := newEnforcer(t, deprecatedDefaults, Options{File: policyFile(t, "plain: role:old\nplain: role:other\n")})
	if !e.Check("plain", credsOther, nil) || e.Check("plain", credsOld, nil) {
		t.Errorf("repeated rule: %v", e.Rules())
	}
}

func TestUnknownRule(t *testing.T) {
	e := newEnforcer(t, deprecatedDefaults, Options{})
	if e.Check("nosuch", credsNew, nil) {
		t.Error("unknown rule allowed")
	}
	if e.Check("uses_custom", credsNew, nil) {
		t.Error("rule:custom of an undefined rule allowed")
	}
	// oslo's policy_default_rule: a rule named "default" catches unknown names.
	e = newEnforcer(t, deprecatedDefaults, Options{File: policyFile(t, `default: "role:new"`)})
	if !e.Check("nosuch", credsNew, nil) || e.Check("nosuch", credsOld, nil) {
		t.Error("unknown rule does not fall back to default")
	}
}

func TestEnforceError(t *testing.T) {
	e := newEnforcer(t, deprecatedDefaults, Options{})
	if err := e.Enforce("plain", credsNew, nil); err != nil {
		t.Fatalf("Enforce allowed rule: %v", err)
	}
	err := e.Enforce("plain", credsOld, nil)
	var ee *errs.Error
	if !errors.As(err, &ee) || ee.Kind != errs.Forbidden || ee.Rule != "plain" ||
		ee.Message != "Policy doesn't allow plain to be performed." {
		t.Fatalf("Enforce denied = %#v", err)
	}
}

func TestNewRejectsBadDefault(t *testing.T) {
	for _, d := range []Default{
		{Name: "x", Check: "role:a and"},
		{Name: "y", Check: "role:a", Deprecated: "(role:b"},
	} {
		if _, err := New([]Default{d}, Options{Log: quietLog()}); err == nil {
			t.Errorf("New(%+v) succeeded", d)
		}
	}
}
