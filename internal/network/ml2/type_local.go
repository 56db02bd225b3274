package ml2

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// localDriver is the local type: a segment on one host, nothing to allocate.
type localDriver struct{}

func (localDriver) Type() string { return TypeLocal }

func (localDriver) Validate(_ *db.Tx, s Segment) error {
	if s.PhysNet != "" {
		return neutronerr.InvalidInput("physical_network prohibited for local provider network")
	}
	if s.HasID && s.SegID != 0 {
		return neutronerr.InvalidInput("segmentation_id prohibited for local provider network")
	}
	return nil
}

func (localDriver) IsPartial(Segment) bool { return false }

func (d localDriver) Reserve(_ *db.Tx, s Segment, _ string) (Segment, error) {
	s.MTU = d.MTU("")
	return s, nil
}

func (d localDriver) AllocateTenant(_ *db.Tx, segmentID, _ string) (Segment, bool, error) {
	return Segment{ID: segmentID, Type: TypeLocal, MTU: d.MTU("")}, true, nil
}

func (localDriver) Release(*db.Tx, Segment) error { return nil }

// MTU is 0: Neutron's local driver has none, so the network gets the
// global physnet MTU.
func (localDriver) MTU(string) int { return 0 }
