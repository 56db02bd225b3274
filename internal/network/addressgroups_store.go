package network

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// addressGroup is a stored address group with its normalized CIDRs.
type addressGroup struct {
	ID, ProjectID, Name string
	Std                 StdAttrs
	Addresses           []string
}

const agCols = `id, project_id, name, description, created_at, updated_at, revision_number`

func scanAddressGroup(sc interface{ Scan(...any) error }) (*addressGroup, error) {
	g := &addressGroup{}
	err := sc.Scan(&g.ID, &g.ProjectID, &g.Name, &g.Std.Description, &g.Std.CreatedAt, &g.Std.UpdatedAt, &g.Std.Revision)
	return g, err
}

// queryAddressGroups reads the address groups matching where that project
// owns ("" for every project), with their addresses.
func queryAddressGroups(tx *db.Tx, project, where string, args ...any) ([]*addressGroup, error) {
	if project != "" {
		where = "(" + where + ") AND project_id = ?"
		args = append(args, project)
	}
	groups, err := scanRows(tx, `SELECT `+agCols+` FROM network_address_groups WHERE `+where+` ORDER BY created_at, id`,
		args, scanAddressGroup)
	if err != nil {
		return nil, err
	}
	byID := map[string]*addressGroup{}
	ids := make([]string, len(groups))
	for i, g := range groups {
		byID[g.ID], ids[i] = g, g.ID
	}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, cargs := inClause(chunk)
		err := eachRow(tx, `SELECT address_group_id, address FROM network_address_group_addresses WHERE address_group_id`+in+
			` ORDER BY address_group_id, address`, cargs, func(scan func(...any) error) error {
			var id, addr string
			if err := scan(&id, &addr); err != nil {
				return err
			}
			byID[id].Addresses = append(byID[id].Addresses, addr)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return groups, nil
}

// getAddressGroup reads one address group visible to project ("" for any).
func getAddressGroup(tx *db.Tx, id, project string) (*addressGroup, error) {
	groups, err := queryAddressGroups(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, neutronerr.AddressGroupNotFound(id)
	}
	return groups[0], nil
}

// insertAddressGroup stores an address group row (its addresses apart).
func insertAddressGroup(tx *db.Tx, g *addressGroup) error {
	_, err := tx.Exec(`INSERT INTO network_address_groups (`+agCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.ProjectID, g.Name, g.Std.Description, g.Std.CreatedAt, g.Std.UpdatedAt, g.Std.Revision)
	return err
}

// saveAddressGroup writes an address group's mutable columns.
func saveAddressGroup(tx *db.Tx, g *addressGroup) error {
	_, err := tx.Exec(`UPDATE network_address_groups SET name = ?, description = ?, updated_at = ?, revision_number = ?
		WHERE id = ?`, g.Name, g.Std.Description, g.Std.UpdatedAt, g.Std.Revision, g.ID)
	return err
}

// setAddresses adds (or removes) normalized addresses of a group.
func setAddresses(tx *db.Tx, id string, addrs []string, add bool) error {
	q := `INSERT INTO network_address_group_addresses (address_group_id, address) VALUES (?, ?)`
	if !add {
		q = `DELETE FROM network_address_group_addresses WHERE address_group_id = ? AND address = ?`
	}
	for _, a := range addrs {
		if _, err := tx.Exec(q, id, a); err != nil {
			return err
		}
	}
	return nil
}

// addressGroupInUse says whether a rule names the group as its remote.
func addressGroupInUse(tx *db.Tx, id string) (bool, error) {
	return tx.Exists(`SELECT 1 FROM network_security_group_rules WHERE remote_address_group_id = ?`, id)
}

// removeAddressGroup deletes a group and its addresses.
func removeAddressGroup(tx *db.Tx, id string) error {
	_, err := tx.Exec(`DELETE FROM network_address_groups WHERE id = ?`, id)
	return err
}
