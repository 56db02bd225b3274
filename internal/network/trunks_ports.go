package network

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// How trunks show on and guard their ports (the trunk plugin's port
// extender and enforce_port_deletion_rules).

// trunkOfPort is the trunk a port is the parent of, for trunk_details.
type trunkOfPort struct {
	ID       string
	SubPorts []subPort
}

// dict is a parent port's trunk_details.
func (t *trunkOfPort) dict() map[string]any {
	subs := make([]map[string]any, len(t.SubPorts))
	for i, sp := range t.SubPorts {
		subs[i] = map[string]any{"port_id": sp.PortID, "segmentation_type": sp.SegType,
			"segmentation_id": sp.SegID, "mac_address": sp.MAC}
	}
	return map[string]any{"trunk_id": t.ID, "sub_ports": subs}
}

// checkPortDeletable refuses deleting a trunk's subport or parent.
func checkPortDeletable(tx *db.Tx, id string) error {
	parentOf, subportOf, err := trunkRole(tx, id)
	switch {
	case err != nil:
		return err
	case subportOf != "":
		return neutronerr.PortInUseAsSubPort(id, subportOf)
	case parentOf != "":
		return neutronerr.PortInUseAsTrunkParent(id, parentOf)
	}
	return nil
}

// fillTrunkDetails loads the trunks of parent ports among byID's ids.
func fillTrunkDetails(tx *db.Tx, byID map[string]*port, sel portSelector) error {
	where, args := sel.where("port_id")
	trunks := map[string]*trunkOfPort{}
	var trunkIDs []string
	err := eachRow(tx, `SELECT id, port_id FROM network_trunks`+where, args, func(scan func(...any) error) error {
		var id, portID string
		if err := scan(&id, &portID); err != nil || byID[portID] == nil {
			return err
		}
		t := &trunkOfPort{ID: id}
		byID[portID].Trunk, trunks[id] = t, t
		trunkIDs = append(trunkIDs, id)
		return nil
	})
	if err != nil || len(trunkIDs) == 0 {
		return err
	}
	return eachSubPort(tx, trunkIDs, func(id string, sp subPort) { trunks[id].SubPorts = append(trunks[id].SubPorts, sp) })
}

// followParent sets the status of the trunk whose parent port is id from
// the port's host and status, as the trunk driver reports it.
func followParent(tx *db.Tx, id, host, status string, now int64) error {
	st := trunkStatusFor(host, status)
	_, err := tx.Exec(`UPDATE network_trunks SET status = ?, revision_number = revision_number + 1, updated_at = ?
		WHERE port_id = ? AND status <> ? AND status <> ?`, st, now, id, st, trunkError)
	return err
}
