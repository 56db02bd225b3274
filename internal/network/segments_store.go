package network

import (
	"database/sql"
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// segmentRow is a stored segment with its API-only columns.
type segmentRow struct {
	ml2.Segment
	NetworkID string
	Name      *string
	Index     int
	Std       StdAttrs
}

const segmentCols = `id, network_id, name, description, network_type, physical_network, segmentation_id,
	segment_index, created_at, updated_at, revision_number`

func scanSegment(sc interface{ Scan(...any) error }) (*segmentRow, error) {
	s := &segmentRow{}
	var name, physnet sql.NullString
	var segID sql.NullInt64
	err := sc.Scan(&s.ID, &s.NetworkID, &name, &s.Std.Description, &s.Type, &physnet, &segID, &s.Index,
		&s.Std.CreatedAt, &s.Std.UpdatedAt, &s.Std.Revision)
	if err != nil {
		return nil, err
	}
	if name.Valid {
		s.Name = &name.String
	}
	s.PhysNet, s.SegID, s.HasID = physnet.String, segID.Int64, segID.Valid
	return s, nil
}

// loadSegmentRows reads segments, of the given networks (nil: all).
func loadSegmentRows(tx *db.Tx, networkIDs []string) ([]*segmentRow, error) {
	q := `SELECT ` + segmentCols + ` FROM network_segments`
	var args []any
	if networkIDs != nil && len(networkIDs) <= 500 {
		if len(networkIDs) == 0 {
			return nil, nil
		}
		q += ` WHERE network_id IN (` + db.Placeholders(len(networkIDs)) + `)`
		for _, id := range networkIDs {
			args = append(args, id)
		}
	}
	rows, err := tx.Query(q+` ORDER BY network_id, segment_index, created_at`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*segmentRow
	for rows.Next() {
		s, err := scanSegment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// loadSegments are the ML2 segments of networks by network id.
func loadSegments(tx *db.Tx, networkIDs []string) (map[string][]ml2.Segment, error) {
	rows, err := loadSegmentRows(tx, networkIDs)
	if err != nil {
		return nil, err
	}
	out := map[string][]ml2.Segment{}
	for _, s := range rows {
		out[s.NetworkID] = append(out[s.NetworkID], s.Segment)
	}
	return out, nil
}

// getSegment reads one segment.
func getSegment(tx *db.Tx, id string) (*segmentRow, error) {
	s, err := scanSegment(tx.QueryRow(`SELECT `+segmentCols+` FROM network_segments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, neutronerr.SegmentNotFound(id)
	}
	return s, err
}

// insertSegment stores a segment row.
func insertSegment(tx *db.Tx, s *segmentRow) error {
	var physnet, segID any
	if s.PhysNet != "" {
		physnet = s.PhysNet
	}
	if s.HasID {
		segID = s.SegID
	}
	_, err := tx.Exec(`INSERT INTO network_segments (`+segmentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.NetworkID, s.Name, s.Std.Description, s.Type, physnet, segID, s.Index,
		s.Std.CreatedAt, s.Std.UpdatedAt, s.Std.Revision)
	return err
}
