// Package placement is the Placement API 1.x (up to 1.39, Zed): resource
// providers and their trees, inventories, resource classes, traits,
// aggregates, consumers and allocations, usages, allocation candidates and
// the reshaper. It serves HTTP (Handler) and an in-process API the compute
// conductor and agent call directly (api.go), both on one implementation.
//
// Allocations are the only record of used capacity: every write of them
// locks the providers it touches (bumping their generations in uuid order)
// and checks capacity inside the same transaction, so concurrent claims
// never overcommit on SQLite (one writer) nor on PostgreSQL (row locks).
// Allocation candidates read one snapshot (one query per table) and are
// assembled in memory.
//
// It may import internal/db, internal/httpx, internal/errs, internal/auth,
// internal/policy, internal/pyrepr and api/placement; nothing imports it
// but internal/app (and in-process callers through its exported methods).
package placement
