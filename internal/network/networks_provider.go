package network

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// requestedSegments are the segments a create body asks for (provider
// attributes or multi-provider segments), nil when it asks for none.
func requestedSegments(item map[string]any) ([]ml2.Segment, error) {
	_, t := item[provType]
	_, p := item[provPhysnet]
	_, i := item[provSegID]
	segs, hasSegs := item["segments"].([]any)
	if t || p || i {
		if hasSegs {
			return nil, neutronerr.New("SegmentsSetInConjunctionWithProviders", "Segments and provider values cannot both be set.")
		}
		return []ml2.Segment{segmentOf(item)}, nil
	}
	if !hasSegs {
		return nil, nil
	}
	out := make([]ml2.Segment, 0, len(segs))
	for _, e := range segs {
		out = append(out, segmentOf(e.(map[string]any)))
	}
	return out, nil
}

// segmentOf reads provider attributes.
func segmentOf(m map[string]any) ml2.Segment {
	s := ml2.Segment{}
	s.Type, _ = m[provType].(string)
	s.PhysNet, _ = m[provPhysnet].(string)
	if id, ok := m[provSegID].(int64); ok {
		s.SegID, s.HasID = id, true
	}
	return s
}

// createSegments validates and reserves a new network's segments, or
// allocates a tenant segment when none were asked for.
func (s *Service) createSegments(tx *db.Tx, n *network, asked []ml2.Segment) ([]ml2.Segment, error) {
	if len(asked) == 0 {
		seg, err := s.types.AllocateTenant(tx, s.newID(), n.ProjectID)
		if err != nil {
			return nil, err
		}
		return []ml2.Segment{seg}, nil
	}
	if err := s.types.ValidateProvider(tx, asked); err != nil {
		return nil, err
	}
	for i := range asked {
		asked[i].ID = s.newID()
	}
	return s.types.Reserve(tx, asked, n.ProjectID)
}

// storeSegments writes a network's segment rows.
func storeSegments(tx *db.Tx, n *network, segs []ml2.Segment) error {
	for i, seg := range segs {
		row := &segmentRow{Segment: seg, NetworkID: n.ID, Index: i,
			Std: StdAttrs{CreatedAt: n.Std.CreatedAt, UpdatedAt: n.Std.CreatedAt}}
		if err := insertSegment(tx, row); err != nil {
			return err
		}
	}
	return nil
}

// updateProvider applies provider attributes of an update body
// (_update_provider_network_attributes): only the segmentation id of a
// single-segment VLAN network may change.
func (s *Service) updateProvider(tx *db.Tx, n *network, item map[string]any) error {
	cur := map[string]any{provType: nil, provPhysnet: nil}
	if len(n.Segments) == 1 {
		cur[provType], cur[provPhysnet] = n.Segments[0].Type, nilIfEmpty(n.Segments[0].PhysNet)
	}
	for _, k := range []string{provType, provPhysnet} {
		if v, ok := item[k]; ok && v != nil && !jsonEqual(v, cur[k]) {
			return neutronerr.InvalidInput("Plugin does not support updating the following provider network attributes: provider:network_type, provider:physical_network")
		}
	}
	id, ok := item[provSegID].(int64)
	if !ok || id == 0 {
		return nil
	}
	if len(n.Segments) > 1 {
		return neutronerr.InvalidInput("Provider network attributes can be updated only in provider networks with a single segment.")
	}
	return s.changeSegmentationID(tx, n, id)
}

// changeSegmentationID moves a VLAN network to another tag.
func (s *Service) changeSegmentationID(tx *db.Tx, n *network, id int64) error {
	old := n.Segments[0]
	if old.HasID && old.SegID == id {
		return nil
	}
	if old.Type != ml2.TypeVLAN {
		return neutronerr.InvalidInput("Only VLAN type networks can be updated.")
	}
	next := old.WithID(id)
	if err := s.types.ValidateProvider(tx, []ml2.Segment{next}); err != nil {
		return err
	}
	if _, err := s.types.Reserve(tx, []ml2.Segment{next}, n.ProjectID); err != nil {
		return err
	}
	if err := s.types.Release(tx, []ml2.Segment{old}); err != nil {
		return err
	}
	_, err := tx.Exec(`UPDATE network_segments SET segmentation_id = ?, revision_number = revision_number + 1, updated_at = ? WHERE id = ?`,
		id, n.Std.UpdatedAt, old.ID)
	n.Segments[0] = next
	return err
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
