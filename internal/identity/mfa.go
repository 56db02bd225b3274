package identity

import (
	"slices"
	"strings"
)

// checkMFA enforces a user's multi_factor_auth_rules when the user has
// multi_factor_auth_enabled: the methods used must include every method of
// at least one rule. Application credentials and rescoped tokens (which
// already passed the rules) are exempt, as upstream.
func checkMFA(who *authenticated) error {
	if who.appCred != nil || who.parent != nil {
		return nil
	}
	opts := optionsOf(who.user.Extra)
	if opts["multi_factor_auth_enabled"] != true {
		return nil
	}
	rules, _ := opts["multi_factor_auth_rules"].([]any)
	if len(rules) == 0 {
		return nil
	}
	var wanted []string
	for _, rule := range rules {
		methods := toStrings(rule)
		if len(methods) > 0 && allIn(methods, who.methods) {
			return nil
		}
		wanted = append(wanted, "["+strings.Join(methods, ", ")+"]")
	}
	return visible401("Insufficient auth methods received for %s. Auth Methods Provided: [%s]. Required auth methods (any one of): %s.",
		who.user.ID, strings.Join(who.methods, ", "), strings.Join(wanted, " "))
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func allIn(need, have []string) bool {
	for _, n := range need {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}
