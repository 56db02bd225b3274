package network

import (
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// floatingIP is a stored floating IP.
type floatingIP struct {
	ID, ProjectID, Address, NetworkID, FloatingPortID string
	FixedPortID, FixedIP, RouterID, Status            string
	Std                                               StdAttrs
	Forwardings                                       []*portForwarding
}

const fipCols = `id, project_id, description, floating_ip_address, floating_network_id, floating_port_id,
	COALESCE(fixed_port_id, ''), COALESCE(fixed_ip_address, ''), COALESCE(router_id, ''), status, created_at, updated_at, revision_number`

func scanFloatingIP(sc interface{ Scan(...any) error }) (*floatingIP, error) {
	f := &floatingIP{}
	return f, sc.Scan(&f.ID, &f.ProjectID, &f.Std.Description, &f.Address, &f.NetworkID, &f.FloatingPortID,
		&f.FixedPortID, &f.FixedIP, &f.RouterID, &f.Status, &f.Std.CreatedAt, &f.Std.UpdatedAt, &f.Std.Revision)
}

// queryFloatingIPs reads the floating IPs matching where that project
// owns ("" for every project), with their tags and port forwardings.
func queryFloatingIPs(tx *db.Tx, project, where string, args ...any) ([]*floatingIP, error) {
	if project != "" {
		where = "(" + where + ") AND project_id = ?"
		args = append(args, project)
	}
	out, err := scanRows(tx, `SELECT `+fipCols+` FROM network_floatingips WHERE `+where+` ORDER BY created_at, id`, args, scanFloatingIP)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(out))
	for i, f := range out {
		ids[i] = f.ID
	}
	tags, err := loadTags(tx, "floatingips", ids)
	if err != nil {
		return nil, err
	}
	pfs, err := forwardingsOf(tx, ids)
	for _, f := range out {
		f.Std.Tags, f.Forwardings = tags[f.ID], pfs[f.ID]
	}
	return out, err
}

// getFloatingIP reads one floating IP visible to project.
func getFloatingIP(tx *db.Tx, id, project string) (*floatingIP, error) {
	list, err := queryFloatingIPs(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.FloatingIPNotFound(id)
	}
	return list[0], nil
}

// insertFloatingIP stores a new floating IP row.
func insertFloatingIP(tx *db.Tx, f *floatingIP) error {
	_, err := tx.Exec(`INSERT INTO network_floatingips (id, project_id, description, floating_ip_address, floating_network_id,
		floating_port_id, fixed_port_id, fixed_ip_address, router_id, status, created_at, updated_at, revision_number)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.ProjectID, f.Std.Description, f.Address, f.NetworkID, f.FloatingPortID, nilIfEmpty(f.FixedPortID),
		nilIfEmpty(f.FixedIP), nilIfEmpty(f.RouterID), f.Status, f.Std.CreatedAt, f.Std.UpdatedAt, f.Std.Revision)
	return uniqueAssociation(f, err)
}

// saveFloatingIP writes a floating IP's association and description.
func saveFloatingIP(tx *db.Tx, f *floatingIP, lastRouter string) error {
	_, err := tx.Exec(`UPDATE network_floatingips SET description = ?, fixed_port_id = ?, fixed_ip_address = ?, router_id = ?,
		last_known_router_id = ?, updated_at = ?, revision_number = ? WHERE id = ?`,
		f.Std.Description, nilIfEmpty(f.FixedPortID), nilIfEmpty(f.FixedIP), nilIfEmpty(f.RouterID), nilIfEmpty(lastRouter),
		f.Std.UpdatedAt, f.Std.Revision, f.ID)
	return uniqueAssociation(f, err)
}

// uniqueAssociation turns a lost race on the one-floating-IP-per-fixed-IP
// key into upstream's error.
func uniqueAssociation(f *floatingIP, err error) error {
	if errors.Is(err, db.ErrConflict) {
		return neutronerr.FloatingIPPortAlreadyAssociated(f.Address, f.ID, f.FixedPortID, f.FixedIP, f.NetworkID)
	}
	return err
}

// portL3Routers are the routers NATing to a port: through its floating
// IPs or the port forwardings to it.
func portL3Routers(tx *db.Tx, portID string) ([]string, error) {
	return tx.Strings(`SELECT router_id FROM network_floatingips WHERE fixed_port_id = ? AND router_id IS NOT NULL
		UNION SELECT f.router_id FROM network_port_forwardings pf JOIN network_floatingips f ON f.id = pf.floatingip_id
		WHERE pf.internal_port_id = ? AND f.router_id IS NOT NULL`, portID, portID)
}

// disassociatePortFloatingIPs frees the floating IPs of a port being deleted.
func disassociatePortFloatingIPs(tx *db.Tx, portID string, now int64) error {
	_, err := tx.Exec(`UPDATE network_floatingips SET last_known_router_id = router_id, fixed_port_id = NULL,
		fixed_ip_address = NULL, router_id = NULL, updated_at = ?, revision_number = revision_number + 1
		WHERE fixed_port_id = ?`, now, portID)
	return err
}

// deleteDisassociatedFloatingIPs is delete_disassociated_floatingips: a
// network being deleted takes its unused floating IPs (no fixed port, no
// router for port forwardings) and their ports.
func (s *Service) deleteDisassociatedFloatingIPs(tx *db.Tx, networkID string) ([]*ml2.Change, error) {
	fips, err := queryFloatingIPs(tx, "", "floating_network_id = ? AND fixed_port_id IS NULL AND router_id IS NULL", networkID)
	if err != nil {
		return nil, err
	}
	var changes []*ml2.Change
	for _, f := range fips {
		if err := deleteTags(tx, "floatingips", f.ID); err != nil {
			return nil, err
		}
		if _, err := tx.Exec(`DELETE FROM network_floatingips WHERE id = ?`, f.ID); err != nil {
			return nil, err
		}
		c, err := s.deleteServicePort(tx, f.FloatingPortID)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}
