package identity_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/identity"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

// dcRefusal is a domain-config request that must be refused with exactly
// this status and message, changing nothing.
type dcRefusal struct {
	name         string
	method, path string
	token        string
	body         any
	status       int
	message      string
}

func expectDomainConfigRefusals(t *testing.T, e *identitytest.Env, cases []dcRefusal) {
	t.Helper()
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			if msg, _ := e.Refused(t, c.method, c.path, c.token, c.body, c.status); msg != c.message {
				t.Fatalf("%s %s: message %q, want %q", c.method, c.path, msg, c.message)
			}
		})
	}
}

// dcConfig sends a request that must answer want and returns its "config".
func dcConfig(t *testing.T, e *identitytest.Env, method, path, token string, body any, want int) map[string]any {
	t.Helper()
	r := e.Do(t, method, path, token, body)
	if r.Status != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, want, r.Raw)
	}
	if len(r.Body) != 1 {
		t.Fatalf("%s %s: body %s, want only \"config\"", method, path, r.Raw)
	}
	return catMember(t, r.Body, "config")
}

// sameJSON fails unless got and want encode to equal JSON values.
func sameJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w, g any
	raw, _ := json.Marshal(got)
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(raw, &g)
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s: %s, want %s", what, raw, want)
	}
}

// dcNewDomain creates a domain and returns its id.
func dcNewDomain(t *testing.T, e *identitytest.Env, token, name string) string {
	t.Helper()
	r := e.Do(t, "POST", "/v3/domains", token, map[string]any{"domain": map[string]any{"name": name}})
	if r.Status != 201 {
		t.Fatalf("create domain: %d %s", r.Status, r.Raw)
	}
	return catMember(t, r.Body, "domain")["id"].(string)
}

// dcStored is the stored JSON value and sensitive flag of an option ("" if
// absent), read from the database.
func dcStored(t *testing.T, e *identitytest.Env, domainID, group, option string) (string, bool) {
	t.Helper()
	var value string
	var sensitive bool
	err := e.DB.Read(context.Background(), func(tx *db.Tx) error {
		rows, err := tx.Query("SELECT value, sensitive FROM identity_domain_configs WHERE domain_id = ? AND group_name = ? AND option_name = ?",
			domainID, group, option)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(&value, &sensitive); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return value, sensitive
}

// dcMemberToken is a token of a new user with the member role on the
// admin project.
func dcMemberToken(t *testing.T, e *identitytest.Env, admin string) string {
	t.Helper()
	r := e.Do(t, "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "dc-member", "password": "member-pw", "domain_id": "default"}})
	if r.Status != 201 {
		t.Fatalf("create user: %d %s", r.Status, r.Raw)
	}
	uid := catMember(t, r.Body, "user")["id"].(string)
	path := "/v3/projects/" + e.AdminProjectID + "/users/" + uid + "/roles/" + roleID(t, e, admin, "member")
	if r := e.Do(t, "PUT", path, admin, nil); r.Status != 204 {
		t.Fatalf("grant member: %d %s", r.Status, r.Raw)
	}
	return e.Token(t, "dc-member", "member-pw", "admin")
}

// TestDomainConfigRoundTrip creates, reads, updates and deletes a domain's
// configuration at each level; the ldap password is stored, never shown.
func TestDomainConfigRoundTrip(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	d := dcNewDomain(t, e, admin, "dc-round-trip")
	base := "/v3/domains/" + d + "/config"

	cfg := map[string]any{"identity": map[string]any{"driver": "ldap"},
		"ldap": map[string]any{"url": "ldap://a.example", "user_tree_dn": "ou=Users", "password": "s3cret", "use_tls": false, "page_size": 0}}
	shown := `{"identity": {"driver": "ldap"}, "ldap": {"url": "ldap://a.example", "user_tree_dn": "ou=Users", "use_tls": false, "page_size": 0}}`
	sameJSON(t, "created", dcConfig(t, e, "PUT", base, admin, map[string]any{"config": cfg}, 201), shown)
	sameJSON(t, "replaced", dcConfig(t, e, "PUT", base, admin, map[string]any{"config": cfg}, 200), shown)
	sameJSON(t, "shown", dcConfig(t, e, "GET", base, admin, nil, 200), shown)
	sameJSON(t, "group", dcConfig(t, e, "GET", base+"/ldap", admin, nil, 200),
		`{"ldap": {"url": "ldap://a.example", "user_tree_dn": "ou=Users", "use_tls": false, "page_size": 0}}`)
	sameJSON(t, "option", dcConfig(t, e, "GET", base+"/ldap/url", admin, nil, 200), `{"url": "ldap://a.example"}`)
	if r := e.Do(t, "HEAD", base+"/identity/driver", admin, nil); r.Status != 200 || len(r.Raw) != 0 {
		t.Fatalf("HEAD: %d %q", r.Status, r.Raw)
	}
	if v, sensitive := dcStored(t, e, d, "ldap", "password"); v != `"s3cret"` || !sensitive {
		t.Fatalf("stored password %q sensitive=%v", v, sensitive)
	}

	sameJSON(t, "patched", dcConfig(t, e, "PATCH", base, admin, map[string]any{"config": map[string]any{
		"ldap": map[string]any{"url": "ldap://b.example"}, "identity": map[string]any{"list_limit": 5}}}, 200),
		`{"identity": {"driver": "ldap", "list_limit": 5}, "ldap": {"url": "ldap://b.example", "user_tree_dn": "ou=Users", "use_tls": false, "page_size": 0}}`)
	sameJSON(t, "group patched", dcConfig(t, e, "PATCH", base+"/ldap", admin, map[string]any{"config": map[string]any{
		"ldap": map[string]any{"user_attribute_ignore": []string{"enabled", "email"}}}}, 200),
		`{"identity": {"driver": "ldap", "list_limit": 5}, "ldap": {"url": "ldap://b.example", "user_tree_dn": "ou=Users", "use_tls": false, "page_size": 0, "user_attribute_ignore": ["enabled", "email"]}}`)
	sameJSON(t, "option patched", dcConfig(t, e, "PATCH", base+"/identity/driver", admin, map[string]any{"config": map[string]any{"driver": "sql"}}, 200),
		`{"identity": {"driver": "sql", "list_limit": 5}, "ldap": {"url": "ldap://b.example", "user_tree_dn": "ou=Users", "use_tls": false, "page_size": 0, "user_attribute_ignore": ["enabled", "email"]}}`)
	if v, _ := dcStored(t, e, d, "ldap", "password"); v != `"s3cret"` {
		t.Fatalf("password after patches: %q", v)
	}

	dcDeleteLevels(t, e, admin, d)
}

// dcDeleteLevels deletes an option, a group and the rest of a domain's
// configuration, checking each is gone.
func dcDeleteLevels(t *testing.T, e *identitytest.Env, admin, d string) {
	t.Helper()
	base := "/v3/domains/" + d + "/config"
	if r := e.Do(t, "DELETE", base+"/identity/driver", admin, nil); r.Status != 204 {
		t.Fatalf("delete option: %d %s", r.Status, r.Raw)
	}
	expectDomainConfigRefusals(t, e, []dcRefusal{{"deleted option", "GET", base + "/identity/driver", admin, nil, 404,
		"Could not find option driver in group identity in domain configuration for domain " + d + "."}})
	if r := e.Do(t, "DELETE", base+"/identity", admin, nil); r.Status != 204 {
		t.Fatalf("delete group: %d %s", r.Status, r.Raw)
	}
	expectDomainConfigRefusals(t, e, []dcRefusal{{"deleted group", "GET", base + "/identity", admin, nil, 404,
		"Could not find group identity in domain configuration for domain " + d + "."}})
	if r := e.Do(t, "DELETE", base, admin, nil); r.Status != 204 {
		t.Fatalf("delete config: %d %s", r.Status, r.Raw)
	}
	expectDomainConfigRefusals(t, e, []dcRefusal{{"deleted config", "GET", base, admin, nil, 404,
		"Could not find any options in domain configuration for domain " + d + "."}})
	if v, _ := dcStored(t, e, d, "ldap", "password"); v != "" {
		t.Fatalf("password survived the delete: %q", v)
	}
	if r := e.Do(t, "DELETE", base, admin, nil); r.Status != 204 {
		t.Fatalf("delete of no config: %d %s", r.Status, r.Raw)
	}
}

// TestDomainConfigSensitiveOnly covers a configuration holding only the
// ldap password: created and replaced as empty, patched but answered 404,
// and it makes its group exist for a group update.
func TestDomainConfigSensitiveOnly(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	d := dcNewDomain(t, e, admin, "dc-sensitive")
	base := "/v3/domains/" + d + "/config"
	password := func(p string) map[string]any {
		return map[string]any{"config": map[string]any{"ldap": map[string]any{"password": p}}}
	}
	sameJSON(t, "created", dcConfig(t, e, "PUT", base, admin, password("one"), 201), `{}`)
	sameJSON(t, "replaced", dcConfig(t, e, "PUT", base, admin, password("two"), 200), `{}`)
	r := e.Do(t, "PATCH", base, admin, password("three"))
	if _, msg, _ := identitytest.ErrorOf(t, r); r.Status != 404 || msg != "Could not find any options in domain configuration for domain "+d+"." {
		t.Fatalf("patch of sensitive only: %d %s", r.Status, r.Raw)
	}
	if v, _ := dcStored(t, e, d, "ldap", "password"); v != `"three"` {
		t.Fatalf("password %q, want the patched one kept as upstream", v)
	}
	expectDomainConfigRefusals(t, e, []dcRefusal{
		{"sensitive option not shown", "GET", base + "/ldap/password", admin, nil, 404,
			"Could not find option password in group ldap in domain configuration for domain " + d + "."},
		{"option not stored", "PATCH", base + "/ldap/url", admin, map[string]any{"config": map[string]any{"url": "x"}}, 404,
			"Could not find option url in group ldap in domain configuration for domain " + d + "."},
	})
	sameJSON(t, "group patched", dcConfig(t, e, "PATCH", base+"/ldap", admin,
		map[string]any{"config": map[string]any{"ldap": map[string]any{"url": "ldap://c"}}}, 200), `{"ldap": {"url": "ldap://c"}}`)
	if r := e.Do(t, "DELETE", base+"/ldap/password", admin, nil); r.Status != 204 {
		t.Fatalf("delete password: %d %s", r.Status, r.Raw)
	}
	if v, _ := dcStored(t, e, d, "ldap", "password"); v != "" {
		t.Fatalf("password after delete: %q", v)
	}
}

// TestDomainConfigDefaults reads the upstream defaults of the whitelisted
// options at each level.
func TestDomainConfigDefaults(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	all := dcConfig(t, e, "GET", "/v3/domains/config/default", admin, nil, 200)
	ldap := catMember(t, all, "ldap")
	if len(all) != 2 || len(ldap) != 49 || ldap["password"] != nil {
		t.Fatalf("defaults: %d groups, %d ldap options: %v", len(all), len(ldap), all)
	}
	sameJSON(t, "identity", catMember(t, all, "identity"), `{"driver": "sql", "list_limit": null}`)
	sameJSON(t, "some ldap", map[string]any{"url": ldap["url"], "pool_retry_delay": ldap["pool_retry_delay"],
		"user_attribute_ignore": ldap["user_attribute_ignore"], "user_enabled_default": ldap["user_enabled_default"],
		"pool_connection_timeout": ldap["pool_connection_timeout"], "group_attribute_ignore": ldap["group_attribute_ignore"]},
		`{"url": "ldap://localhost", "pool_retry_delay": 0.1, "user_attribute_ignore": ["default_project_id"],
		  "user_enabled_default": "True", "pool_connection_timeout": -1, "group_attribute_ignore": []}`)
	sameJSON(t, "group", dcConfig(t, e, "GET", "/v3/domains/config/identity/default", admin, nil, 200),
		`{"identity": {"driver": "sql", "list_limit": null}}`)
	sameJSON(t, "option", dcConfig(t, e, "GET", "/v3/domains/config/ldap/user_tree_dn/default", admin, nil, 200), `{"user_tree_dn": null}`)
	if r := e.Do(t, "HEAD", "/v3/domains/config/ldap/default", admin, nil); r.Status != 200 {
		t.Fatalf("HEAD: %d", r.Status)
	}
	home := catMember(t, jsonHome(t, e), "resources")
	if rel := catMember(t, home, "https://docs.openstack.org/api/openstack-identity/3/rel/domain"); rel["href-template"] != "/v3/domains/{domain_id}" {
		t.Fatalf("json-home domain relation taken over: %v", rel)
	}
}

// TestDomainConfigSecurityCompliance reads the password rules through the
// security_compliance group, default domain only.
func TestDomainConfigSecurityCompliance(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Security: identity.Security{PasswordRegex: "^.{8,}$", PasswordRegexDescription: "eight or more"}})
	admin := e.AdminToken(t)
	member := dcMemberToken(t, e, admin)
	base := "/v3/domains/default/config/security_compliance"
	sameJSON(t, "group", dcConfig(t, e, "GET", base, member, nil, 200),
		`{"security_compliance": {"password_regex": "^.{8,}$", "password_regex_description": "eight or more"}}`)
	sameJSON(t, "option", dcConfig(t, e, "GET", base+"/password_regex_description", member, nil, 200),
		`{"password_regex_description": "eight or more"}`)
	d := dcNewDomain(t, e, admin, "dc-other")
	expectDomainConfigRefusals(t, e, []dcRefusal{
		{"other domain", "GET", "/v3/domains/" + d + "/config/security_compliance", admin, nil, 403,
			"Invalid domain specific configuration: Reading security compliance information for any domain other than the default domain is not allowed or supported.."},
		{"other option", "GET", base + "/lockout_duration", admin, nil, 403,
			"Invalid domain specific configuration: Reading security compliance values other than password_regex and password_regex_description is not allowed.."},
		{"update", "PATCH", base, admin, map[string]any{"config": map[string]any{"security_compliance": map[string]any{"password_regex": "x"}}}, 403,
			"Invalid domain specific configuration: Group security_compliance is not supported for domain specific configurations."},
	})

	unset := identitytest.Start(t, identitytest.Options{})
	sameJSON(t, "unset", dcConfig(t, unset, "GET", base, unset.AdminToken(t), nil, 200),
		`{"security_compliance": {"password_regex": null, "password_regex_description": null}}`)
}

// TestDomainConfigDeletedWithDomain checks a domain's configuration,
// sensitive options included, goes with the domain.
func TestDomainConfigDeletedWithDomain(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	d := dcNewDomain(t, e, admin, "dc-doomed")
	keep := dcNewDomain(t, e, admin, "dc-kept")
	body := map[string]any{"config": map[string]any{"identity": map[string]any{"driver": "ldap"}, "ldap": map[string]any{"password": "p"}}}
	dcConfig(t, e, "PUT", "/v3/domains/"+d+"/config", admin, body, 201)
	dcConfig(t, e, "PUT", "/v3/domains/"+keep+"/config", admin, body, 201)
	if r := e.Do(t, "PATCH", "/v3/domains/"+d, admin, map[string]any{"domain": map[string]any{"enabled": false}}); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}
	if r := e.Do(t, "DELETE", "/v3/domains/"+d, admin, nil); r.Status != 204 {
		t.Fatalf("delete domain: %d %s", r.Status, r.Raw)
	}
	if n := catRows(t, e, "identity_domain_configs"); n != 2 {
		t.Fatalf("%d config rows left, want the other domain's 2", n)
	}
	if v, _ := dcStored(t, e, d, "ldap", "password"); v != "" {
		t.Fatalf("deleted domain's password kept: %q", v)
	}
}

// TestDomainConfigBadInput sends refused domain-config requests: each gets
// upstream's status and message, and the database is unchanged.
func TestDomainConfigBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	member := dcMemberToken(t, e, admin)
	d := dcNewDomain(t, e, admin, "dc-bad")
	ldapOnly := dcNewDomain(t, e, admin, "dc-ldap-only")
	base, only := "/v3/domains/"+d+"/config", "/v3/domains/"+ldapOnly+"/config"
	dcConfig(t, e, "PUT", base, admin, map[string]any{"config": map[string]any{
		"identity": map[string]any{"driver": "ldap"}, "ldap": map[string]any{"url": "ldap://x", "password": "p"}}}, 201)
	dcConfig(t, e, "PUT", only, admin, map[string]any{"config": map[string]any{"ldap": map[string]any{"url": "ldap://y"}}}, 201)
	cfg := func(v any) map[string]any { return map[string]any{"config": v} }
	invalid := "Invalid domain specific configuration: "
	notFound := func(what, id string) string {
		return "Could not find " + what + " in domain configuration for domain " + id + "."
	}

	expectDomainConfigRefusals(t, e, []dcRefusal{
		{"unknown group", "PUT", base, admin, cfg(map[string]any{"foo": map[string]any{"bar": 1}}), 403,
			invalid + "Group foo is not supported for domain specific configurations."},
		{"unknown option", "PUT", base, admin, cfg(map[string]any{"ldap": map[string]any{"bogus": 1}}), 403,
			invalid + "Option bogus in group ldap is not supported for domain specific configurations."},
		{"first bad group reported", "PUT", base, admin, `{"config": {"ldap": {"url": "u"}, "identity": "x", "foo": {}}}`, 403,
			invalid + "The value of group identity specified in the config should be a dictionary of options."},
		{"group not an object", "PUT", base, admin, cfg(map[string]any{"ldap": []string{"url"}}), 403,
			invalid + "The value of group ldap specified in the config should be a dictionary of options."},
		{"empty group", "PUT", base, admin, cfg(map[string]any{"ldap": map[string]any{}}), 403,
			invalid + "The value of group ldap specified in the config should be a dictionary of options."},
		{"empty config", "PUT", base, admin, cfg(map[string]any{}), 403, invalid + "No options specified."},
		{"null config", "PUT", base, admin, `{"config": null}`, 403, invalid + "No options specified."},
		{"no config", "PUT", base, admin, `{"conf": {"ldap": {"url": "u"}}}`, 403, invalid + "No options specified."},
		{"empty body", "PUT", base, admin, "", 403, invalid + "No options specified."},
		{"config a string", "PUT", base, admin, cfg("ldap"), 400, "Invalid input for field 'config': string is not of type 'object'."},
		{"config a list", "PATCH", base, admin, cfg([]int{1}), 400, "Invalid input for field 'config': array is not of type 'object'."},
		{"body not an object", "PUT", base, admin, `["config"]`, 400, "The request body must be a JSON object."},
		{"malformed body", "PATCH", base, admin, `{"config": {`, 400, "Malformed request body: unexpected EOF"},
		{"create in unknown domain", "PUT", "/v3/domains/nope/config", admin, cfg(map[string]any{"ldap": map[string]any{"url": "u"}}), 404, "Could not find domain: nope."},
		{"create on a project", "PUT", "/v3/domains/" + e.AdminProjectID + "/config", admin, cfg(map[string]any{"ldap": map[string]any{"url": "u"}}), 404,
			"Could not find domain: " + e.AdminProjectID + "."},
		{"create as member", "PUT", base, member, cfg(map[string]any{"ldap": map[string]any{"url": "u"}}), 403,
			"You are not authorized to perform the requested action: identity:create_domain_config."},
		{"create at a group", "PUT", base + "/ldap", admin, cfg(map[string]any{"ldap": map[string]any{"url": "u"}}), 405,
			"The method is not allowed for the requested URL."},

		{"get unknown group", "GET", base + "/foo", admin, nil, 403, invalid + "Group foo is not supported for domain specific configurations."},
		{"get unknown option", "GET", base + "/identity/url", admin, nil, 403,
			invalid + "Option url in group identity is not supported for domain specific configurations."},
		{"get group not stored", "GET", only + "/identity", admin, nil, 404, notFound("group identity", ldapOnly)},
		{"get unknown domain", "GET", "/v3/domains/nope/config/ldap/url", admin, nil, 404, notFound("option url in group ldap", "nope")},
		{"get as member", "GET", base, member, nil, 403, "You are not authorized to perform the requested action: identity:get_domain_config."},
		{"get unknown domain as member", "GET", "/v3/domains/nope/config", member, nil, 403,
			"You are not authorized to perform the requested action: identity:get_domain_config."},
	})
	expectDomainConfigRefusals(t, e, dcBadUpdates(e, admin, member, d, ldapOnly))
	expectDomainConfigRefusals(t, e, []dcRefusal{
		{"delete unknown group", "DELETE", base + "/foo", admin, nil, 403, invalid + "Group foo is not supported for domain specific configurations."},
		{"delete unknown option", "DELETE", base + "/ldap/bogus", admin, nil, 403,
			invalid + "Option bogus in group ldap is not supported for domain specific configurations."},
		{"delete group not stored", "DELETE", only + "/identity", admin, nil, 404, notFound("group identity", ldapOnly)},
		{"delete group not stored at option", "DELETE", only + "/identity/driver", admin, nil, 404, notFound("group identity", ldapOnly)},
		{"delete option not stored", "DELETE", base + "/ldap/suffix", admin, nil, 404, notFound("option suffix in group ldap", d)},
		{"delete in unknown domain", "DELETE", "/v3/domains/nope/config", admin, nil, 404, "Could not find domain: nope."},
		{"delete as member", "DELETE", base + "/ldap", member, nil, 403, "You are not authorized to perform the requested action: identity:delete_domain_config."},

		{"default of unknown group", "GET", "/v3/domains/config/resource/default", admin, nil, 403,
			invalid + "Group resource is not supported for domain specific configurations."},
		{"default of unknown option", "GET", "/v3/domains/config/ldap/bogus/default", admin, nil, 403,
			invalid + "Option bogus in group ldap is not supported for domain specific configurations."},
		{"default of the password", "GET", "/v3/domains/config/ldap/password/default", admin, nil, 403,
			invalid + "Reading the default for option password in group ldap is not supported."},
		{"defaults as member", "GET", "/v3/domains/config/default", member, nil, 403,
			"You are not authorized to perform the requested action: identity:get_domain_config_default."},
		{"patch a default", "PATCH", "/v3/domains/config/ldap/default", admin, cfg(map[string]any{}), 405,
			"The method is not allowed for the requested URL."},
		{"not a default path", "GET", "/v3/domains/" + d + "/users/x", admin, nil, 404, "The resource could not be found."},
		{"not a default option path", "GET", "/v3/domains/config/ldap/url/other", admin, nil, 404, "The resource could not be found."},
	})
}

// dcBadUpdates are refused PATCHes of domain d (identity and ldap stored)
// and ldapOnly (ldap only).
func dcBadUpdates(e *identitytest.Env, admin, member, d, ldapOnly string) []dcRefusal {
	base, only := "/v3/domains/"+d+"/config", "/v3/domains/"+ldapOnly+"/config"
	cfg := func(v any) map[string]any { return map[string]any{"config": v} }
	invalid := "Invalid domain specific configuration: "
	url := map[string]any{"ldap": map[string]any{"url": "u"}}
	return []dcRefusal{
		{"update in unknown domain", "PATCH", "/v3/domains/nope/config/ldap", admin, cfg(url), 404, "Could not find domain: nope."},
		{"update as member", "PATCH", base, member, cfg(url), 403, "You are not authorized to perform the requested action: identity:update_domain_config."},
		{"update with no options", "PATCH", base, admin, cfg(map[string]any{}), 403, invalid + "No options specified."},
		{"update unknown group", "PATCH", base + "/foo", admin, cfg(url), 403, invalid + "Group foo is not supported for domain specific configurations."},
		{"update another group", "PATCH", base + "/identity", admin, cfg(url), 403,
			invalid + "request to update group identity, but config provided contains group ldap instead."},
		{"update two groups at a group", "PATCH", base + "/ldap", admin, cfg(map[string]any{"ldap": map[string]any{"url": "u"}, "identity": map[string]any{"driver": "d"}}), 403,
			invalid + "Trying to update group ldap, so that, and only that, group must be specified in the config."},
		{"update group not stored", "PATCH", only + "/identity", admin, cfg(map[string]any{"identity": map[string]any{"driver": "d"}}), 404,
			"Could not find group identity in domain configuration for domain " + ldapOnly + "."},
		{"update two options at an option", "PATCH", base + "/ldap/url", admin, cfg(map[string]any{"url": "u", "suffix": "s"}), 403,
			invalid + "Trying to update option url in group ldap, so that, and only that, option must be specified  in the config."},
		{"update another option", "PATCH", base + "/ldap/url", admin, cfg(map[string]any{"suffix": "s"}), 403,
			invalid + "Trying to update option url in group ldap, but config provided contains option suffix instead."},
		{"update unknown option", "PATCH", base + "/ldap/bogus", admin, cfg(map[string]any{"bogus": "s"}), 403,
			invalid + "Option bogus in group ldap is not supported for domain specific configurations."},
		{"update option with nothing", "PATCH", base + "/ldap/url", admin, cfg(map[string]any{}), 403,
			invalid + "The value of group ldap specified in the config should be a dictionary of options."},
		{"update option not stored", "PATCH", base + "/ldap/suffix", admin, cfg(map[string]any{"suffix": "s"}), 404,
			"Could not find option suffix in group ldap in domain configuration for domain " + d + "."},
	}
}
