package network

import (
	"net/http"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) createRange(w http.ResponseWriter, r *http.Request) error {
	items, _, err := s.decodeBody(r, rangeResource, true)
	if err != nil {
		return err
	}
	item := items[0]
	if err := s.enforce(r, "create_network_segment_range", item, nil); err != nil {
		return err
	}
	var m map[string]any
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		g, err := s.newRange(tx, item)
		if err != nil {
			return err
		}
		m, err = rangeDict(tx, g)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"network_segment_range": m})
}

// newRange validates and stores a range (create_network_segment_range).
func (s *Service) newRange(tx *db.Tx, item map[string]any) (*segRange, error) {
	now := micros(s.now())
	g := &segRange{ID: s.newID(), Std: StdAttrs{CreatedAt: now, UpdatedAt: now}, Shared: true}
	g.Name, _ = item["name"].(string)
	g.Type, _ = item["network_type"].(string)
	g.Std.Description, _ = item["description"].(string)
	if v, ok := item["shared"].(bool); ok {
		g.Shared = v
	}
	if p, ok := item["project_id"].(string); ok && !g.Shared {
		g.ProjectID = &p
	}
	if g.Type == ml2.TypeVLAN {
		g.PhysNet, _ = item["physical_network"].(string)
	}
	g.Min, _ = item["minimum"].(int64)
	g.Max, _ = item["maximum"].(int64)
	if !s.rangeTypeSupported(g.Type) {
		return nil, neutronerr.New("NetworkSegmentRangeNetTypeNotSupported", "Network type %s does not support network segment ranges.", g.Type)
	}
	if err := checkRangeBounds(g.Type, g.Min, g.Max); err != nil {
		return nil, err
	}
	if err := checkOverlap(tx, g); err != nil {
		return nil, err
	}
	_, err := tx.Exec(`INSERT INTO network_segment_ranges (`+rangeCols+`) VALUES (?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
		g.ID, g.Name, g.Shared, g.ProjectID, g.Type, nilIfEmpty(g.PhysNet), g.Min, g.Max, g.Std.Description, now, now)
	return g, err
}

// rangeTypeSupported: a loaded type driver of a segment-range type.
func (s *Service) rangeTypeSupported(typ string) bool {
	_, err := s.types.Driver(typ)
	return err == nil && (typ == ml2.TypeVLAN || typ == ml2.TypeVXLAN || typ == ml2.TypeGRE)
}

// checkOverlap refuses a range overlapping a non-default one.
func checkOverlap(tx *db.Tx, g *segRange) error {
	ids, err := tx.Strings(`SELECT id FROM network_segment_ranges WHERE is_default = FALSE AND network_type = ?
		AND COALESCE(physical_network, '') = ? AND minimum <= ? AND maximum >= ? AND id <> ? ORDER BY id`,
		g.Type, g.PhysNet, g.Max, g.Min, g.ID)
	if err != nil || len(ids) == 0 {
		return err
	}
	return neutronerr.New("NetworkSegmentRangeOverlaps", "Network segment range overlaps with range(s) with id %s", strings.Join(ids, ", "))
}

func (s *Service) updateRange(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("range_id")
	items, _, err := s.decodeBody(r, rangeResource, false)
	if err != nil {
		return err
	}
	var m map[string]any
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		g, err := s.writableRange(r, tx, id, "update_network_segment_range")
		if err != nil {
			return err
		}
		if err := s.applyRangeUpdate(tx, g, items[0]); err != nil {
			return err
		}
		m, err = rangeDict(tx, g)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"network_segment_range": m})
}

// writableRange reads a non-default range for an update or delete.
func (s *Service) writableRange(r *http.Request, tx *db.Tx, id, action string) (*segRange, error) {
	if err := s.enforce(r, action, map[string]any{}, nil); err != nil {
		return nil, err
	}
	g, err := getRange(tx, id)
	if err != nil {
		return nil, err
	}
	if err := checkRevision(r, g.Std.Revision); err != nil {
		return nil, err
	}
	if g.Default {
		return nil, neutronerr.New("NetworkSegmentRangeDefaultReadOnly", "Network Segment Range %s is a default segment range which could not be updated or deleted.", id)
	}
	return g, nil
}

// applyRangeUpdate changes name, description and bounds; the bounds may
// not leave allocated ids outside.
func (s *Service) applyRangeUpdate(tx *db.Tx, g *segRange, item map[string]any) error {
	min, max := g.Min, g.Max
	if v, ok := item["minimum"].(int64); ok {
		min = v
	}
	if v, ok := item["maximum"].(int64); ok {
		max = v
	}
	if min != g.Min || max != g.Max {
		used, err := usedInRange(tx, g)
		if err != nil {
			return err
		}
		for idText := range used {
			var id int64
			_, _ = fmtSscan(idText, &id)
			if id < min || id > max {
				return neutronerr.New("NetworkSegmentRangeReferencedByProject", "Network Segment Range %s is referenced by one or more tenant networks.", g.ID)
			}
		}
		if err := checkRangeBounds(g.Type, min, max); err != nil {
			return err
		}
	}
	g.Min, g.Max = min, max
	if v, ok := item["name"].(string); ok {
		g.Name = v
	}
	if v, ok := item["description"].(string); ok {
		g.Std.Description = v
	}
	g.Std.UpdatedAt, g.Std.Revision = micros(s.now()), g.Std.Revision+1
	tags, err := loadTags(tx, "network_segment_ranges", []string{g.ID})
	if err != nil {
		return err
	}
	g.Std.Tags = tags[g.ID]
	_, err = tx.Exec(`UPDATE network_segment_ranges SET name = ?, description = ?, minimum = ?, maximum = ?,
		updated_at = ?, revision_number = ? WHERE id = ?`, g.Name, g.Std.Description, g.Min, g.Max,
		g.Std.UpdatedAt, g.Std.Revision, g.ID)
	return err
}

func (s *Service) deleteRange(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("range_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		g, err := s.writableRange(r, tx, id, "delete_network_segment_range")
		if err != nil {
			return err
		}
		used, err := usedInRange(tx, g)
		if err != nil {
			return err
		}
		if len(used) > 0 {
			return neutronerr.New("NetworkSegmentRangeReferencedByProject", "Network Segment Range %s is referenced by one or more tenant networks.", id)
		}
		if err := deleteTags(tx, "network_segment_ranges", id); err != nil {
			return err
		}
		_, err = tx.Exec(`DELETE FROM network_segment_ranges WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
