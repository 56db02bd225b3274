// Package network is the Neutron v2.0 API (port 9696, catalog type
// "network") and its ML2 plugin: networks with provider and multi-provider
// segments, segments, network segment ranges, tags and the extensions
// list, with the list machinery (filters, fields, sorting, pagination) and
// standard attributes every resource reuses. Type and mechanism drivers
// are in ml2/, errors in neutronerr/; IPAM (ipam/) and the agent contract
// (rpc/) are separate packages. It may import internal/db, internal/httpx,
// internal/policy, internal/auth, internal/errs and its own subpackages,
// never another service.
package network
