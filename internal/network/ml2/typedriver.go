package ml2

import "github.com/monostack/monostack/internal/db"

// TypeDriver manages the segments of one network type (Neutron's
// ML2TypeDriver). Calls taking a transaction run inside the caller's write
// transaction.
type TypeDriver interface {
	Type() string
	// Validate checks a provider segment (validate_provider_segment).
	Validate(tx *db.Tx, s Segment) error
	// IsPartial says whether the segment leaves the id to the driver.
	IsPartial(s Segment) bool
	// Reserve takes a provider segment, choosing what it leaves open.
	Reserve(tx *db.Tx, s Segment, project string) (Segment, error)
	// AllocateTenant takes a free segment for a project network; false
	// when none is left or the type has no tenant segments.
	AllocateTenant(tx *db.Tx, segmentID, project string) (Segment, bool, error)
	// Release returns a segment's id.
	Release(tx *db.Tx, s Segment) error
	// MTU is the largest MTU of a segment on physnet.
	MTU(physnet string) int
}

// Encapsulation overheads (Neutron's p_const) over an IPv4 underlay.
const (
	ipv4Header    = 20
	vxlanOverhead = 30
	greOverhead   = 22
)

// driversFor builds the type drivers of a configuration.
func driversFor(c Config) map[string]TypeDriver {
	return map[string]TypeDriver{
		TypeLocal: localDriver{},
		TypeFlat:  &flatDriver{networks: c.FlatNetworks, mtu: c.GlobalPhysnetMTU},
		TypeVLAN:  &vlanDriver{physnets: c.VLANRanges, mtu: c.GlobalPhysnetMTU},
		TypeVXLAN: &tunnelDriver{typ: TypeVXLAN, mtu: c.GlobalPhysnetMTU - ipv4Header - vxlanOverhead},
		TypeGRE:   &tunnelDriver{typ: TypeGRE, mtu: c.GlobalPhysnetMTU - ipv4Header - greOverhead},
	}
}
