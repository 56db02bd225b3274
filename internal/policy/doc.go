// Package policy owns the oslo.policy rule language and its enforcer: it
// parses check strings ("role:admin and project_id:%(project_id)s") into
// trees once, evaluates them against oslo-style credentials and a target,
// layers a reloadable policy.yaml of overrides over a service's registered
// defaults, and ORs deprecated defaults in as upstream does.
//
// Semantics follow oslo.policy (_parser.py, _checks.py, policy.py): not binds
// tighter than and, which binds tighter than or; a rule that does not parse
// denies; role checks ignore case; generic checks compare Python's str() of
// the credential value; a missing interpolation key makes a check false; an
// unknown rule name falls back to a rule named "default" when one exists
// (oslo's policy_default_rule) and otherwise denies. The remote http/https
// checks and the legacy list-of-lists syntax are not supported.
//
// It may import the standard library, gopkg.in/yaml.v3, internal/errs,
// internal/auth and internal/pyrepr.
package policy
