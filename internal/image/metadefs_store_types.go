package image

import (
	"database/sql"
	"errors"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// mdResourceType is a stored resource type.
type mdResourceType struct {
	Name      string
	CreatedAt time.Time
	UpdatedAt *time.Time
}

func listResourceTypes(tx *db.Tx) ([]*mdResourceType, error) {
	rows, err := tx.Query("SELECT name, created_at, updated_at FROM image_metadef_resource_types ORDER BY seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*mdResourceType{}
	for rows.Next() {
		var rt mdResourceType
		var created int64
		var updated sql.NullInt64
		if err := rows.Scan(&rt.Name, &created, &updated); err != nil {
			return nil, err
		}
		rt.CreatedAt, rt.UpdatedAt = fromMicros(created), optFromMicros(updated)
		out = append(out, &rt)
	}
	return out, rows.Err()
}

// ensureResourceType creates a resource type unless it exists, as Glance
// does on first association (protected when seeded by the defaults).
func ensureResourceType(tx *db.Tx, name string, protected bool, now time.Time, updated *time.Time) error {
	exists, err := tx.Exists("SELECT 1 FROM image_metadef_resource_types WHERE name = ?", name)
	if err != nil || exists {
		return err
	}
	_, err = tx.Exec("INSERT INTO image_metadef_resource_types (name, protected, created_at, updated_at, seq) VALUES (?, ?, ?, ?, "+
		nextSeq("image_metadef_resource_types")+")", name, protected, micros(now), optMicros(updated))
	return err
}

func resourceTypeExists(tx *db.Tx, name string) (bool, error) {
	return tx.Exists("SELECT 1 FROM image_metadef_resource_types WHERE name = ?", name)
}

const associationColumns = "resource_type, prefix, properties_target, created_at, updated_at"

func scanAssociation(sc interface{ Scan(...any) error }) (*mdAssociation, error) {
	var a mdAssociation
	var prefix, target sql.NullString
	var created int64
	var updated sql.NullInt64
	if err := sc.Scan(&a.Name, &prefix, &target, &created, &updated); err != nil {
		return nil, err
	}
	a.Prefix, a.PropertiesTarget = strPtr(prefix), strPtr(target)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), optFromMicros(updated)
	return &a, nil
}

func listAssociations(tx *db.Tx, namespaceID string) ([]*mdAssociation, error) {
	rows, err := tx.Query("SELECT "+associationColumns+" FROM image_metadef_associations WHERE namespace_id = ? ORDER BY seq", namespaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*mdAssociation{}
	for rows.Next() {
		a, err := scanAssociation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// findAssociation loads a namespace's association; nil when there is none.
func findAssociation(tx *db.Tx, namespaceID, resourceType string) (*mdAssociation, error) {
	a, err := scanAssociation(tx.QueryRow("SELECT "+associationColumns+
		" FROM image_metadef_associations WHERE namespace_id = ? AND resource_type = ?", namespaceID, resourceType))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return a, err
}

func insertAssociation(tx *db.Tx, ns *mdNamespace, a *mdAssociation) error {
	_, err := tx.Exec("INSERT INTO image_metadef_associations (namespace_id, "+associationColumns+", seq) VALUES (?, ?, ?, ?, ?, ?, "+
		nextSeq("image_metadef_associations")+")", ns.ID, a.Name, nullable(a.Prefix), nullable(a.PropertiesTarget),
		micros(a.CreatedAt), optMicros(a.UpdatedAt))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("%s", "The metadata definition resource-type association of resource-type="+a.Name+
			" to namespace="+ns.Namespace+" already exists.")
	}
	return err
}

func deleteAssociationRow(tx *db.Tx, namespaceID, resourceType string) error {
	_, err := tx.Exec("DELETE FROM image_metadef_associations WHERE namespace_id = ? AND resource_type = ?", namespaceID, resourceType)
	return err
}
