package ml2

// Network types.
const (
	TypeLocal = "local"
	TypeFlat  = "flat"
	TypeVLAN  = "vlan"
	TypeVXLAN = "vxlan"
	TypeGRE   = "gre"
)

// Segment is one L2 segment of a network. PhysNet "" and HasID false
// stand for Neutron's None.
type Segment struct {
	ID      string // the segment's uuid, once stored
	Type    string
	PhysNet string
	SegID   int64
	HasID   bool
	MTU     int
}

// WithID returns s with segmentation id id.
func (s Segment) WithID(id int64) Segment {
	s.SegID, s.HasID = id, true
	return s
}
