// Package compute is Nova: the v2.1 API with microversions (port 8774),
// the instance state machine, and the conductor that turns API requests
// into scheduled, placed and built instances by talking to placement and,
// over the bus, to compute agents. It owns the compute_* tables. It talks
// to placement, the image service and the network service only through the
// small interfaces in deps.go.
package compute
