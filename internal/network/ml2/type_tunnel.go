package ml2

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// tunnelDriver is an overlay type (vxlan, gre): ids from tunnel ranges.
type tunnelDriver struct {
	typ string
	mtu int
}

func (d *tunnelDriver) Type() string { return d.typ }

func (d *tunnelDriver) Validate(_ *db.Tx, s Segment) error {
	if s.PhysNet != "" {
		return neutronerr.InvalidInput("provider:physical_network specified for " + d.typ + " network")
	}
	return nil
}

func (d *tunnelDriver) IsPartial(s Segment) bool { return !s.HasID }

func (d *tunnelDriver) Reserve(tx *db.Tx, s Segment, project string) (Segment, error) {
	if !s.HasID {
		got, ok, err := d.AllocateTenant(tx, s.ID, project)
		if err == nil && !ok {
			err = neutronerr.NoNetworkAvailable()
		}
		return got, err
	}
	ok, err := reserve(tx, d.typ, "", s.SegID, s.ID)
	if err != nil {
		return s, err
	}
	if !ok {
		return s, neutronerr.TunnelIdInUse(s.SegID)
	}
	s.MTU = d.mtu
	return s, nil
}

func (d *tunnelDriver) AllocateTenant(tx *db.Tx, segmentID, project string) (Segment, bool, error) {
	pools, err := tenantRanges(tx, d.typ, "", project)
	if err != nil {
		return Segment{}, false, err
	}
	_, id, ok, err := allocateFrom(tx, d.typ, pools, segmentID)
	if err != nil || !ok {
		return Segment{}, false, err
	}
	return Segment{ID: segmentID, Type: d.typ, SegID: id, HasID: true, MTU: d.mtu}, true, nil
}

func (d *tunnelDriver) Release(tx *db.Tx, s Segment) error { return release(tx, d.typ, "", s.SegID) }

func (d *tunnelDriver) MTU(string) int { return d.mtu }
