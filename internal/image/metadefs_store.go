package image

import (
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// Metadef rows. seq is an insertion counter: it orders rows as upstream's
// integer ids do. Objects and properties list by name, as upstream's
// lookups through their (namespace, name) index return them.

func nextSeq(table string) string { return "(SELECT COALESCE(MAX(seq), 0) + 1 FROM " + table + ")" }

func micros(t time.Time) int64 { return t.UnixMicro() }

func optMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

func fromMicros(n int64) time.Time { return time.UnixMicro(n).UTC() }

func optFromMicros(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMicros(n.Int64)
	return &t
}

const namespaceColumns = "id, namespace, display_name, description, visibility, protected, owner, created_at, updated_at"

const namespaceSelect = "SELECT " + namespaceColumns + ", seq FROM image_metadef_namespaces"

func scanNamespace(sc interface{ Scan(...any) error }) (*mdNamespace, error) {
	var ns mdNamespace
	var display, desc sql.NullString
	var created int64
	var updated sql.NullInt64
	if err := sc.Scan(&ns.ID, &ns.Namespace, &display, &desc, &ns.Visibility, &ns.Protected, &ns.Owner, &created, &updated, &ns.Seq); err != nil {
		return nil, err
	}
	ns.DisplayName, ns.Description = strPtr(display), strPtr(desc)
	ns.CreatedAt, ns.UpdatedAt = fromMicros(created), optFromMicros(updated)
	return &ns, nil
}

// findNamespace loads a namespace by name; nil when there is none.
func findNamespace(tx *db.Tx, name string) (*mdNamespace, error) {
	ns, err := scanNamespace(tx.QueryRow(namespaceSelect+" WHERE namespace = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return ns, err
}

func insertNamespace(tx *db.Tx, ns *mdNamespace) error {
	_, err := tx.Exec("INSERT INTO image_metadef_namespaces ("+namespaceColumns+", seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "+
		nextSeq("image_metadef_namespaces")+")", ns.ID, ns.Namespace, nullable(ns.DisplayName), nullable(ns.Description),
		ns.Visibility, ns.Protected, ns.Owner, micros(ns.CreatedAt), optMicros(ns.UpdatedAt))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("%s", "The metadata definition namespace="+ns.Namespace+" already exists.")
	}
	return err
}

func updateNamespace(tx *db.Tx, ns *mdNamespace) error {
	_, err := tx.Exec(`UPDATE image_metadef_namespaces SET namespace = ?, display_name = ?, description = ?,
		visibility = ?, protected = ?, owner = ?, updated_at = ? WHERE id = ?`, ns.Namespace, nullable(ns.DisplayName),
		nullable(ns.Description), ns.Visibility, ns.Protected, ns.Owner, optMicros(ns.UpdatedAt), ns.ID)
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("%s", "Invalid update. It would result in a duplicate metadata definition namespace with the same name of "+ns.Namespace)
	}
	return err
}

func deleteNamespaceRow(tx *db.Tx, id string) error {
	_, err := tx.Exec("DELETE FROM image_metadef_namespaces WHERE id = ?", id)
	return err
}

// deleteContent removes every row of a namespace's table (objects,
// properties or tags).
func deleteContent(tx *db.Tx, table, namespaceID string) error {
	_, err := tx.Exec("DELETE FROM "+table+" WHERE namespace_id = ?", namespaceID)
	return err
}

// Objects.

const objectColumns = "name, description, required, properties, created_at, updated_at"

func scanObject(sc interface{ Scan(...any) error }) (*mdObject, error) {
	var o mdObject
	var desc, required sql.NullString
	var props string
	var created int64
	var updated sql.NullInt64
	if err := sc.Scan(&o.Name, &desc, &required, &props, &created, &updated); err != nil {
		return nil, err
	}
	o.Description = strPtr(desc)
	o.Required = []string{}
	if required.String != "" {
		o.Required = strings.Split(required.String, ",")
	}
	if err := json.Unmarshal([]byte(props), &o.Properties); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = fromMicros(created), optFromMicros(updated)
	return &o, nil
}

func listObjects(tx *db.Tx, namespaceID string) ([]*mdObject, error) {
	rows, err := tx.Query("SELECT "+objectColumns+" FROM image_metadef_objects WHERE namespace_id = ?", namespaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*mdObject{}
	for rows.Next() {
		o, err := scanObject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b *mdObject) int { return strings.Compare(a.Name, b.Name) })
	return out, rows.Err()
}

// findObject loads an object; nil when there is none.
func findObject(tx *db.Tx, namespaceID, name string) (*mdObject, error) {
	o, err := scanObject(tx.QueryRow("SELECT "+objectColumns+" FROM image_metadef_objects WHERE namespace_id = ? AND name = ?", namespaceID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return o, err
}

// objectRow is an object's stored columns: required comma-joined (NULL
// when empty) and properties as JSON, as upstream stores them.
func objectRow(o *mdObject) (required any, props string) {
	if len(o.Required) > 0 {
		required = strings.Join(o.Required, ",")
	}
	b, _ := json.Marshal(o.Properties)
	if o.Properties == nil {
		b = []byte("{}")
	}
	return required, string(b)
}

func insertObject(tx *db.Tx, ns *mdNamespace, o *mdObject) error {
	required, props := objectRow(o)
	_, err := tx.Exec("INSERT INTO image_metadef_objects (namespace_id, "+objectColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)", ns.ID, o.Name, nullable(o.Description), required, props,
		micros(o.CreatedAt), optMicros(o.UpdatedAt))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("%s", "A metadata definition object with name="+o.Name+" already exists in namespace="+ns.Namespace+".")
	}
	return err
}

func updateObject(tx *db.Tx, ns *mdNamespace, oldName string, o *mdObject) error {
	required, props := objectRow(o)
	_, err := tx.Exec(`UPDATE image_metadef_objects SET name = ?, description = ?, required = ?, properties = ?, updated_at = ?
		WHERE namespace_id = ? AND name = ?`, o.Name, nullable(o.Description), required, props, optMicros(o.UpdatedAt), ns.ID, oldName)
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("%s", "Invalid update. It would result in a duplicate metadata definition object with the same name="+
			oldName+" in namespace="+ns.Namespace+".")
	}
	return err
}

func deleteObjectRow(tx *db.Tx, namespaceID, name string) error {
	_, err := tx.Exec("DELETE FROM image_metadef_objects WHERE namespace_id = ? AND name = ?", namespaceID, name)
	return err
}

// Properties.

func listMetadefProperties(tx *db.Tx, namespaceID string) (propertyMap, error) {
	rows, err := tx.Query("SELECT name, definition FROM image_metadef_properties WHERE namespace_id = ?", namespaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := propertyMap{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		var d propertyDef
		if err := json.Unmarshal([]byte(def), &d); err != nil {
			return nil, err
		}
		out = append(out, namedProperty{Name: name, Def: &d})
	}
	slices.SortFunc(out, func(a, b namedProperty) int { return strings.Compare(a.Name, b.Name) })
	return out, rows.Err()
}

// findMetadefProperty loads a property definition; nil when there is none.
func findMetadefProperty(tx *db.Tx, namespaceID, name string) (*propertyDef, error) {
	var def string
	err := tx.QueryRow("SELECT definition FROM image_metadef_properties WHERE namespace_id = ? AND name = ?", namespaceID, name).Scan(&def)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var d propertyDef
	return &d, json.Unmarshal([]byte(def), &d)
}

func insertMetadefProperty(tx *db.Tx, ns *mdNamespace, name string, d *propertyDef, now time.Time, updated *time.Time) error {
	b, _ := json.Marshal(d)
	_, err := tx.Exec("INSERT INTO image_metadef_properties (namespace_id, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		ns.ID, name, string(b), micros(now), optMicros(updated))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("%s", "A metadata definition property with name="+name+" already exists in namespace="+ns.Namespace+".")
	}
	return err
}

func updateMetadefProperty(tx *db.Tx, ns *mdNamespace, oldName, name string, d *propertyDef, now time.Time) error {
	b, _ := json.Marshal(d)
	_, err := tx.Exec("UPDATE image_metadef_properties SET name = ?, definition = ?, updated_at = ? WHERE namespace_id = ? AND name = ?",
		name, string(b), micros(now), ns.ID, oldName)
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("%s", "Invalid update. It would result in a duplicate metadata definition property with the same name="+
			oldName+" in namespace="+ns.Namespace+".")
	}
	return err
}

func deleteMetadefPropertyRow(tx *db.Tx, namespaceID, name string) error {
	_, err := tx.Exec("DELETE FROM image_metadef_properties WHERE namespace_id = ? AND name = ?", namespaceID, name)
	return err
}

// Tags.

func metadefTagDuplicated(name, namespace string) error {
	return errs.Conflictf("%s", "A metadata tag with name="+name+" already exists in namespace="+namespace+
		". (Please note that metadata tag names are case insensitive).")
}

func scanMetadefTag(sc interface{ Scan(...any) error }) (*mdTag, error) {
	var t mdTag
	var created int64
	var updated sql.NullInt64
	if err := sc.Scan(&t.Name, &created, &updated); err != nil {
		return nil, err
	}
	t.CreatedAt, t.UpdatedAt = fromMicros(created), optFromMicros(updated)
	return &t, nil
}

// listMetadefTags lists a namespace's tags in order (column and direction
// checked by the caller), created_at and insertion breaking ties.
func listMetadefTags(tx *db.Tx, namespaceID, sortKey, dir string) ([]*mdTag, error) {
	order := sortKey + " " + dir
	if sortKey != "created_at" {
		order += ", created_at " + dir
	}
	rows, err := tx.Query("SELECT name, created_at, updated_at FROM image_metadef_tags WHERE namespace_id = ? ORDER BY "+
		order+", seq "+dir, namespaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*mdTag{}
	for rows.Next() {
		t, err := scanMetadefTag(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// findMetadefTag loads a tag; nil when there is none.
func findMetadefTag(tx *db.Tx, namespaceID, name string) (*mdTag, error) {
	t, err := scanMetadefTag(tx.QueryRow("SELECT name, created_at, updated_at FROM image_metadef_tags WHERE namespace_id = ? AND name = ?", namespaceID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return t, err
}

func insertMetadefTag(tx *db.Tx, ns *mdNamespace, t *mdTag) error {
	_, err := tx.Exec("INSERT INTO image_metadef_tags (namespace_id, name, created_at, updated_at, seq) VALUES (?, ?, ?, ?, "+
		nextSeq("image_metadef_tags")+")", ns.ID, t.Name, micros(t.CreatedAt), optMicros(t.UpdatedAt))
	if errors.Is(err, db.ErrConflict) {
		return metadefTagDuplicated(t.Name, ns.Namespace)
	}
	return err
}

func renameMetadefTag(tx *db.Tx, ns *mdNamespace, oldName string, t *mdTag) error {
	_, err := tx.Exec("UPDATE image_metadef_tags SET name = ?, updated_at = ? WHERE namespace_id = ? AND name = ?",
		t.Name, optMicros(t.UpdatedAt), ns.ID, oldName)
	if errors.Is(err, db.ErrConflict) {
		return metadefTagDuplicated(t.Name, ns.Namespace)
	}
	return err
}

func deleteMetadefTagRow(tx *db.Tx, namespaceID, name string) error {
	_, err := tx.Exec("DELETE FROM image_metadef_tags WHERE namespace_id = ? AND name = ?", namespaceID, name)
	return err
}
