// Package computerpc owns the messages the conductor and the compute agents
// exchange over the bus (internal/bus), and the subjects they use: the
// contract that lets `monostack agent --roles compute` run in another
// process or on another host. It holds only types; the conductor lives in
// internal/compute and the agent in internal/agent/compute.
package computerpc
