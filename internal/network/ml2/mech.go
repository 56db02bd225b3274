package ml2

import (
	"context"

	"github.com/monostack/monostack/internal/db"
)

// Op is what happened to a resource.
type Op string

// The operations mechanism drivers hear about.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
)

// Kind is the resource a change is about.
type Kind string

// The resources mechanism drivers hear about.
const (
	KindNetwork Kind = "network"
	KindSubnet  Kind = "subnet"
	KindPort    Kind = "port"
)

// Change is one resource change as mechanism drivers see it (Neutron's
// NetworkContext, SubnetContext, PortContext): the resource after the
// change and, for updates, before it, as their API dicts, and the
// network's segments.
type Change struct {
	Op       Op
	Kind     Kind
	Current  map[string]any
	Original map[string]any
	Segments []Segment
	// Routers are the routers whose floating IPs or port forwardings the
	// change took away (a port delete), for the L3 agents' notification.
	Routers []string
}

// MechanismDriver is told of every change: Precommit inside the write
// transaction (an error rolls it back), Postcommit after commit (an error
// is logged; for creates Neutron then deletes the resource).
type MechanismDriver interface {
	Name() string
	Precommit(tx *db.Tx, c *Change) error
	Postcommit(ctx context.Context, c *Change) error
}

// Binding is the result of binding a port to a segment.
type Binding struct {
	SegmentID  string
	VIFType    string
	VIFDetails map[string]any
}

// PortBinder is a mechanism driver that can bind ports (optional).
type PortBinder interface {
	// BindPort picks one of segments for a port on host with vnicType;
	// false when the driver cannot bind it.
	BindPort(host, vnicType string, port map[string]any, segments []Segment) (Binding, bool)
}
