// Package scheduler is Nova's filter scheduler as pure functions: filters
// and weighers over host snapshots the conductor builds, and the placement
// query a request turns into. It reads no database and sends no message.
package scheduler
