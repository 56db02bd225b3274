package network_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestSecurityGroupRuleValidation(t *testing.T) {
	e := start(t)
	sg := e.createGroup(t, e.member, map[string]any{"name": "v"})["id"].(string)
	rule := func(attrs map[string]any) map[string]any {
		m := map[string]any{"security_group_id": sg, "direction": "ingress"}
		for k, v := range attrs {
			m[k] = v
		}
		return map[string]any{"security_group_rule": m}
	}
	protocols := "[None, 'ah', 'dccp', 'egp', 'esp', 'gre', 'hopopt', 'icmp', 'igmp', 'ip', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp']"
	missing := "00000000-0000-4000-8000-999999999999"
	for _, c := range []struct {
		name     string
		body     any
		status   int
		typ, msg string
	}{
		{"icmp type beyond 255", rule(map[string]any{"protocol": "icmp", "port_range_min": 256}),
			400, "SecurityGroupInvalidIcmpValue", "Invalid value for ICMP type (port_range_min) 256. It must be 0 to 255."},
		{"icmp code beyond 255", rule(map[string]any{"protocol": "icmp", "port_range_min": 8, "port_range_max": 300}),
			400, "SecurityGroupInvalidIcmpValue", "Invalid value for ICMP code (port_range_max) 300. It must be 0 to 255."},
		{"icmp code without type", rule(map[string]any{"protocol": "icmp", "port_range_max": 0}),
			400, "SecurityGroupMissingIcmpType", "ICMP code (port-range-max) 0 is provided but ICMP type (port-range-min) is missing."},
		{"min above max", rule(map[string]any{"protocol": "tcp", "port_range_min": 90, "port_range_max": 80}),
			400, "SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max"},
		{"min without max", rule(map[string]any{"protocol": "udp", "port_range_min": 90}),
			400, "SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max"},
		{"port zero", rule(map[string]any{"protocol": "tcp", "port_range_min": 0, "port_range_max": 80}),
			400, "SecurityGroupInvalidPortValue", "Invalid value for port 0"},
		{"port beyond 65535", rule(map[string]any{"protocol": "tcp", "port_range_min": 70000}),
			400, "SecurityGroupInvalidPortValue", "Invalid value for port 70000"},
		{"ports without protocol", rule(map[string]any{"port_range_min": 22, "port_range_max": 22}),
			400, "SecurityGroupProtocolRequiredWithPorts", "Must also specify protocol if port range is given."},
		{"ports on gre", rule(map[string]any{"protocol": "gre", "port_range_min": 22, "port_range_max": 22}),
			400, "SecurityGroupInvalidProtocolForPort", "Ports cannot be specified for protocol 47. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE."},
		{"prefix and remote group", rule(map[string]any{"remote_ip_prefix": "10.0.0.0/8", "remote_group_id": sg}),
			400, "SecurityGroupMultipleRemoteEntites", "Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided."},
		{"ethertype against prefix", rule(map[string]any{"ethertype": "IPv6", "remote_ip_prefix": "10.0.0.0/8"}),
			400, "SecurityGroupRuleParameterConflict", "Conflicting value ethertype IPv6 for CIDR 10.0.0.0/8"},
		{"ethertype against protocol", rule(map[string]any{"protocol": "ipv6-icmp"}),
			400, "SecurityGroupEthertypeConflictWithProtocol", "Invalid ethertype IPv4 for protocol ipv6-icmp."},
		{"unknown protocol", rule(map[string]any{"protocol": "foo"}),
			400, "SecurityGroupRuleInvalidProtocol", "Security group rule protocol foo not supported. Only protocol values " + protocols + " and integer representations [0 to 255] are supported."},
		{"protocol number too big", rule(map[string]any{"protocol": 256}),
			400, "SecurityGroupRuleInvalidProtocol", "Security group rule protocol 256 not supported. Only protocol values " + protocols + " and integer representations [0 to 255] are supported."},
		{"unknown ethertype", rule(map[string]any{"ethertype": "IPv5"}),
			400, "SecurityGroupRuleInvalidEtherType", "Security group rule for ethertype 'IPv5' not supported. Allowed values are ['IPv4', 'IPv6']."},
		{"bad direction", rule(map[string]any{"direction": "up"}),
			400, "HTTPBadRequest", "Invalid input for direction. Reason: up is not in valid_values."},
		{"bad prefix", rule(map[string]any{"remote_ip_prefix": "10.0.0.300/24"}),
			400, "InvalidCIDR", "Invalid CIDR 10.0.0.300/24 given as IP prefix."},
		{"no group", map[string]any{"security_group_rule": map[string]any{"direction": "ingress"}},
			400, "HTTPBadRequest", "Failed to parse request. Required attribute 'security_group_id' not specified"},
		{"unknown group", rule(map[string]any{"security_group_id": missing}),
			404, "SecurityGroupNotFound", "Security group " + missing + " does not exist"},
		{"unknown remote group", rule(map[string]any{"remote_group_id": missing}),
			404, "SecurityGroupNotFound", "Security group " + missing + " does not exist"},
		{"unknown remote address group", rule(map[string]any{"remote_address_group_id": missing}),
			404, "AddressGroupNotFound", "Address group " + missing + " could not be found."},
		{"read-only normalized_cidr", rule(map[string]any{"normalized_cidr": "10.0.0.0/8"}),
			400, "HTTPBadRequest", "Attribute 'normalized_cidr' not allowed in POST"},
		{"bulk across groups", map[string]any{"security_group_rules": []any{
			map[string]any{"security_group_id": sg, "direction": "ingress"},
			map[string]any{"security_group_id": missing, "direction": "ingress"}}},
			400, "SecurityGroupNotSingleGroupRules", "Only allowed to update rules for one security profile at a time"},
		{"bulk repeats a rule", map[string]any{"security_group_rules": []any{
			map[string]any{"security_group_id": sg, "direction": "ingress", "protocol": "tcp"},
			map[string]any{"security_group_id": sg, "direction": "ingress", "protocol": "6"}}},
			409, "DuplicateSecurityGroupRuleInPost", "Duplicate Security Group Rule in POST."},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.msg, "POST", "/v2.0/security-group-rules", e.member, c.body)
		})
	}
}

func TestSecurityGroupRuleLifecycle(t *testing.T) {
	e := start(t)
	g := e.createGroup(t, e.member, map[string]any{"name": "r"})
	sg := g["id"].(string)
	ssh := e.createRule(t, e.member, map[string]any{"security_group_id": sg, "direction": "ingress", "protocol": "TCP",
		"port_range_min": "22", "port_range_max": 22, "remote_ip_prefix": "10.0.0.5/24", "description": "ssh"})
	want := map[string]any{"protocol": "tcp", "port_range_min": float64(22), "port_range_max": float64(22),
		"remote_ip_prefix": "10.0.0.5/24", "normalized_cidr": "10.0.0.0/24", "ethertype": "IPv4", "description": "ssh",
		"project_id": e.alpha, "tenant_id": e.alpha, "remote_group_id": nil, "remote_address_group_id": nil, "revision_number": float64(0)}
	for k, v := range want {
		if ssh[k] != v {
			t.Errorf("%s = %v, want %v", k, ssh[k], v)
		}
	}
	for _, c := range []struct {
		attrs map[string]any
		check string // "key=value" pairs the created rule must show
	}{
		{map[string]any{"protocol": 17}, "protocol=17"},
		{map[string]any{"protocol": "icmp", "ethertype": "ipv6"}, "protocol=ipv6-icmp ethertype=IPv6"},
		{map[string]any{"protocol": "1", "ethertype": "IPv6", "port_range_min": 128}, "protocol=58 port_range_min=128"},
		{map[string]any{"protocol": "sctp", "port_range_min": 1, "port_range_max": 65535}, "protocol=sctp port_range_min=<nil> port_range_max=<nil>"},
		{map[string]any{"remote_ip_prefix": "10.1.1.1"}, "remote_ip_prefix=10.1.1.1/32 normalized_cidr=10.1.1.1/32"},
		{map[string]any{"remote_ip_prefix": "2001:DB8::1/64", "ethertype": "IPv6"}, "remote_ip_prefix=2001:db8::1/64 normalized_cidr=2001:db8::/64"},
		{map[string]any{"remote_group_id": sg, "direction": "egress", "protocol": "tcp"}, "remote_group_id=" + sg},
	} {
		attrs := map[string]any{"security_group_id": sg, "direction": "ingress"}
		for k, v := range c.attrs {
			attrs[k] = v
		}
		r := e.createRule(t, e.member, attrs)
		for _, pair := range strings.Fields(c.check) {
			k, v, _ := strings.Cut(pair, "=")
			if fmt.Sprint(r[k]) != v {
				t.Errorf("%v: %s = %v, want %s", c.attrs, k, r[k], v)
			}
		}
	}
	e.refused(t, 409, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is "+ssh["id"].(string)+".",
		"POST", "/v2.0/security-group-rules", e.member, map[string]any{"security_group_rule": map[string]any{"security_group_id": sg,
			"direction": "ingress", "protocol": "6", "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "10.0.0.5/24"}})
	egress := g["security_group_rules"].([]any)[0].(map[string]any)["id"].(string)
	e.refused(t, 409, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is "+egress+".",
		"POST", "/v2.0/security-group-rules", e.member, map[string]any{"security_group_rule": map[string]any{"security_group_id": sg,
			"direction": "egress", "remote_ip_prefix": "0.0.0.0/0"}})
	bulk := e.ok(t, 201, "POST", "/v2.0/security-group-rules", e.member, map[string]any{"security_group_rules": []any{
		map[string]any{"security_group_id": sg, "direction": "ingress", "protocol": "tcp", "port_range_min": 80, "port_range_max": 80},
		map[string]any{"security_group_id": sg, "direction": "ingress", "protocol": "tcp", "port_range_min": 443, "port_range_max": 443},
	}})["security_group_rules"].([]any)
	if len(bulk) != 2 {
		t.Fatalf("bulk: %v", bulk)
	}
	shown := e.ok(t, 200, "GET", "/v2.0/security-groups/"+sg, e.member, nil)["security_group"].(map[string]any)
	if n := len(shown["security_group_rules"].([]any)); n != 12 || shown["revision_number"] != float64(12) {
		t.Fatalf("group after rules: %d rules, revision %v", n, shown["revision_number"])
	}
	id := ssh["id"].(string)
	if got := e.ok(t, 200, "GET", "/v2.0/security-group-rules/"+id+"?fields=protocol", e.member, nil)["security_group_rule"]; fmt.Sprint(got) != "map[protocol:tcp]" {
		t.Fatalf("fields: %v", got)
	}
	list := e.ok(t, 200, "GET", "/v2.0/security-group-rules?protocol=tcp&port_range_min=22", e.member, nil)["security_group_rules"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != id {
		t.Fatalf("filtered: %v", list)
	}
	e.ok(t, 204, "DELETE", "/v2.0/security-group-rules/"+id, e.member, nil)
	e.refused(t, 404, "SecurityGroupRuleNotFound", "Security group rule "+id+" does not exist", "GET", "/v2.0/security-group-rules/"+id, e.member, nil)
	e.refused(t, 405, "HTTPMethodNotAllowed", "", "PUT", "/v2.0/security-group-rules/"+bulk[0].(map[string]any)["id"].(string), e.member,
		map[string]any{"security_group_rule": map[string]any{"description": "x"}})
}

func TestSecurityExtensions(t *testing.T) {
	e := start(t)
	for _, alias := range []string{"security-group", "security-groups-remote-address-group", "address-group",
		"stateful-security-group", "security-groups-normalized-cidr"} {
		e.ok(t, 200, "GET", "/v2.0/extensions/"+alias, e.member, nil)
	}
}
