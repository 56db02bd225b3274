package network

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// portForwarding is a stored port forwarding of a floating IP.
type portForwarding struct {
	ID, FloatingIPID, Protocol              string
	InternalPortID, InternalIP, Description string
	External, Internal                      portSpan
}

const pfCols = `id, floatingip_id, protocol, external_port_start, external_port_end, internal_port_start,
	internal_port_end, internal_port_id, internal_ip_address, description`

func scanPortForwarding(sc interface{ Scan(...any) error }) (*portForwarding, error) {
	pf := &portForwarding{}
	return pf, sc.Scan(&pf.ID, &pf.FloatingIPID, &pf.Protocol, &pf.External.start, &pf.External.end,
		&pf.Internal.start, &pf.Internal.end, &pf.InternalPortID, &pf.InternalIP, &pf.Description)
}

// queryPortForwardings reads the port forwardings matching where.
func queryPortForwardings(tx *db.Tx, where string, args ...any) ([]*portForwarding, error) {
	return scanRows(tx, `SELECT `+pfCols+` FROM network_port_forwardings WHERE `+where+` ORDER BY id`, args, scanPortForwarding)
}

// getPortForwarding reads one port forwarding of a floating IP.
func getPortForwarding(tx *db.Tx, fipID, id string) (*portForwarding, error) {
	list, err := queryPortForwardings(tx, "id = ? AND floatingip_id = ?", id, fipID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.PortForwardingNotFound(id)
	}
	return list[0], nil
}

// forwardingsOf reads the port forwardings of the floating IPs ids, by
// floating IP.
func forwardingsOf(tx *db.Tx, ids []string) (map[string][]*portForwarding, error) {
	out := map[string][]*portForwarding{}
	if len(ids) == 0 {
		return out, nil
	}
	for _, chunk := range chunks(ids, 500) {
		in, args := inClause(chunk)
		list, err := queryPortForwardings(tx, "floatingip_id"+in, args...)
		if err != nil {
			return nil, err
		}
		for _, pf := range list {
			out[pf.FloatingIPID] = append(out[pf.FloatingIPID], pf)
		}
	}
	return out, nil
}

// insertPortForwarding stores a new port forwarding.
func insertPortForwarding(tx *db.Tx, pf *portForwarding) error {
	_, err := tx.Exec(`INSERT INTO network_port_forwardings (`+pfCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		pf.ID, pf.FloatingIPID, pf.Protocol, pf.External.start, pf.External.end, pf.Internal.start,
		pf.Internal.end, pf.InternalPortID, pf.InternalIP, pf.Description)
	return err
}

// savePortForwarding writes a port forwarding's mutable columns.
func savePortForwarding(tx *db.Tx, pf *portForwarding) error {
	_, err := tx.Exec(`UPDATE network_port_forwardings SET protocol = ?, external_port_start = ?, external_port_end = ?,
		internal_port_start = ?, internal_port_end = ?, internal_port_id = ?, internal_ip_address = ?, description = ?
		WHERE id = ?`, pf.Protocol, pf.External.start, pf.External.end, pf.Internal.start, pf.Internal.end,
		pf.InternalPortID, pf.InternalIP, pf.Description, pf.ID)
	return err
}

// bumpFloatingIP counts a change of a floating IP's port forwardings in
// its revision; the row stays locked until commit.
func bumpFloatingIP(tx *db.Tx, id string, now int64) error {
	_, err := tx.Exec(`UPDATE network_floatingips SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?`, now, id)
	return err
}

// bumpPort counts a change of the forwardings to a port in its revision
// (upstream's revises_on_change); the row stays locked until commit.
func bumpPort(tx *db.Tx, id string, now int64) error {
	_, err := tx.Exec(`UPDATE network_ports SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?`, now, id)
	return err
}

// setFloatingIPRouter points a floating IP without a fixed port at the
// router its port forwardings go through ("" for none).
func setFloatingIPRouter(tx *db.Tx, id, routerID string) error {
	_, err := tx.Exec(`UPDATE network_floatingips SET router_id = ? WHERE id = ?`, nilIfEmpty(routerID), id)
	return err
}

// dropPortForwardings deletes port forwardings; a floating IP that loses
// its last one loses its router, and each one changed is bumped.
func dropPortForwardings(tx *db.Tx, pfs []*portForwarding, now int64) error {
	fips := map[string]bool{}
	for _, pf := range pfs {
		if _, err := tx.Exec(`DELETE FROM network_port_forwardings WHERE id = ?`, pf.ID); err != nil {
			return err
		}
		fips[pf.FloatingIPID] = true
	}
	for _, id := range sortedKeys(fips) {
		if err := bumpFloatingIP(tx, id, now); err != nil {
			return err
		}
		left, err := tx.Exists(`SELECT 1 FROM network_port_forwardings WHERE floatingip_id = ?`, id)
		if err != nil {
			return err
		}
		if !left {
			if err := setFloatingIPRouter(tx, id, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// lockFloatingIP holds a floating IP's row until commit, so changes of its
// association and of its port forwardings take turns.
func lockFloatingIP(tx *db.Tx, id string) error {
	_, err := tx.Exec(`UPDATE network_floatingips SET revision_number = revision_number WHERE id = ?`, id)
	return err
}

// prunePortForwardings drops the forwardings to a port at an address that
// is not among keep (all of them when the port goes).
func prunePortForwardings(tx *db.Tx, portID string, keep []fixedIP, now int64) error {
	pfs, err := queryPortForwardings(tx, "internal_port_id = ?", portID)
	if err != nil {
		return err
	}
	var drop []*portForwarding
	for _, pf := range pfs {
		if _, ok := addressOn(keep, pf.InternalIP); !ok {
			drop = append(drop, pf)
		}
	}
	return dropPortForwardings(tx, drop, now)
}
