// Package bus owns the message bus between monostack's processes: an
// embedded NATS server for the all-in-one, connections to an external NATS
// for scale-out, request/reply calls and casts carrying versioned JSON
// envelopes, error codes that cross the bus in place of strings, request-id
// propagation, and service heartbeats with a liveness tracker.
//
// Subjects and message types belong to the services that use them; this
// package knows none of them except the heartbeat. It may import NATS,
// internal/errs (the kind ↔ code table) and internal/httpx (request ids).
package bus
