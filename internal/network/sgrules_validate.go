package network

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Rule validation as securitygroups_db.py's _validate_security_group_rule
// and _check_for_duplicate_rules, in upstream's order.

// portProtocols are SG_PORT_PROTO_NUMS: the protocols with ports.
var portProtocols = []int64{33, 132, 6, 17, 136}

// ipv6OnlyProtocols may not go with ethertype IPv4.
var ipv6OnlyProtocols = []string{"ipv6-encap", "ipv6-frag", "ipv6-icmp", "icmpv6", "ipv6-nonxt", "ipv6-opts",
	"ipv6-route", "41", "44", "58", "59", "60", "43"}

// ruleFromItem builds a rule from a converted create body.
func (s *Service) ruleFromItem(item map[string]any) *sgRule {
	project, _ := item["project_id"].(string)
	group, _ := item["security_group_id"].(string)
	direction, _ := item["direction"].(string)
	ethertype, ok := item["ethertype"].(string)
	if !ok {
		ethertype = "IPv4"
	}
	r := s.newRule(project, group, direction, ethertype)
	r.Protocol = optString(item["protocol"])
	r.PortMin, r.PortMax = optInt(item["port_range_min"]), optInt(item["port_range_max"])
	r.RemoteIPPrefix = optString(item["remote_ip_prefix"])
	r.RemoteGroupID = optString(item["remote_group_id"])
	r.RemoteAddressGroupID = optString(item["remote_address_group_id"])
	r.Std.Description, _ = item["description"].(string)
	return r
}

// optString is a body value as an optional string (any non-null value
// in its Python str() form).
func optString(v any) *string {
	if v == nil {
		return nil
	}
	s := pyStr(v)
	return &s
}

func optInt(v any) *int64 {
	if i, ok := v.(int64); ok {
		return &i
	}
	return nil
}

// validateRule canonicalizes and checks one rule; project is the scope its
// groups must be in ("" for an admin).
func (s *Service) validateRule(tx *db.Tx, r *sgRule, project string) error {
	canonicalIPv6ICMP(r)
	if r.PortMin != nil && r.PortMax != nil && *r.PortMin == 1 && *r.PortMax == 65535 {
		r.PortMin, r.PortMax = nil, nil
	}
	if err := validatePortRange(r); err != nil {
		return err
	}
	if err := validatePrefix(r); err != nil {
		return err
	}
	if r.Protocol != nil && r.Ethertype == "IPv4" && slices.Contains(ipv6OnlyProtocols, *r.Protocol) {
		return neutronerr.SecurityGroupEthertypeConflictWithProtocol(r.Ethertype, *r.Protocol)
	}
	if countSet(r.RemoteIPPrefix, r.RemoteGroupID, r.RemoteAddressGroupID) > 1 {
		return neutronerr.SecurityGroupMultipleRemoteEntites()
	}
	return s.checkRuleReferences(tx, r, project)
}

// canonicalIPv6ICMP turns legacy IPv6 ICMP names and number 1 into
// ipv6-icmp and 58.
func canonicalIPv6ICMP(r *sgRule) {
	if r.Ethertype != "IPv6" || r.Protocol == nil {
		return
	}
	switch *r.Protocol {
	case "icmp", "icmpv6":
		p := "ipv6-icmp"
		r.Protocol = &p
	case "1":
		p := "58"
		r.Protocol = &p
	}
}

func countSet(vals ...*string) int {
	n := 0
	for _, v := range vals {
		if v != nil && *v != "" {
			n++
		}
	}
	return n
}

// protocolNumber is _get_ip_proto_number.
func protocolNumber(p string) int64 {
	if n, ok := ipProtocols[p]; ok {
		return int64(n)
	}
	n, _ := strconv.ParseInt(p, 10, 64)
	return n
}

// validatePortRange is _validate_port_range.
func validatePortRange(r *sgRule) error {
	if r.PortMin == nil && r.PortMax == nil {
		return nil
	}
	if r.Protocol == nil || *r.Protocol == "" {
		return neutronerr.SecurityGroupProtocolRequiredWithPorts()
	}
	proto := protocolNumber(*r.Protocol)
	switch {
	case slices.Contains(portProtocols, proto):
		if (r.PortMin != nil && *r.PortMin == 0) || (r.PortMax != nil && *r.PortMax == 0) {
			return neutronerr.SecurityGroupInvalidPortValue("0")
		}
		if r.PortMin == nil || r.PortMax == nil || *r.PortMin > *r.PortMax {
			return neutronerr.SecurityGroupInvalidPortRange()
		}
	case proto == 1 || proto == 58:
		if r.PortMin != nil && *r.PortMin > 255 {
			return neutronerr.SecurityGroupInvalidIcmpValue("type", "port_range_min", *r.PortMin)
		}
		if r.PortMax != nil && *r.PortMax > 255 {
			return neutronerr.SecurityGroupInvalidIcmpValue("code", "port_range_max", *r.PortMax)
		}
		if r.PortMin == nil {
			return neutronerr.SecurityGroupMissingIcmpType(*r.PortMax)
		}
	default:
		return neutronerr.SecurityGroupInvalidProtocolForPort(fmt.Sprint(proto), "DCCP, SCTP, TCP, UDP, UDPLITE")
	}
	return nil
}

// validatePrefix is _validate_ip_prefix: the prefix's family must be the
// rule's ethertype.
func validatePrefix(r *sgRule) error {
	if r.RemoteIPPrefix == nil {
		return nil
	}
	p, err := parsePrefixOrAddr(*r.RemoteIPPrefix)
	if err != nil {
		return neutronerr.InvalidCIDR(*r.RemoteIPPrefix)
	}
	version := "IPv4"
	if p.Addr().Is6() {
		version = "IPv6"
	}
	if r.Ethertype != version {
		return neutronerr.SecurityGroupRuleParameterConflict(r.Ethertype, *r.RemoteIPPrefix)
	}
	return nil
}

// checkRuleReferences checks the remote group, the remote address group
// and the rule's group exist within project's reach.
func (s *Service) checkRuleReferences(tx *db.Tx, r *sgRule, project string) error {
	if r.RemoteGroupID != nil && *r.RemoteGroupID != "" {
		if err := s.checkSecurityGroups(tx, project, []string{*r.RemoteGroupID}); err != nil {
			return err
		}
	}
	if r.RemoteAddressGroupID != nil && *r.RemoteAddressGroupID != "" {
		if _, err := getAddressGroup(tx, *r.RemoteAddressGroupID, project); err != nil {
			return err
		}
	}
	g, err := getSecurityGroupRow(tx, r.GroupID, project)
	if err != nil {
		return err
	}
	r.GroupProject, r.GroupStateful = g.ProjectID, g.Stateful
	return nil
}

// checkBulkRules is _validate_single_tenant_and_group.
func checkBulkRules(rules []*sgRule) error {
	for _, r := range rules[1:] {
		if r.GroupID != rules[0].GroupID {
			return neutronerr.SecurityGroupNotSingleGroupRules()
		}
		if r.ProjectID != rules[0].ProjectID {
			return neutronerr.SecurityGroupRulesNotSingleTenant()
		}
	}
	return nil
}

// checkDuplicateRules refuses a request repeating a rule, or a rule its
// group already has (naming that rule).
func checkDuplicateRules(tx *db.Tx, rules []*sgRule) error {
	seen := map[string]bool{}
	for _, r := range rules {
		k := ruleKey(r)
		if seen[k] {
			return neutronerr.DuplicateSecurityGroupRuleInPost()
		}
		seen[k] = true
	}
	existing, err := queryRules(tx, "r.security_group_id = ?", rules[0].GroupID)
	if err != nil {
		return err
	}
	for i := range existing {
		if seen[ruleKey(&existing[i])] {
			return neutronerr.SecurityGroupRuleExists(existing[i].ID)
		}
	}
	return nil
}

// ruleKey is _rule_to_key: what makes two rules the same.
func ruleKey(r *sgRule) string {
	opt := func(s *string) string {
		if s == nil {
			return "+"
		}
		return *s
	}
	num := func(i *int64) string {
		if i == nil {
			return "+"
		}
		return strconv.FormatInt(*i, 10)
	}
	prefix := opt(r.RemoteIPPrefix)
	if prefix == "0.0.0.0/0" || prefix == "::/0" {
		prefix = "+"
	}
	proto := "+"
	if r.Protocol != nil {
		name, number := protocolNameAndNumber(*r.Protocol, r.Ethertype)
		proto = "['" + name + "', '" + number + "']"
	}
	return r.Direction + "_" + r.Ethertype + "_" + num(r.PortMax) + "_" + num(r.PortMin) + "_" + proto + "_" +
		opt(r.RemoteGroupID) + "_" + opt(r.RemoteAddressGroupID) + "_" + prefix + "_" + r.GroupID
}

// protocolNameAndNumber is _get_ip_proto_name_and_num.
func protocolNameAndNumber(p, ethertype string) (string, string) {
	if ethertype == "IPv6" {
		switch p {
		case "icmp", "icmpv6":
			p = "ipv6-icmp"
		case "1":
			p = "58"
		}
	}
	if n, ok := ipProtocols[p]; ok {
		return p, strconv.Itoa(n)
	}
	if name, ok := protocolNumberNames[p]; ok {
		return name, p
	}
	return p, p
}

// protocolNumberNames is IP_PROTOCOL_NUM_TO_NAME_MAP.
var protocolNumberNames = func() map[string]string {
	out := map[string]string{}
	for _, name := range protocolNames {
		if name == "hopopt" || name == "icmpv6" {
			continue // 0 is "ip", 58 is "ipv6-icmp"
		}
		out[strconv.Itoa(ipProtocols[name])] = name
	}
	return out
}()
