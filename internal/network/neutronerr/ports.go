package neutronerr

import "net/http"

func init() {
	for typ, status := range map[string]int{
		"SubnetInUse":                                http.StatusConflict,
		"PortInUse":                                  http.StatusConflict,
		"MacAddressInUse":                            http.StatusConflict,
		"NetworkMacAddressGenerationFailure":         http.StatusServiceUnavailable,
		"InvalidSubnetServiceType":                   http.StatusBadRequest,
		"InvalidInputSubnetServiceType":              http.StatusBadRequest,
		"PortSecurityAndIPRequiredForSecurityGroups": http.StatusBadRequest,
		"PortSecurityPortHasSecurityGroup":           http.StatusConflict,
		"AllowedAddressPairsMissingIP":               http.StatusBadRequest,
		"DuplicateAddressPairInRequest":              http.StatusBadRequest,
		"AddressPairMatchesPortFixedIPAndMac":        http.StatusBadRequest,
		"AddressPairAndPortSecurityRequired":         http.StatusConflict,
		"AllowedAddressPairExhausted":                http.StatusBadRequest,
	} {
		Register(typ, status)
	}
}

// SubnetInUse is neutron_lib's SubnetInUse; "" is the default reason.
func SubnetInUse(id, reason string) *Error {
	if reason == "" {
		reason = "One or more ports have an IP allocation from this subnet"
	}
	return New("SubnetInUse", "Unable to complete operation on subnet %s: %s.", id, reason)
}

// PortInUse is neutron_lib's PortInUse.
func PortInUse(portID, netID, deviceID string) *Error {
	return New("PortInUse", "Unable to complete operation on port %s for network %s. Port already has an attached device %s.", portID, netID, deviceID)
}

// MacAddressInUse is neutron_lib's MacAddressInUse.
func MacAddressInUse(netID, mac string) *Error {
	return New("MacAddressInUse", "Unable to complete operation for network %s. The mac address %s is in use.", netID, mac)
}

// MacGenerationFailure is NetworkMacAddressGenerationFailure.
func MacGenerationFailure(netID string) *Error {
	return New("NetworkMacAddressGenerationFailure", "Unable to generate unique mac on network %s.", netID)
}

// InvalidSubnetServiceType is neutron_lib's InvalidSubnetServiceType.
func InvalidSubnetServiceType(st string) *Error {
	return New("InvalidSubnetServiceType", "Subnet service type %s does not correspond to a valid device owner.", st)
}

// NotAuthorized is neutron_lib's NotAuthorized.
func NotAuthorized() *Error {
	return New("NotAuthorized", "Not authorized.")
}

// PortSecurityAndIPRequired is PortSecurityAndIPRequiredForSecurityGroups.
func PortSecurityAndIPRequired() *Error {
	return New("PortSecurityAndIPRequiredForSecurityGroups", "Port security must be enabled and port must have an IP address in order to use security groups.")
}

// PortSecurityPortHasSecurityGroup is neutron_lib's class of that name.
func PortSecurityPortHasSecurityGroup() *Error {
	return New("PortSecurityPortHasSecurityGroup", "Port has security group associated. Cannot disable port security or IP address until security group is removed.")
}

// SubnetNotFound is neutron_lib's SubnetNotFound.
func SubnetNotFound(id string) *Error {
	return New("SubnetNotFound", "Subnet %s could not be found.", id)
}

// PortNotFound is neutron_lib's PortNotFound.
func PortNotFound(id string) *Error { return New("PortNotFound", "Port %s could not be found.", id) }
