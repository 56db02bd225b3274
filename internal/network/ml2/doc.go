// Package ml2 is the network service's Modular Layer 2 control plane: type
// drivers (local, flat, vlan, vxlan, gre) that validate and allocate network
// segments from configured ranges, and mechanism drivers that are told of
// every network, subnet and port change before and after commit. Segment
// allocations live in the database (network_segment_allocations), written
// inside the caller's transaction, so no id is handed out twice even by
// processes sharing one database. It imports internal/db,
// internal/network/neutronerr and the standard library.
package ml2
