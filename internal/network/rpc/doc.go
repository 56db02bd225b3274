// Package rpc owns the messages the network controller (the ML2 plugin in
// internal/network) and the network agents (L2, DHCP, L3, metadata, in
// internal/agent/network) exchange over the bus (internal/bus), and the
// subjects they use: the contract described in
// docs/network-agent-contract.md. It mirrors Neutron's agent RPC APIs
// (report_state, get_devices_details_list_and_failed_devices,
// security_group_info_for_devices, get_network_info, sync_routers and the
// agent notifier casts) as versioned JSON types. It holds only types,
// subject names and validation helpers, so agents import no controller
// code; it may import internal/bus, internal/errs and the standard library.
package rpc
