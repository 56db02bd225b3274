package neutronerr

import "net/http"

// Security group and address group exceptions (neutron/extensions/
// securitygroup.py, neutron_lib/exceptions/address_group.py).

func init() {
	for typ, status := range map[string]int{
		"SecurityGroupNotFound":                      http.StatusNotFound,
		"SecurityGroupRuleNotFound":                  http.StatusNotFound,
		"AddressGroupNotFound":                       http.StatusNotFound,
		"AddressesNotFound":                          http.StatusNotFound,
		"SecurityGroupInUse":                         http.StatusConflict,
		"SecurityGroupCannotRemoveDefault":           http.StatusConflict,
		"SecurityGroupCannotUpdateDefault":           http.StatusConflict,
		"SecurityGroupDefaultAlreadyExists":          http.StatusConflict,
		"DuplicateSecurityGroupRuleInPost":           http.StatusConflict,
		"SecurityGroupRuleExists":                    http.StatusConflict,
		"SecurityGroupConflict":                      http.StatusConflict,
		"AddressGroupInUse":                          http.StatusConflict,
		"SecurityGroupInvalidPortRange":              http.StatusBadRequest,
		"SecurityGroupInvalidProtocolForPort":        http.StatusBadRequest,
		"SecurityGroupInvalidPortValue":              http.StatusBadRequest,
		"SecurityGroupInvalidIcmpValue":              http.StatusBadRequest,
		"SecurityGroupEthertypeConflictWithProtocol": http.StatusBadRequest,
		"SecurityGroupMissingIcmpType":               http.StatusBadRequest,
		"SecurityGroupRuleInvalidProtocol":           http.StatusBadRequest,
		"SecurityGroupRulesNotSingleTenant":          http.StatusBadRequest,
		"SecurityGroupMultipleRemoteEntites":         http.StatusBadRequest,
		"SecurityGroupProtocolRequiredWithPorts":     http.StatusBadRequest,
		"SecurityGroupNotSingleGroupRules":           http.StatusBadRequest,
		"SecurityGroupRuleParameterConflict":         http.StatusBadRequest,
		"SecurityGroupRuleInvalidEtherType":          http.StatusBadRequest,
		"InvalidCIDR":                                http.StatusBadRequest,
		"AddressesAlreadyExist":                      http.StatusBadRequest,
	} {
		Register(typ, status)
	}
}

// SecurityGroupNotFound is the security group extension's class.
func SecurityGroupNotFound(id string) *Error {
	return New("SecurityGroupNotFound", "Security group %s does not exist", id)
}

// SecurityGroupRuleNotFound is the security group extension's class.
func SecurityGroupRuleNotFound(id string) *Error {
	return New("SecurityGroupRuleNotFound", "Security group rule %s does not exist", id)
}

// SecurityGroupInUse is the security group extension's class; "" is the
// default reason.
func SecurityGroupInUse(id, reason string) *Error {
	if reason == "" {
		reason = "in use"
	}
	return New("SecurityGroupInUse", "Security Group %s %s.", id, reason)
}

// SecurityGroupCannotRemoveDefault is the security group extension's class.
func SecurityGroupCannotRemoveDefault() *Error {
	return New("SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default security group.")
}

// SecurityGroupCannotUpdateDefault is the security group extension's class.
func SecurityGroupCannotUpdateDefault() *Error {
	return New("SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.")
}

// SecurityGroupDefaultAlreadyExists is the security group extension's class.
func SecurityGroupDefaultAlreadyExists() *Error {
	return New("SecurityGroupDefaultAlreadyExists", "Default security group already exists.")
}

// SecurityGroupInvalidPortRange is the security group extension's class.
func SecurityGroupInvalidPortRange() *Error {
	return New("SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max")
}

// SecurityGroupInvalidProtocolForPort is the security group extension's class.
func SecurityGroupInvalidProtocolForPort(protocol, valid string) *Error {
	return New("SecurityGroupInvalidProtocolForPort",
		"Ports cannot be specified for protocol %s. Ports are only supported for %s.", protocol, valid)
}

// SecurityGroupInvalidPortValue is the security group extension's class.
func SecurityGroupInvalidPortValue(port string) *Error {
	return New("SecurityGroupInvalidPortValue", "Invalid value for port %s", port)
}

// SecurityGroupInvalidIcmpValue is the security group extension's class.
func SecurityGroupInvalidIcmpValue(field, attr string, value int64) *Error {
	return New("SecurityGroupInvalidIcmpValue", "Invalid value for ICMP %s (%s) %d. It must be 0 to 255.", field, attr, value)
}

// SecurityGroupEthertypeConflictWithProtocol is the security group extension's class.
func SecurityGroupEthertypeConflictWithProtocol(ethertype, protocol string) *Error {
	return New("SecurityGroupEthertypeConflictWithProtocol", "Invalid ethertype %s for protocol %s.", ethertype, protocol)
}

// SecurityGroupMissingIcmpType is the security group extension's class.
func SecurityGroupMissingIcmpType(value int64) *Error {
	return New("SecurityGroupMissingIcmpType",
		"ICMP code (port-range-max) %d is provided but ICMP type (port-range-min) is missing.", value)
}

// SecurityGroupRuleInvalidProtocol is the security group extension's class;
// values is Python's repr of the supported names.
func SecurityGroupRuleInvalidProtocol(protocol, values string) *Error {
	return New("SecurityGroupRuleInvalidProtocol",
		"Security group rule protocol %s not supported. Only protocol values %s and integer representations [0 to 255] are supported.",
		protocol, values)
}

// SecurityGroupRulesNotSingleTenant is the security group extension's class.
func SecurityGroupRulesNotSingleTenant() *Error {
	return New("SecurityGroupRulesNotSingleTenant", "Multiple tenant_ids in bulk security group rule create not allowed")
}

// SecurityGroupMultipleRemoteEntites is the security group extension's class.
func SecurityGroupMultipleRemoteEntites() *Error {
	return New("SecurityGroupMultipleRemoteEntites",
		"Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.")
}

// SecurityGroupProtocolRequiredWithPorts is the security group extension's class.
func SecurityGroupProtocolRequiredWithPorts() *Error {
	return New("SecurityGroupProtocolRequiredWithPorts", "Must also specify protocol if port range is given.")
}

// SecurityGroupNotSingleGroupRules is the security group extension's class.
func SecurityGroupNotSingleGroupRules() *Error {
	return New("SecurityGroupNotSingleGroupRules", "Only allowed to update rules for one security profile at a time")
}

// DuplicateSecurityGroupRuleInPost is the security group extension's class.
func DuplicateSecurityGroupRuleInPost() *Error {
	return New("DuplicateSecurityGroupRuleInPost", "Duplicate Security Group Rule in POST.")
}

// SecurityGroupRuleExists is the security group extension's class.
func SecurityGroupRuleExists(ruleID string) *Error {
	return New("SecurityGroupRuleExists", "Security group rule already exists. Rule id is %s.", ruleID)
}

// SecurityGroupRuleParameterConflict is the security group extension's class.
func SecurityGroupRuleParameterConflict(ethertype, cidr string) *Error {
	return New("SecurityGroupRuleParameterConflict", "Conflicting value ethertype %s for CIDR %s", ethertype, cidr)
}

// SecurityGroupRuleInvalidEtherType is the security group extension's
// class; values is Python's repr of the supported ethertypes.
func SecurityGroupRuleInvalidEtherType(ethertype, values string) *Error {
	return New("SecurityGroupRuleInvalidEtherType",
		"Security group rule for ethertype '%s' not supported. Allowed values are %s.", ethertype, values)
}

// InvalidCIDR is neutron_lib's InvalidCIDR.
func InvalidCIDR(input string) *Error {
	return New("InvalidCIDR", "Invalid CIDR %s given as IP prefix.", input)
}

// AddressGroupNotFound is neutron_lib's class.
func AddressGroupNotFound(id string) *Error {
	return New("AddressGroupNotFound", "Address group %s could not be found.", id)
}

// AddressGroupInUse is neutron_lib's class.
func AddressGroupInUse(id string) *Error {
	return New("AddressGroupInUse", "Address group %s is in use on one or more security group rules.", id)
}

// AddressesNotFound is neutron_lib's class; addresses is Python's repr of
// the list.
func AddressesNotFound(addresses, id string) *Error {
	return New("AddressesNotFound", "Addresses %s not found in the address group %s.", addresses, id)
}

// AddressesAlreadyExist is neutron_lib's class; addresses is Python's repr
// of the list.
func AddressesAlreadyExist(addresses, id string) *Error {
	return New("AddressesAlreadyExist", "Addresses %s already exist in the address group %s.", addresses, id)
}
