// Package compute is the compute agent: for each host it serves, it
// heartbeats, registers the host's node with the conductor, runs the
// operations the conductor sends through the hypervisor driver and reports
// their results, reconciles the guests the host runs with those that
// belong there, and reports power states. It talks to controllers only
// over the bus (internal/computerpc); it has no database.
package compute
