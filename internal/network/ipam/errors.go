package ipam

import (
	"fmt"
	"net/http"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

// statuses are the classes raised here with their FAULT_MAP status.
var statuses = map[string]int{
	"InvalidAllocationPool":              http.StatusBadRequest,
	"OutOfBoundsAllocationPool":          http.StatusBadRequest,
	"OverlappingAllocationPools":         http.StatusConflict,
	"GatewayConflictWithAllocationPools": http.StatusConflict,
	"GatewayIpInUse":                     http.StatusConflict,
	"InvalidIpForSubnet":                 http.StatusBadRequest,
	"InvalidIpForNetwork":                http.StatusBadRequest,
	"IpAddressGenerationFailure":         http.StatusConflict,
	"IpAddressAlreadyAllocated":          http.StatusConflict,
	"IpAddressInUse":                     http.StatusConflict,
	"AllocationOnAutoAddressSubnet":      http.StatusBadRequest,
	"DNSNameServersExhausted":            http.StatusBadRequest,
	"HostRoutesExhausted":                http.StatusBadRequest,
	"SubnetAllocationError":              http.StatusInternalServerError,
	"MinPrefixSubnetAllocationError":     http.StatusBadRequest,
	"MaxPrefixSubnetAllocationError":     http.StatusBadRequest,
	"IllegalSubnetPoolPrefixBounds":      http.StatusBadRequest,
	"UnsupportedMinSubnetPoolPrefix":     http.StatusBadRequest,
	"PrefixVersionMismatch":              http.StatusBadRequest,
	"EmptySubnetPoolPrefixList":          http.StatusBadRequest,
	"IllegalSubnetPoolPrefixUpdate":      http.StatusBadRequest,
	"AddressScopePrefixConflict":         http.StatusConflict,
	"SubnetPoolQuotaExceeded":            http.StatusConflict,
	"NetworkSubnetPoolAffinityError":     http.StatusBadRequest,
	"NetworkAddressScopeAffinityError":   http.StatusBadRequest,
	"IpamValueInvalid":                   http.StatusConflict,
	"AddressCalculationFailure":          http.StatusInternalServerError,
}

func init() {
	for typ, status := range statuses {
		neutronerr.Register(typ, status)
	}
}

// Error is the error type of this package (an alias, so errors.As with
// *neutronerr.Error finds it).
type Error = neutronerr.Error

func newErr(typ, format string, args ...any) *Error {
	return &Error{Type: typ, Message: fmt.Sprintf(format, args...), Status: statuses[typ]}
}

// InvalidInput is neutron_lib's InvalidInput.
func InvalidInput(msg string) *Error { return neutronerr.InvalidInput(msg) }

// BadRequest is neutron_lib's BadRequest for a resource ("subnets").
func BadRequest(resource, msg string) *Error { return neutronerr.BadRequest(resource, msg) }

// InvalidAllocationPool is neutron_lib's InvalidAllocationPool.
func InvalidAllocationPool(pool string) *Error {
	return newErr("InvalidAllocationPool", "The allocation pool %s is not valid.", pool)
}

// OutOfBoundsAllocationPool is neutron_lib's OutOfBoundsAllocationPool.
func OutOfBoundsAllocationPool(pool Pool, cidr string) *Error {
	return newErr("OutOfBoundsAllocationPool", "The allocation pool %s spans beyond the subnet cidr %s.", pool, cidr)
}

// OverlappingAllocationPools is neutron_lib's OverlappingAllocationPools.
func OverlappingAllocationPools(p1, p2 Pool, cidr string) *Error {
	return newErr("OverlappingAllocationPools", "Found overlapping allocation pools: %s %s for subnet %s.", p1, p2, cidr)
}

// GatewayConflictWithAllocationPools is neutron_lib's class of that name.
func GatewayConflictWithAllocationPools(pool Pool, ip string) *Error {
	return newErr("GatewayConflictWithAllocationPools", "Gateway ip %s conflicts with allocation pool %s.", ip, pool)
}

// GatewayIpInUse is neutron_lib's GatewayIpInUse (a subnet update moving
// a gateway a router port holds; the caller checks the port).
func GatewayIpInUse(ip, portID string) *Error {
	return newErr("GatewayIpInUse", "Current gateway ip %s already in use by port %s. Unable to update.", ip, portID)
}

// InvalidIpForSubnet is neutron_lib's InvalidIpForSubnet (port API).
func InvalidIpForSubnet(ip string) *Error {
	return newErr("InvalidIpForSubnet", "IP address %s is not a valid IP for the specified subnet.", ip)
}

// InvalidIpForSubnetIPAM is the IPAM driver's InvalidIpForSubnet.
func InvalidIpForSubnetIPAM(ip, subnetID string) *Error {
	return newErr("InvalidIpForSubnet", "IP address %s does not belong to subnet %s", ip, subnetID)
}

// InvalidIpForNetwork is neutron_lib's InvalidIpForNetwork.
func InvalidIpForNetwork(ip string) *Error {
	return newErr("InvalidIpForNetwork", "IP address %s is not a valid IP for any of the subnets on the specified network.", ip)
}

// IpAddressGenerationFailure is neutron_lib's exhaustion error, the one a
// port create returns when no subnet of the network has a free address.
func IpAddressGenerationFailure(networkID string) *Error {
	return newErr("IpAddressGenerationFailure", "No more IP addresses available on network %s.", networkID)
}

// IpAddressGenerationFailureSubnet is the IPAM driver's per-subnet one.
func IpAddressGenerationFailureSubnet(subnetID string) *Error {
	return newErr("IpAddressGenerationFailure", "No more IP addresses available for subnet %s.", subnetID)
}

// IpAddressAlreadyAllocated is the IPAM driver's duplicate-address error.
func IpAddressAlreadyAllocated(ip, subnetID string) *Error {
	return newErr("IpAddressAlreadyAllocated", "IP address %s already allocated in subnet %s", ip, subnetID)
}

// IpAddressInUse is neutron_lib's IpAddressInUse.
func IpAddressInUse(networkID, ip string) *Error {
	return newErr("IpAddressInUse", "Unable to complete operation for network %s. The IP address %s is in use.", networkID, ip)
}

// AllocationOnAutoAddressSubnet is raised for an ip_address on a SLAAC or
// DHCPv6-stateless subnet.
func AllocationOnAutoAddressSubnet(ip, subnetID string) *Error {
	return newErr("AllocationOnAutoAddressSubnet", "IPv6 address %s cannot be directly assigned to a port on subnet %s as the subnet is configured for automatic addresses", ip, subnetID)
}

// DNSNameServersExhausted is neutron_lib's DNSNameServersExhausted.
func DNSNameServersExhausted(subnetID string, quota int) *Error {
	return newErr("DNSNameServersExhausted", "Unable to complete operation for %s. The number of DNS nameservers exceeds the limit %d.", subnetID, quota)
}

// HostRoutesExhausted is neutron_lib's HostRoutesExhausted.
func HostRoutesExhausted(subnetID string, quota int) *Error {
	return newErr("HostRoutesExhausted", "Unable to complete operation for %s. The number of host routes exceeds the limit %d.", subnetID, quota)
}

// SubnetAllocationError is neutron_lib's SubnetAllocationError (a 500
// upstream: its base class is not in the fault map).
func SubnetAllocationError(reason string) *Error {
	return newErr("SubnetAllocationError", "Failed to allocate subnet: %s.", reason)
}

// MinPrefixSubnetAllocationError is neutron_lib's class of that name.
func MinPrefixSubnetAllocationError(prefixlen, minPrefixlen int) *Error {
	return newErr("MinPrefixSubnetAllocationError", "Unable to allocate subnet with prefix length %d, minimum allowed prefix is %d.", prefixlen, minPrefixlen)
}

// MaxPrefixSubnetAllocationError is neutron_lib's class of that name.
func MaxPrefixSubnetAllocationError(prefixlen, maxPrefixlen int) *Error {
	return newErr("MaxPrefixSubnetAllocationError", "Unable to allocate subnet with prefix length %d, maximum allowed prefix is %d.", prefixlen, maxPrefixlen)
}

// IllegalSubnetPoolPrefixBounds is neutron_lib's class of that name.
func IllegalSubnetPoolPrefixBounds(typ string, prefixlen int, baseTyp string, base int) *Error {
	return newErr("IllegalSubnetPoolPrefixBounds", "Illegal prefix bounds: %s=%d, %s=%d.", typ, prefixlen, baseTyp, base)
}

// UnsupportedMinSubnetPoolPrefix is neutron_lib's class of that name.
func UnsupportedMinSubnetPoolPrefix(prefix, version int) *Error {
	return newErr("UnsupportedMinSubnetPoolPrefix", "Prefix '%d' not supported in IPv%d pool.", prefix, version)
}

// PrefixVersionMismatch is neutron_lib's PrefixVersionMismatch.
func PrefixVersionMismatch() *Error {
	return newErr("PrefixVersionMismatch", "Cannot mix IPv4 and IPv6 prefixes in a subnet pool.")
}

// EmptySubnetPoolPrefixList is neutron_lib's EmptySubnetPoolPrefixList.
func EmptySubnetPoolPrefixList() *Error {
	return newErr("EmptySubnetPoolPrefixList", "Empty subnet pool prefix list.")
}

// IllegalSubnetPoolPrefixUpdate is neutron_lib's class of that name.
func IllegalSubnetPoolPrefixUpdate(msg string) *Error {
	return newErr("IllegalSubnetPoolPrefixUpdate", "Illegal update to prefixes: %s.", msg)
}

// AddressScopePrefixConflict is neutron_lib's AddressScopePrefixConflict.
func AddressScopePrefixConflict() *Error {
	return newErr("AddressScopePrefixConflict", "Failed to associate address scope: subnetpools within an address scope must have unique prefixes.")
}

// SubnetPoolQuotaExceeded is neutron_lib's SubnetPoolQuotaExceeded.
func SubnetPoolQuotaExceeded() *Error {
	return newErr("SubnetPoolQuotaExceeded", "Per-tenant subnet pool prefix quota exceeded.")
}

// NetworkSubnetPoolAffinityError is neutron_lib's class of that name.
func NetworkSubnetPoolAffinityError() *Error {
	return newErr("NetworkSubnetPoolAffinityError", "Subnets hosted on the same network must be allocated from the same subnet pool.")
}

// NetworkAddressScopeAffinityError is neutron_lib's class of that name.
func NetworkAddressScopeAffinityError() *Error {
	return newErr("NetworkAddressScopeAffinityError", "Subnets of the same address family hosted on the same network must all participate in the same address scope.")
}

// AddressCalculationFailure is the IPAM driver's EUI-64 failure.
func AddressCalculationFailure(addrType, reason string) *Error {
	return newErr("AddressCalculationFailure", "Unable to calculate %s address because of:%s", addrType, reason)
}

// IllegalSubnetPoolAssociationToAddressScope is neutron_lib's class.
func IllegalSubnetPoolAssociationToAddressScope(poolID, scopeID string) *Error {
	return newErr("IllegalSubnetPoolAssociationToAddressScope", "Illegal subnetpool association: subnetpool %s cannot be associated with address scope %s.", poolID, scopeID)
}

// IllegalSubnetPoolIpVersionAssociationToAddressScope is neutron_lib's class.
func IllegalSubnetPoolIpVersionAssociationToAddressScope(poolID, scopeID string, version int) *Error {
	return newErr("IllegalSubnetPoolIpVersionAssociationToAddressScope", "Illegal subnetpool association: subnetpool %s cannot associate with address scope %s because subnetpool ip_version is not %d.", poolID, scopeID, version)
}
