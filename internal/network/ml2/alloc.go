package ml2

import (
	"database/sql"

	"github.com/monostack/monostack/internal/db"
)

// The allocation table holds one row per segmentation id in use; an
// INSERT that finds the id taken inserts nothing, so a transaction never
// aborts on a race and simply tries the next free id.

// reserve takes id on physnet for the segment; false when it is taken.
func reserve(tx *db.Tx, typ, physnet string, id int64, segmentID string) (bool, error) {
	n, err := tx.ExecAffected(`INSERT INTO network_segment_allocations
		(network_type, physical_network, segmentation_id, segment_id) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, typ, physnet, id, segmentID)
	return n == 1, err
}

// release returns the segment's id.
func release(tx *db.Tx, typ, physnet string, id int64) error {
	_, err := tx.Exec(`DELETE FROM network_segment_allocations
		WHERE network_type = ? AND physical_network = ? AND segmentation_id = ?`, typ, physnet, id)
	return err
}

// lowestFree is the lowest id of r not allocated, if any.
func lowestFree(tx *db.Tx, typ, physnet string, r Range) (int64, bool, error) {
	var c sql.NullInt64
	err := tx.QueryRow(`SELECT MIN(c) FROM (
		SELECT CAST(? AS BIGINT) AS c
		UNION ALL
		SELECT segmentation_id + 1 FROM network_segment_allocations
		WHERE network_type = ? AND physical_network = ? AND segmentation_id >= ? AND segmentation_id < ?
	) cand WHERE NOT EXISTS (SELECT 1 FROM network_segment_allocations a
		WHERE a.network_type = ? AND a.physical_network = ? AND a.segmentation_id = cand.c)`,
		r.Min, typ, physnet, r.Min, r.Max, typ, physnet).Scan(&c)
	if err != nil {
		return 0, false, err
	}
	return c.Int64, c.Valid, nil
}

// CountUsed is how many ids of r are allocated on physnet.
func CountUsed(tx *db.Tx, typ, physnet string, r Range) (int64, error) {
	var n int64
	err := tx.QueryRow(`SELECT COUNT(*) FROM network_segment_allocations
		WHERE network_type = ? AND physical_network = ? AND segmentation_id BETWEEN ? AND ?`,
		typ, physnet, r.Min, r.Max).Scan(&n)
	return n, err
}

// poolRange is a range tenant networks may draw from.
type poolRange struct {
	PhysNet string
	Range
}

// tenantRanges are the segment ranges of typ a project may draw from: its
// own first, then the shared ones (default ranges before the rest).
// physnet "" means any physical network.
func tenantRanges(tx *db.Tx, typ, physnet, project string) ([]poolRange, error) {
	rows, err := tx.Query(`SELECT COALESCE(physical_network, ''), minimum, maximum FROM network_segment_ranges
		WHERE network_type = ? AND (shared = TRUE OR project_id = ?)
		ORDER BY CASE WHEN project_id = ? THEN 0 ELSE 1 END, CASE WHEN is_default THEN 0 ELSE 1 END,
			physical_network, minimum`, typ, project, project)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []poolRange
	for rows.Next() {
		var p poolRange
		if err := rows.Scan(&p.PhysNet, &p.Min, &p.Max); err != nil {
			return nil, err
		}
		if physnet == "" || p.PhysNet == physnet {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// allocateFrom takes the lowest free id of the first range with one.
func allocateFrom(tx *db.Tx, typ string, pools []poolRange, segmentID string) (poolRange, int64, bool, error) {
	for _, p := range pools {
		for attempt := 0; attempt < 16; attempt++ {
			id, ok, err := lowestFree(tx, typ, p.PhysNet, p.Range)
			if err != nil || !ok {
				if err != nil {
					return p, 0, false, err
				}
				break
			}
			taken, err := reserve(tx, typ, p.PhysNet, id, segmentID)
			if err != nil {
				return p, 0, false, err
			}
			if taken {
				return p, id, true, nil
			}
		}
	}
	return poolRange{}, 0, false, nil
}
