// Package fake is the fake hypervisor: guests live in memory with real
// state transitions and power states, operations can be delayed and made
// to fail on demand, and one process can run many fake hosts.
package fake
