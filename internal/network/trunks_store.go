package network

import (
	"cmp"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// trunk is a stored trunk with its subports.
type trunk struct {
	ID, ProjectID, Name, Status, PortID string
	AdminStateUp                        bool
	Std                                 StdAttrs
	SubPorts                            []subPort
}

// subPort is one subport of a trunk.
type subPort struct {
	PortID, SegType string
	SegID           int64
	MAC             string // the port's, for trunk_details
}

const trunkCols = `id, project_id, name, description, admin_state_up, status, port_id, created_at, updated_at, revision_number`

func scanTrunk(sc interface{ Scan(...any) error }) (*trunk, error) {
	t := &trunk{}
	err := sc.Scan(&t.ID, &t.ProjectID, &t.Name, &t.Std.Description, &t.AdminStateUp, &t.Status, &t.PortID,
		&t.Std.CreatedAt, &t.Std.UpdatedAt, &t.Std.Revision)
	return t, err
}

// queryTrunks reads the trunks matching where that project owns ("" for
// every project), with their subports and tags.
func queryTrunks(tx *db.Tx, project, where string, args ...any) ([]*trunk, error) {
	if project != "" {
		where = "(" + where + ") AND project_id = ?"
		args = append(args, project)
	}
	list, err := scanRows(tx, `SELECT `+trunkCols+` FROM network_trunks WHERE `+where+` ORDER BY created_at, id`, args, scanTrunk)
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := map[string]*trunk{}
	ids := make([]string, len(list))
	for i, t := range list {
		byID[t.ID], ids[i] = t, t.ID
	}
	for _, chunk := range chunks(ids, 500) {
		err := eachSubPort(tx, chunk, func(trunkID string, sp subPort) { byID[trunkID].SubPorts = append(byID[trunkID].SubPorts, sp) })
		if err != nil {
			return nil, err
		}
	}
	tags, err := loadTags(tx, "trunks", ids)
	for _, t := range list {
		t.Std.Tags = tags[t.ID]
	}
	return list, err
}

// eachSubPort calls fn with each subport of the trunks ids, in
// segmentation order.
func eachSubPort(tx *db.Tx, ids []string, fn func(trunkID string, sp subPort)) error {
	in, args := inClause(ids)
	return eachRow(tx, `SELECT s.trunk_id, s.port_id, s.segmentation_type, s.segmentation_id, p.mac_address
		FROM network_trunk_subports s JOIN network_ports p ON p.id = s.port_id WHERE s.trunk_id`+in+`
		ORDER BY s.trunk_id, s.segmentation_type, s.segmentation_id`, args, func(scan func(...any) error) error {
		var id string
		var sp subPort
		if err := scan(&id, &sp.PortID, &sp.SegType, &sp.SegID, &sp.MAC); err != nil {
			return err
		}
		fn(id, sp)
		return nil
	})
}

// getTrunk reads one trunk visible to project ("" for any).
func getTrunk(tx *db.Tx, id, project string) (*trunk, error) {
	list, err := queryTrunks(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.TrunkNotFound(id)
	}
	return list[0], nil
}

// insertTrunk stores a trunk row and its subports.
func insertTrunk(tx *db.Tx, t *trunk) error {
	if _, err := tx.Exec(`INSERT INTO network_trunks (`+trunkCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.ProjectID, t.Name, t.Std.Description, t.AdminStateUp, t.Status, t.PortID,
		t.Std.CreatedAt, t.Std.UpdatedAt, t.Std.Revision); err != nil {
		return err
	}
	return insertSubPorts(tx, t.ID, t.SubPorts)
}

// insertSubPorts stores subports; a segmentation the trunk already uses
// is DuplicateSubPort.
func insertSubPorts(tx *db.Tx, trunkID string, sps []subPort) error {
	for _, sp := range sps {
		dup, err := tx.Exists(`SELECT 1 FROM network_trunk_subports WHERE trunk_id = ? AND segmentation_type = ?
			AND segmentation_id = ?`, trunkID, sp.SegType, sp.SegID)
		if err != nil {
			return err
		}
		if dup {
			return neutronerr.DuplicateSubPort(sp.SegType, sp.SegID, trunkID)
		}
		if _, err := tx.Exec(`INSERT INTO network_trunk_subports (port_id, trunk_id, segmentation_type, segmentation_id)
			VALUES (?, ?, ?, ?)`, sp.PortID, trunkID, sp.SegType, sp.SegID); err != nil {
			return err
		}
	}
	return nil
}

// deleteSubPorts removes subports by port id.
func deleteSubPorts(tx *db.Tx, ids []string) error {
	for _, id := range ids {
		if _, err := tx.Exec(`DELETE FROM network_trunk_subports WHERE port_id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// saveTrunk writes a trunk's mutable columns.
func saveTrunk(tx *db.Tx, t *trunk) error {
	_, err := tx.Exec(`UPDATE network_trunks SET name = ?, description = ?, admin_state_up = ?, status = ?,
		updated_at = ?, revision_number = ? WHERE id = ?`,
		t.Name, t.Std.Description, t.AdminStateUp, t.Status, t.Std.UpdatedAt, t.Std.Revision, t.ID)
	return err
}

// removeTrunk deletes a trunk, its subports and tags.
func removeTrunk(tx *db.Tx, id string) error {
	if err := deleteTags(tx, "trunks", id); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM network_trunk_subports WHERE trunk_id = ?`, id); err != nil {
		return err
	}
	_, err := tx.Exec(`DELETE FROM network_trunks WHERE id = ?`, id)
	return err
}

// trunkRole says whether a port is a trunk's parent or subport, with the
// trunk's id ("" when neither).
func trunkRole(tx *db.Tx, portID string) (parentOf, subportOf string, err error) {
	err = eachRow(tx, `SELECT id, '' FROM network_trunks WHERE port_id = ?
		UNION ALL SELECT '', trunk_id FROM network_trunk_subports WHERE port_id = ?`, []any{portID, portID},
		func(sc func(...any) error) error {
			var parent, sub string
			if err := sc(&parent, &sub); err != nil {
				return err
			}
			parentOf, subportOf = cmp.Or(parentOf, parent), cmp.Or(subportOf, sub)
			return nil
		})
	if parentOf != "" {
		subportOf = ""
	}
	return parentOf, subportOf, err
}
