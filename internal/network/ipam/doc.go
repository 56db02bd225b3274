// Package ipam is Neutron's address management as pure logic: subnet
// attribute validation and conversion (neutron_lib validators), subnet
// validation (_validate_subnet, ipam_backend_mixin), default gateway and
// allocation pools, fixed-IP resolution, IPv6 address modes and EUI-64,
// next-address selection over pools, and subnet-pool prefix allocation
// with address-scope checks (subnet_alloc.py).
//
// It has no database and no HTTP: callers load what the rules need (the
// network's subnet cidrs, used addresses, a pool's allocated prefixes)
// inside their transaction, call these functions, and store the result.
// Nothing here reads the clock or a random source; Pick takes one.
//
// Every error is a *neutronerr.Error whose Type is the upstream exception
// class and whose Message is the upstream text, so the service writes it as
// a NeutronError body unchanged; errors.go registers each class's status.
// Attribute-level checks (Validate*Attr) return a reason string, as
// neutron_lib validators do, for the service's attribute map to wrap in
// "Invalid input for <attr>. Reason: <reason>.".
//
// It imports only the standard library and internal/network/neutronerr.
package ipam
