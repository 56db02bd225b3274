package neutronerr

import "net/http"

func init() {
	for typ, status := range map[string]int{
		"SubnetPoolNotFound":                                  http.StatusNotFound,
		"SubnetPoolDeleteError":                               http.StatusBadRequest,
		"IllegalSubnetPoolUpdate":                             http.StatusBadRequest,
		"IllegalSubnetPoolAssociationToAddressScope":          http.StatusBadRequest,
		"IllegalSubnetPoolIpVersionAssociationToAddressScope": http.StatusBadRequest,
		"AddressScopeNotFound":                                http.StatusNotFound,
		"AddressScopeInUse":                                   http.StatusConflict,
		"AddressScopeUpdateError":                             http.StatusBadRequest,
	} {
		Register(typ, status)
	}
}

// SubnetPoolNotFound is neutron_lib's SubnetPoolNotFound.
func SubnetPoolNotFound(id string) *Error {
	return New("SubnetPoolNotFound", "Subnet pool %s could not be found.", id)
}

// SubnetPoolDeleteError is neutron_lib's SubnetPoolDeleteError.
func SubnetPoolDeleteError(reason string) *Error {
	return New("SubnetPoolDeleteError", "Unable to delete subnet pool: %s.", reason)
}

// IllegalSubnetPoolUpdate is neutron_lib's IllegalSubnetPoolUpdate.
func IllegalSubnetPoolUpdate(reason string) *Error {
	return New("IllegalSubnetPoolUpdate", "Illegal subnetpool update : %s.", reason)
}

// IllegalSubnetPoolAssociationToAddressScope is neutron_lib's class.
func IllegalSubnetPoolAssociationToAddressScope(poolID, scopeID string) *Error {
	return New("IllegalSubnetPoolAssociationToAddressScope",
		"Illegal subnetpool association: subnetpool %s cannot be associated with address scope %s.", poolID, scopeID)
}

// IllegalSubnetPoolIpVersionAssociationToAddressScope is neutron_lib's class.
func IllegalSubnetPoolIpVersionAssociationToAddressScope(poolID, scopeID string, version int) *Error {
	return New("IllegalSubnetPoolIpVersionAssociationToAddressScope",
		"Illegal subnetpool association: subnetpool %s cannot associate with address scope %s because subnetpool ip_version is not %d.",
		poolID, scopeID, version)
}

// DefaultSubnetPoolExists is the InvalidInput of _check_default_subnetpool_exists.
func DefaultSubnetPoolExists() *Error {
	return InvalidInput("A default subnetpool for this IP family has already been set. Only one default may exist per IP family")
}

// AddressScopeNotFound is neutron_lib's AddressScopeNotFound.
func AddressScopeNotFound(id string) *Error {
	return New("AddressScopeNotFound", "Address scope %s could not be found.", id)
}

// AddressScopeInUse is neutron_lib's AddressScopeInUse.
func AddressScopeInUse(id string) *Error {
	return New("AddressScopeInUse", "Unable to complete operation on address scope %s. There are one or more subnet pools in use on the address scope.", id)
}

// AddressScopeUpdateError is neutron_lib's AddressScopeUpdateError.
func AddressScopeUpdateError(id, reason string) *Error {
	return New("AddressScopeUpdateError", "Unable to update address scope %s : %s.", id, reason)
}
