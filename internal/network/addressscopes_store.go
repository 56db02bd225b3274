package network

import (
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// addressScope is a stored address scope (no standard attributes upstream).
type addressScope struct {
	ID, ProjectID, Name string
	Shared              bool // the wildcard access_as_shared policy exists
	SharedWith          bool // a policy shares the scope with the reading project
	IPVersion           int
}

const addressScopeCols = `id, project_id, name, shared, ip_version`

func scanAddressScope(sc interface{ Scan(...any) error }) (*addressScope, error) {
	a := &addressScope{}
	return a, sc.Scan(&a.ID, &a.ProjectID, &a.Name, &a.Shared, &a.IPVersion)
}

// sharedVisible limits a query on the table of an RBAC object type to
// what project may see: its own rows and those a policy shares with it
// or with everyone ("" for every row).
func sharedVisible(objectType, where, project string, args []any) (string, []any) {
	if project == "" {
		return where, args
	}
	reach := rbacReach(objectType, rbacTypes[objectType].table+".id")
	return "(" + where + ") AND (project_id = ? OR " + reach + ")", append(args, project, project)
}

// queryAddressScopes reads the scopes matching where that project may see.
func queryAddressScopes(tx *db.Tx, project, where string, args ...any) ([]*addressScope, error) {
	where, args = sharedVisible("address_scope", where, project, args)
	list, err := scanRows(tx, `SELECT `+addressScopeCols+` FROM network_address_scopes WHERE `+where+` ORDER BY id`,
		args, scanAddressScope)
	if err != nil || project == "" {
		return list, err
	}
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	with, err := sharedWith(tx, "address_scope", project, ids)
	for _, a := range list {
		a.SharedWith = with[a.ID]
	}
	return list, err
}

// getAddressScope reads one scope visible to project ("" for any).
func getAddressScope(tx *db.Tx, id, project string) (*addressScope, error) {
	list, err := queryAddressScopes(tx, project, "id = ?", id)
	if err == nil && len(list) == 0 {
		return nil, neutronerr.AddressScopeNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// insertAddressScope stores a scope row.
func insertAddressScope(tx *db.Tx, a *addressScope) error {
	_, err := tx.Exec(`INSERT INTO network_address_scopes (`+addressScopeCols+`) VALUES (?, ?, ?, ?, ?)`,
		a.ID, a.ProjectID, a.Name, a.Shared, a.IPVersion)
	return err
}

// saveAddressScope writes a scope's mutable columns.
func saveAddressScope(tx *db.Tx, a *addressScope) error {
	_, err := tx.Exec(`UPDATE network_address_scopes SET name = ?, shared = ? WHERE id = ?`, a.Name, a.Shared, a.ID)
	return err
}

// lockAddressScope takes the scope's row lock so pools joining it check
// prefix overlaps one at a time across processes (SQLite: one writer).
func lockAddressScope(tx *db.Tx, id string) error {
	_, err := tx.Exec(`UPDATE network_address_scopes SET name = name WHERE id = ?`, id)
	return err
}

// removeAddressScope deletes a scope no pool uses; the foreign key refuses
// one a pool of another process has just joined.
func removeAddressScope(tx *db.Tx, id string) error {
	used, err := tx.Exists(`SELECT 1 FROM network_subnetpools WHERE address_scope_id = ?`, id)
	if err != nil {
		return err
	}
	if used {
		return neutronerr.AddressScopeInUse(id)
	}
	if err := deleteObjectRBAC(tx, "address_scope", id, "", ""); err != nil {
		return err
	}
	_, err = tx.Exec(`DELETE FROM network_address_scopes WHERE id = ?`, id)
	if errors.Is(err, db.ErrReference) {
		return neutronerr.AddressScopeInUse(id)
	}
	return err
}
