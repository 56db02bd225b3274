package ml2

import (
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// flatDriver is the flat type: one untagged network per physical network.
type flatDriver struct {
	networks []string // "*" allows any physical network; empty disables flat
	mtu      int
}

func (d *flatDriver) Type() string { return TypeFlat }

func (d *flatDriver) Validate(_ *db.Tx, s Segment) error {
	switch {
	case s.PhysNet == "":
		return neutronerr.InvalidInput("physical_network required for flat provider network")
	case len(d.networks) == 0:
		return neutronerr.InvalidInput("Flat provider networks are disabled")
	case !slices.Contains(d.networks, "*") && !slices.Contains(d.networks, s.PhysNet):
		return neutronerr.InvalidInput("physical_network '" + s.PhysNet + "' unknown for flat provider network")
	case s.HasID && s.SegID != 0:
		return neutronerr.InvalidInput("segmentation_id prohibited for flat provider network")
	}
	return nil
}

func (d *flatDriver) IsPartial(Segment) bool { return false }

func (d *flatDriver) Reserve(tx *db.Tx, s Segment, _ string) (Segment, error) {
	ok, err := reserve(tx, TypeFlat, s.PhysNet, 0, s.ID)
	if err != nil {
		return s, err
	}
	if !ok {
		return s, neutronerr.FlatNetworkInUse(s.PhysNet)
	}
	s.HasID, s.SegID, s.MTU = false, 0, d.MTU(s.PhysNet)
	return s, nil
}

// AllocateTenant: project flat networks are not supported.
func (d *flatDriver) AllocateTenant(*db.Tx, string, string) (Segment, bool, error) {
	return Segment{}, false, nil
}

func (d *flatDriver) Release(tx *db.Tx, s Segment) error { return release(tx, TypeFlat, s.PhysNet, 0) }

func (d *flatDriver) MTU(string) int { return d.mtu }
