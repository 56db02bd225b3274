package identity

import (
	"slices"

	"github.com/monostack/monostack/internal/errs"
)

// configDefault is an option domain-specific configuration may set, with
// Keystone Zed's default value (what the .../default endpoints show).
type configDefault struct {
	option string
	value  any
}

// domainConfigWhitelist is upstream's DomainConfigManager.whitelisted_options,
// in its order, with the [identity] and [ldap] defaults of keystone.conf.
var domainConfigWhitelist = map[string][]configDefault{
	"identity": {{"driver", "sql"}, {"list_limit", nil}},
	"ldap": {
		{"url", "ldap://localhost"}, {"user", nil}, {"suffix", "cn=example,cn=com"},
		{"query_scope", "one"}, {"page_size", 0}, {"alias_dereferencing", "default"},
		{"debug_level", nil}, {"chase_referrals", nil}, {"user_tree_dn", nil},
		{"user_filter", nil}, {"user_objectclass", "inetOrgPerson"}, {"user_id_attribute", "cn"},
		{"user_name_attribute", "sn"}, {"user_mail_attribute", "mail"},
		{"user_description_attribute", "description"}, {"user_pass_attribute", "userPassword"},
		{"user_enabled_attribute", "enabled"}, {"user_enabled_invert", false},
		{"user_enabled_mask", 0}, {"user_enabled_default", "True"},
		{"user_attribute_ignore", []string{"default_project_id"}},
		{"user_default_project_id_attribute", nil}, {"user_enabled_emulation", false},
		{"user_enabled_emulation_dn", nil}, {"user_enabled_emulation_use_group_config", false},
		{"user_additional_attribute_mapping", []string{}}, {"group_tree_dn", nil},
		{"group_filter", nil}, {"group_objectclass", "groupOfNames"}, {"group_id_attribute", "cn"},
		{"group_name_attribute", "ou"}, {"group_members_are_ids", false},
		{"group_member_attribute", "member"}, {"group_desc_attribute", "description"},
		{"group_attribute_ignore", []string{}}, {"group_additional_attribute_mapping", []string{}},
		{"tls_cacertfile", nil}, {"tls_cacertdir", nil}, {"use_tls", false},
		{"tls_req_cert", "demand"}, {"use_pool", true}, {"pool_size", 10},
		{"pool_retry_max", 3}, {"pool_retry_delay", 0.1}, {"pool_connection_timeout", -1},
		{"pool_connection_lifetime", 600}, {"use_auth_pool", true}, {"auth_pool_size", 100},
		{"auth_pool_connection_lifetime", 60},
	},
}

// domainConfigSensitive lists the options stored but never returned.
var domainConfigSensitive = map[string][]string{"identity": nil, "ldap": {"password"}}

// securityComplianceGroup is the read-only group served from the
// service's own settings, for the default domain only.
const securityComplianceGroup = "security_compliance"

// invalidDomainConfig is upstream's InvalidDomainConfig: a 403 whose
// reason the client sees.
func invalidDomainConfig(format string, args ...any) error {
	return errs.Forbiddenf("Invalid domain specific configuration: "+format+".", args...)
}

// domainConfigNotFound is upstream's DomainConfigNotFound; what is "any
// options", "group G" or "option O in group G".
func domainConfigNotFound(domainID, what string) error {
	return errs.NotFoundf("Could not find %s in domain configuration for domain %s.", what, domainID)
}

// configWhat names a group or option the way upstream's 404s do.
func configWhat(group, option string) string {
	switch {
	case option != "":
		return "option " + option + " in group " + group
	case group != "":
		return "group " + group
	}
	return "any options"
}

// checkConfigPath refuses a group or option of a request path that
// domain-specific configuration does not support ("" means all).
func checkConfigPath(group, option string) error {
	if group == "" {
		return nil
	}
	if option == "" {
		return checkConfigGroup(group)
	}
	return checkConfigOption(group, option)
}

// checkConfigGroup refuses a group other than identity and ldap.
func checkConfigGroup(group string) error {
	if _, ok := domainConfigWhitelist[group]; !ok {
		return invalidDomainConfig("Group %s is not supported for domain specific configurations", group)
	}
	return nil
}

// checkConfigOption refuses an option neither whitelisted nor sensitive.
func checkConfigOption(group, option string) error {
	if err := checkConfigGroup(group); err != nil {
		return err
	}
	if !isWhitelisted(group, option) && !isSensitive(group, option) {
		return invalidDomainConfig("Option %s in group %s is not supported for domain specific configurations", option, group)
	}
	return nil
}

func isSensitive(group, option string) bool {
	return slices.Contains(domainConfigSensitive[group], option)
}

func isWhitelisted(group, option string) bool {
	_, ok := configDefaultOf(group, option)
	return ok
}

// configDefaultOf is the upstream default of a whitelisted option.
func configDefaultOf(group, option string) (any, bool) {
	for _, d := range domainConfigWhitelist[group] {
		if d.option == option {
			return d.value, true
		}
	}
	return nil, false
}

// configDefaults is the default configuration of one group, or of every
// group when group is "".
func configDefaults(group string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for g, opts := range domainConfigWhitelist {
		if group != "" && g != group {
			continue
		}
		out[g] = map[string]any{}
		for _, d := range opts {
			out[g][d.option] = d.value
		}
	}
	return out
}
