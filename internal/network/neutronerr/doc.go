// Package neutronerr owns the typed errors of the network service: each
// carries the upstream exception class name (NeutronError's "type") and
// message, and one table maps the class to its HTTP status. It imports only
// internal/errs and the standard library, so the ML2 drivers, IPAM and the
// API handlers can all return them.
package neutronerr
