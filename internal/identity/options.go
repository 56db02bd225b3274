package identity

import "github.com/monostack/monostack/internal/errs"

// optionKinds lists the resource options each kind of resource accepts and
// the JSON type of each; options are stored in extra under optionsKey.
var optionKinds = map[string]map[string]string{
	"project": {"immutable": "boolean"},
	"domain":  {"immutable": "boolean"},
	"role":    {"immutable": "boolean"},
	"user": {
		"ignore_change_password_upon_first_use": "boolean",
		"ignore_password_expiry":                "boolean",
		"ignore_lockout_failure_attempts":       "boolean",
		"lock_password":                         "boolean",
		"ignore_user_inactivity":                "boolean",
		"multi_factor_auth_rules":               "rules",
		"multi_factor_auth_enabled":             "boolean",
	},
}

// applyOptions merges requested options into extra after checking them;
// a null value removes an option.
func applyOptions(kind string, extra map[string]any, opts *map[string]any) (map[string]any, error) {
	if opts == nil {
		return extra, nil
	}
	cur := map[string]any{}
	for k, v := range optionsOf(extra) {
		cur[k] = v
	}
	allowed := optionKinds[kind]
	for k, v := range *opts {
		typ, ok := allowed[k]
		if !ok {
			return nil, errs.BadRequestf("Invalid input for field 'options': additional property '%s' is not allowed.", k)
		}
		if v == nil {
			delete(cur, k)
			continue
		}
		if err := checkOptionValue(k, typ, v); err != nil {
			return nil, err
		}
		cur[k] = v
	}
	out := map[string]any{}
	for k, v := range extra {
		out[k] = v
	}
	if len(cur) == 0 {
		delete(out, optionsKey)
	} else {
		out[optionsKey] = cur
	}
	return out, nil
}

func checkOptionValue(name, typ string, v any) error {
	switch typ {
	case "boolean":
		if _, ok := v.(bool); !ok {
			return errs.BadRequestf("Invalid input for field 'options.%s': %v is not of type 'boolean'.", name, v)
		}
	case "rules":
		rules, ok := v.([]any)
		if !ok {
			return errs.BadRequestf("Invalid input for field 'options.%s': it must be a list of lists of method names.", name)
		}
		for _, rule := range rules {
			methods, ok := rule.([]any)
			if !ok || len(methods) == 0 {
				return errs.BadRequestf("Invalid input for field 'options.%s': each rule must be a non-empty list of method names.", name)
			}
			for _, m := range methods {
				if _, ok := m.(string); !ok {
					return errs.BadRequestf("Invalid input for field 'options.%s': method names must be strings.", name)
				}
			}
		}
	}
	return nil
}

// checkImmutable refuses changes to an immutable resource unless the same
// update turns the option off.
func checkImmutable(kind, id string, extra map[string]any, opts *map[string]any) error {
	if !isImmutable(extra) {
		return nil
	}
	if opts != nil {
		if v, ok := (*opts)["immutable"]; ok && (v == nil || v == false) {
			return nil
		}
	}
	return errs.Forbiddenf("%s %s is immutable: set the immutable option to false before changing it.", kind, id)
}
