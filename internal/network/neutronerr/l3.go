package neutronerr

import "net/http"

func init() {
	for typ, status := range map[string]int{
		"RouterNotFound":                         http.StatusNotFound,
		"RouterInUse":                            http.StatusConflict,
		"RouterInterfaceNotFound":                http.StatusNotFound,
		"RouterInterfaceNotFoundForSubnet":       http.StatusNotFound,
		"RouterInterfaceInUseByFloatingIP":       http.StatusConflict,
		"RouterInterfaceInUseByRoute":            http.StatusConflict,
		"RouterExternalGatewayInUseByFloatingIp": http.StatusConflict,
		"FloatingIPNotFound":                     http.StatusNotFound,
		"ExternalGatewayForFloatingIPNotFound":   http.StatusNotFound,
		"FloatingIPPortAlreadyAssociated":        http.StatusConflict,
		"ServicePortInUse":                       http.StatusConflict,
		"SubnetMismatchForPort":                  http.StatusBadRequest,
		"ExternalIpAddressExhausted":             http.StatusBadRequest,
		"InvalidRoutes":                          http.StatusBadRequest,
		"RoutesExhausted":                        http.StatusBadRequest,
	} {
		Register(typ, status)
	}
}

// RouterNotFound is neutron_lib's l3 RouterNotFound.
func RouterNotFound(id string) *Error {
	return New("RouterNotFound", "Router %s could not be found", id)
}

// RouterInUse is neutron_lib's l3 RouterInUse.
func RouterInUse(id, reason string) *Error {
	return New("RouterInUse", "Router %s %s", id, reason)
}

// RouterInterfaceNotFound is neutron_lib's class of that name.
func RouterInterfaceNotFound(routerID, portID string) *Error {
	return New("RouterInterfaceNotFound", "Router %s does not have an interface with id %s", routerID, portID)
}

// RouterInterfaceNotFoundForSubnet is neutron_lib's class of that name.
func RouterInterfaceNotFoundForSubnet(routerID, subnetID string) *Error {
	return New("RouterInterfaceNotFoundForSubnet", "Router %s has no interface on subnet %s", routerID, subnetID)
}

// RouterInterfaceInUseByFloatingIP is neutron_lib's class of that name.
func RouterInterfaceInUseByFloatingIP(routerID, subnetID string) *Error {
	return New("RouterInterfaceInUseByFloatingIP", "Router interface for subnet %s on router %s cannot be deleted, as it is required by one or more floating IPs.", subnetID, routerID)
}

// RouterInterfaceInUseByRoute is neutron_lib's class of that name.
func RouterInterfaceInUseByRoute(routerID, subnetID string) *Error {
	return New("RouterInterfaceInUseByRoute", "Router interface for subnet %s on router %s cannot be deleted, as it is required by one or more routes.", subnetID, routerID)
}

// RouterExternalGatewayInUseByFloatingIp is neutron_lib's class of that name.
func RouterExternalGatewayInUseByFloatingIp(routerID, netID string) *Error {
	return New("RouterExternalGatewayInUseByFloatingIp", "Gateway cannot be updated for router %s, since a gateway to external network %s is required by one or more floating IPs.", routerID, netID)
}

// FloatingIPNotFound is neutron_lib's class of that name.
func FloatingIPNotFound(id string) *Error {
	return New("FloatingIPNotFound", "Floating IP %s could not be found", id)
}

// ExternalGatewayForFloatingIPNotFound is neutron_lib's class of that name.
func ExternalGatewayForFloatingIPNotFound(extNetID, subnetID, portID string) *Error {
	return New("ExternalGatewayForFloatingIPNotFound", "External network %s is not reachable from subnet %s.  Therefore, cannot associate Port %s with a Floating IP.", extNetID, subnetID, portID)
}

// FloatingIPPortAlreadyAssociated is neutron_lib's class of that name.
func FloatingIPPortAlreadyAssociated(fipAddress, fipID, portID, fixedIP, netID string) *Error {
	return New("FloatingIPPortAlreadyAssociated", "Cannot associate floating IP %s (%s) with port %s using fixed IP %s, as that fixed IP already has a floating IP on external network %s.", fipAddress, fipID, portID, fixedIP, netID)
}

// ServicePortInUse is neutron_lib's class of that name.
func ServicePortInUse(portID, reason string) *Error {
	return New("ServicePortInUse", "Port %s cannot be deleted directly via the port API: %s.", portID, reason)
}

// SubnetMismatchForPort is neutron_lib's class of that name.
func SubnetMismatchForPort(portID, subnetID string) *Error {
	return New("SubnetMismatchForPort", "Subnet on port %s does not match the requested subnet %s.", portID, subnetID)
}

// ExternalIpAddressExhausted is neutron_lib's class of that name.
func ExternalIpAddressExhausted(netID string) *Error {
	return New("ExternalIpAddressExhausted", "Unable to find any IP address on external network %s.", netID)
}

// InvalidRoutes is neutron_lib's extraroute InvalidRoutes.
func InvalidRoutes(routes, reason string) *Error {
	return New("InvalidRoutes", "Invalid format for routes: %s, %s", routes, reason)
}

// RoutesExhausted is neutron_lib's extraroute RoutesExhausted.
func RoutesExhausted(routerID string, max int) *Error {
	return New("RoutesExhausted", "Unable to complete operation for %s. The number of routes exceeds the maximum %d.", routerID, max)
}
