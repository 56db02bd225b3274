package ml2

import (
	"fmt"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// vlanDriver is the vlan type: 802.1Q tags per physical network.
type vlanDriver struct {
	physnets map[string][]Range // configured physical networks (network_vlan_ranges)
	mtu      int
}

func (d *vlanDriver) Type() string { return TypeVLAN }

func (d *vlanDriver) Validate(tx *db.Tx, s Segment) error {
	if s.PhysNet == "" {
		if s.HasID {
			return neutronerr.InvalidInput("segmentation_id requires physical_network for VLAN provider network")
		}
		return nil
	}
	known, err := d.known(tx, s.PhysNet)
	if err != nil {
		return err
	}
	if !known {
		return neutronerr.InvalidInput("physical_network '" + s.PhysNet + "' unknown for VLAN provider network")
	}
	if s.HasID && (s.SegID < MinVLAN || s.SegID > MaxVLAN) {
		return neutronerr.InvalidInput(fmt.Sprintf("segmentation_id out of range (%d through %d)", MinVLAN, MaxVLAN))
	}
	return nil
}

// known says whether physnet is configured or has a segment range.
func (d *vlanDriver) known(tx *db.Tx, physnet string) (bool, error) {
	if _, ok := d.physnets[physnet]; ok {
		return true, nil
	}
	return tx.Exists(`SELECT 1 FROM network_segment_ranges WHERE network_type = ? AND physical_network = ?`,
		TypeVLAN, physnet)
}

func (d *vlanDriver) IsPartial(s Segment) bool { return !s.HasID }

func (d *vlanDriver) Reserve(tx *db.Tx, s Segment, project string) (Segment, error) {
	if s.HasID {
		ok, err := reserve(tx, TypeVLAN, s.PhysNet, s.SegID, s.ID)
		if err != nil {
			return s, err
		}
		if !ok {
			return s, neutronerr.VlanIdInUse(s.SegID, s.PhysNet)
		}
		s.MTU = d.MTU(s.PhysNet)
		return s, nil
	}
	got, ok, err := d.allocate(tx, s.ID, s.PhysNet, project)
	if err == nil && !ok {
		err = neutronerr.NoNetworkAvailable()
	}
	return got, err
}

func (d *vlanDriver) AllocateTenant(tx *db.Tx, segmentID, project string) (Segment, bool, error) {
	return d.allocate(tx, segmentID, "", project)
}

func (d *vlanDriver) allocate(tx *db.Tx, segmentID, physnet, project string) (Segment, bool, error) {
	pools, err := tenantRanges(tx, TypeVLAN, physnet, project)
	if err != nil {
		return Segment{}, false, err
	}
	p, id, ok, err := allocateFrom(tx, TypeVLAN, pools, segmentID)
	if err != nil || !ok {
		return Segment{}, false, err
	}
	return Segment{ID: segmentID, Type: TypeVLAN, PhysNet: p.PhysNet, SegID: id, HasID: true, MTU: d.MTU(p.PhysNet)}, true, nil
}

func (d *vlanDriver) Release(tx *db.Tx, s Segment) error {
	return release(tx, TypeVLAN, s.PhysNet, s.SegID)
}

func (d *vlanDriver) MTU(string) int { return d.mtu }
