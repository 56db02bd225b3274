package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// segmentResource is the segment extension's attribute map.
var segmentResource = NewResource("segment", "segments", concat([]Attr{
	{Name: "id", Filter: true, Sort: true},
	{Name: "network_id", Post: true, Required: true, Filter: true, Sort: true, Validate: maxString(36)},
	{Name: "name", Post: true, Put: true, Default: nil, Filter: true, Sort: true, Validate: maxStringOrNone(255)},
	{Name: "network_type", Post: true, Required: true, Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "physical_network", Post: true, Filter: true, Sort: true, Validate: maxStringOrNone(64)},
	{Name: "segmentation_id", Post: true, Filter: true, Sort: true, Convert: toIntOrNone},
}, stdAttrDefs()))

func segmentDict(s *segmentRow) map[string]any {
	m := map[string]any{"id": s.ID, "network_id": s.NetworkID, "name": nil, "network_type": s.Type,
		"physical_network": nilIfEmpty(s.PhysNet), "segmentation_id": nil}
	if s.Name != nil {
		m["name"] = *s.Name
	}
	if s.HasID {
		m["segmentation_id"] = s.SegID
	}
	s.Std.put(m)
	return m
}

func (s *Service) listSegments(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "get_segment", map[string]any{}, nil); err != nil {
		return err
	}
	lq, err := parseListQuery(r, segmentResource)
	if err != nil {
		return err
	}
	var items []map[string]any
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		rows, err := loadSegmentRows(tx, nil)
		if err != nil {
			return err
		}
		items, err = segmentDicts(tx, rows)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeList(w, r, segmentResource, items, lq, nil)
}

// segmentDicts renders segments with their tags.
func segmentDicts(tx *db.Tx, rows []*segmentRow) ([]map[string]any, error) {
	ids := make([]string, len(rows))
	for i, s := range rows {
		ids[i] = s.ID
	}
	tags, err := loadTags(tx, "segments", ids)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(rows))
	for i, s := range rows {
		s.Std.Tags = tags[s.ID]
		out[i] = segmentDict(s)
	}
	return out, nil
}

// readSegment reads a segment an admin may see, for show and tags.
func (s *Service) readSegment(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	if ok, _ := s.allowed(r, "get_segment", map[string]any{}, nil); !ok {
		return nil, neutronerr.SegmentNotFound(id)
	}
	row, err := getSegment(tx, id)
	if err != nil {
		return nil, err
	}
	items, err := segmentDicts(tx, []*segmentRow{row})
	if err != nil {
		return nil, err
	}
	return items[0], nil
}

func (s *Service) showSegment(w http.ResponseWriter, r *http.Request) error {
	var m map[string]any
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		m, err = s.readSegment(r, tx, r.PathValue("segment_id"))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"segment": selectFields(m, nonEmpty(r.URL.Query()["fields"]))})
}

func (s *Service) createSegment(w http.ResponseWriter, r *http.Request) error {
	items, _, err := s.decodeBody(r, segmentResource, true)
	if err != nil {
		return err
	}
	item := items[0]
	if err := s.enforce(r, "create_segment", item, nil); err != nil {
		return err
	}
	var row *segmentRow
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		row, err = s.addSegment(tx, item)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"segment": segmentDict(row)})
}

// addSegment reserves and stores a new segment of an existing network.
func (s *Service) addSegment(tx *db.Tx, item map[string]any) (*segmentRow, error) {
	netID, _ := item["network_id"].(string)
	n, err := getNetwork(tx, netID, "")
	if err != nil {
		return nil, err
	}
	seg := ml2.Segment{ID: s.newID()}
	seg.Type, _ = item["network_type"].(string)
	seg.PhysNet, _ = item["physical_network"].(string)
	if id, ok := item["segmentation_id"].(int64); ok {
		seg.SegID, seg.HasID = id, true
	}
	if err := s.types.ValidateProvider(tx, []ml2.Segment{seg}); err != nil {
		return nil, err
	}
	got, err := s.types.Reserve(tx, []ml2.Segment{seg}, n.ProjectID)
	if err != nil {
		return nil, err
	}
	now := micros(s.now())
	row := &segmentRow{Segment: got[0], NetworkID: netID, Index: len(n.Segments), Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
	if name, ok := item["name"].(string); ok {
		row.Name = &name
	}
	row.Std.Description, _ = item["description"].(string)
	return row, insertSegment(tx, row)
}

func (s *Service) updateSegment(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("segment_id")
	items, _, err := s.decodeBody(r, segmentResource, false)
	if err != nil {
		return err
	}
	var row *segmentRow
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := s.enforce(r, "update_segment", map[string]any{}, nil); err != nil {
			return err
		}
		if row, err = getSegment(tx, id); err != nil {
			return err
		}
		if err := checkRevision(r, row.Std.Revision); err != nil {
			return err
		}
		return s.saveSegmentItem(tx, row, items[0])
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"segment": segmentDict(row)})
}

// saveSegmentItem applies name and description changes.
func (s *Service) saveSegmentItem(tx *db.Tx, row *segmentRow, item map[string]any) error {
	if v, ok := item["name"]; ok {
		row.Name = nil
		if name, ok := v.(string); ok {
			row.Name = &name
		}
	}
	if d, ok := item["description"].(string); ok {
		row.Std.Description = d
	}
	row.Std.UpdatedAt, row.Std.Revision = micros(s.now()), row.Std.Revision+1
	tags, err := loadTags(tx, "segments", []string{row.ID})
	row.Std.Tags = tags[row.ID]
	if err != nil {
		return err
	}
	_, err = tx.Exec(`UPDATE network_segments SET name = ?, description = ?, updated_at = ?, revision_number = ? WHERE id = ?`,
		row.Name, row.Std.Description, row.Std.UpdatedAt, row.Std.Revision, row.ID)
	return err
}

func (s *Service) deleteSegment(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("segment_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := s.enforce(r, "delete_segment", map[string]any{}, nil); err != nil {
			return err
		}
		row, err := getSegment(tx, id)
		if err != nil {
			return err
		}
		if err := checkRevision(r, row.Std.Revision); err != nil {
			return err
		}
		if err := s.types.Release(tx, []ml2.Segment{row.Segment}); err != nil {
			return err
		}
		if err := deleteTags(tx, "segments", id); err != nil {
			return err
		}
		_, err = tx.Exec(`DELETE FROM network_segments WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
