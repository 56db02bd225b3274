package compute

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// instanceColumns are the compute_instances columns in scan order.
const instanceColumns = `uuid, seq, project_id, user_id, display_name, description, hostname, image_ref,
	flavor_id, flavor, old_flavor, new_flavor, host, node, launched_on, availability_zone, vm_state,
	task_state, power_state, key_name, key_data, user_data, config_drive, access_ip_v4, access_ip_v6,
	locked, locked_by, locked_reason, progress, launch_index, reservation_id, root_device_name,
	network_info, security_groups, requested, system_metadata, created_at, updated_at, launched_at,
	terminated_at, deleted_at, deleted`

// instanceColumnNames are instanceColumns one by one.
var instanceColumnNames = func() []string {
	var out []string
	for _, c := range strings.Split(instanceColumns, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}()

func guestNameOf(seq int64) string { return fmt.Sprintf("instance-%08x", seq) }

// scanInstance reads one row of instanceColumns.
func scanInstance(sc interface{ Scan(...any) error }) (*instance, error) {
	var i instance
	var flavor, netInfo, secGroups, requested, sysMeta string
	var oldFlavor, newFlavor sql.NullString
	err := sc.Scan(&i.UUID, &i.Seq, &i.ProjectID, &i.UserID, &i.DisplayName, &i.Description, &i.Hostname,
		&i.ImageRef, &i.FlavorID, &flavor, &oldFlavor, &newFlavor, &i.Host, &i.Node, &i.LaunchedOn,
		&i.AvailabilityZone, &i.VMState, &i.TaskState, &i.PowerState, &i.KeyName, &i.KeyData, &i.UserData,
		&i.ConfigDrive, &i.AccessIPv4, &i.AccessIPv6, &i.Locked, &i.LockedBy, &i.LockedReason, &i.Progress,
		&i.LaunchIndex, &i.ReservationID, &i.RootDeviceName, &netInfo, &secGroups, &requested, &sysMeta,
		&i.CreatedAt, &i.UpdatedAt, &i.LaunchedAt, &i.TerminatedAt, &i.DeletedAt, &i.Deleted)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		raw string
		v   any
	}{{flavor, &i.Flavor}, {netInfo, &i.NetworkInfo}, {secGroups, &i.SecurityGroups},
		{requested, &i.Requested}, {sysMeta, &i.SystemMetadata}} {
		if err := json.Unmarshal([]byte(c.raw), c.v); err != nil {
			return nil, fmt.Errorf("instance %s: %w", i.UUID, err)
		}
	}
	if oldFlavor.Valid {
		if err := json.Unmarshal([]byte(oldFlavor.String), &i.OldFlavor); err != nil {
			return nil, err
		}
	}
	if newFlavor.Valid {
		if err := json.Unmarshal([]byte(newFlavor.String), &i.NewFlavor); err != nil {
			return nil, err
		}
	}
	return &i, nil
}

// instanceNotFound is Nova's InstanceNotFound.
func instanceNotFound(id string) error {
	return errs.NotFoundf("Instance %s could not be found.", id)
}

// loadInstance reads an instance row, deleted ones included; callers
// decide what a deleted row means.
func loadInstance(tx *db.Tx, uuid string) (*instance, error) {
	i, err := scanInstance(tx.QueryRow(`SELECT `+instanceColumns+` FROM compute_instances WHERE uuid = ?`, uuid))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, instanceNotFound(uuid)
	}
	if err == nil && tx.Writable() {
		i.loaded, err = columnSnapshot(i)
		i.loadedIn = tx
	}
	return i, err
}

// columnSnapshot is i's column values with pointers followed, to compare
// with later.
func columnSnapshot(i *instance) ([]any, error) {
	vals, err := instanceValues(i)
	for k, v := range vals {
		switch p := v.(type) {
		case *string:
			vals[k] = nil
			if p != nil {
				vals[k] = *p
			}
		case *int64:
			vals[k] = nil
			if p != nil {
				vals[k] = *p
			}
		}
	}
	return vals, err
}

// loadLiveInstance reads an instance that is not deleted.
func loadLiveInstance(tx *db.Tx, uuid string) (*instance, error) {
	i, err := loadInstance(tx, uuid)
	if err == nil && i.Deleted {
		return nil, instanceNotFound(uuid)
	}
	return i, err
}

// loadInstanceFull reads an instance with its metadata and tags.
func loadInstanceFull(tx *db.Tx, uuid string) (*instance, error) {
	i, err := loadInstance(tx, uuid)
	if err != nil {
		return nil, err
	}
	return i, loadMetadataAndTags(tx, i)
}

// loadMetadataAndTags fills i's metadata and tags.
func loadMetadataAndTags(tx *db.Tx, i *instance) (err error) {
	if i.Metadata, err = loadInstanceMetadata(tx, i.UUID); err != nil {
		return err
	}
	i.Tags, err = tx.Strings(`SELECT tag FROM compute_instance_tags WHERE instance_uuid = ? ORDER BY tag`, i.UUID)
	return err
}

func loadInstanceMetadata(tx *db.Tx, uuid string) (map[string]string, error) {
	rows, err := tx.Query(`SELECT key, value FROM compute_instance_metadata WHERE instance_uuid = ?`, uuid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

// nextCounter bumps and returns a named counter (instance seq, action ids).
func nextCounter(tx *db.Tx, name string) (int64, error) {
	var v int64
	err := tx.QueryRow(`INSERT INTO compute_counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = compute_counters.value + 1 RETURNING value`, name).Scan(&v)
	return v, err
}

// insertInstance writes a new instance row (with Metadata and Tags); it
// assigns Seq.
func insertInstance(tx *db.Tx, i *instance) error {
	seq, err := nextCounter(tx, "instance")
	if err != nil {
		return err
	}
	i.Seq = seq
	vals, err := instanceValues(i)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO compute_instances (`+instanceColumns+`) VALUES (`+
		db.Placeholders(len(vals))+`)`, vals...); err != nil {
		return err
	}
	for k, v := range i.Metadata {
		if _, err := tx.Exec(`INSERT INTO compute_instance_metadata (instance_uuid, key, value) VALUES (?, ?, ?)`,
			i.UUID, k, v); err != nil {
			return err
		}
	}
	for _, t := range i.Tags {
		if _, err := tx.Exec(`INSERT INTO compute_instance_tags (instance_uuid, tag) VALUES (?, ?)`, i.UUID, t); err != nil {
			return err
		}
	}
	return nil
}

// instanceValues are i's column values in instanceColumns order.
func instanceValues(i *instance) ([]any, error) {
	enc := func(v any) (string, error) { b, err := json.Marshal(v); return string(b), err }
	encOpt := func(v any, isNil bool) (*string, error) {
		if isNil {
			return nil, nil
		}
		s, err := enc(v)
		return &s, err
	}
	flavor, err1 := enc(i.Flavor)
	oldFlavor, err2 := encOpt(i.OldFlavor, i.OldFlavor == nil)
	newFlavor, err3 := encOpt(i.NewFlavor, i.NewFlavor == nil)
	netInfo, err4 := enc(nonNil(i.NetworkInfo))
	secGroups, err5 := enc(nonNil(i.SecurityGroups))
	requested, err6 := enc(i.Requested)
	sysMeta, err7 := enc(nonNilMap(i.SystemMetadata))
	if err := errors.Join(err1, err2, err3, err4, err5, err6, err7); err != nil {
		return nil, err
	}
	return []any{i.UUID, i.Seq, i.ProjectID, i.UserID, i.DisplayName, i.Description, i.Hostname, i.ImageRef,
		i.FlavorID, flavor, oldFlavor, newFlavor, i.Host, i.Node, i.LaunchedOn, i.AvailabilityZone, i.VMState,
		i.TaskState, i.PowerState, i.KeyName, i.KeyData, i.UserData, i.ConfigDrive, i.AccessIPv4, i.AccessIPv6,
		i.Locked, i.LockedBy, i.LockedReason, i.Progress, i.LaunchIndex, i.ReservationID, i.RootDeviceName,
		netInfo, secGroups, requested, sysMeta, i.CreatedAt, i.UpdatedAt, i.LaunchedAt, i.TerminatedAt,
		i.DeletedAt, i.Deleted}, nil
}

// saveInstance writes every column of i back, but only if the row's
// task_state is still one of expectTask (Nova's expected_task_state; an
// empty list skips the check, a "" entry means none). A row that moved on
// is a Conflict: another request got there first.
func saveInstance(tx *db.Tx, i *instance, now int64, expectTask ...string) error {
	i.UpdatedAt = now
	vals, err := columnSnapshot(i)
	if err != nil {
		return err
	}
	set := make([]string, 0, len(instanceColumnNames))
	var args []any
	for k, c := range instanceColumnNames[1:] {
		// Only what changed since the row was read in this transaction,
		// so unchanged indexed columns cost nothing.
		if i.loadedIn != tx || vals[k+1] != i.loaded[k+1] || c == "updated_at" {
			set = append(set, c+" = ?")
			args = append(args, vals[k+1])
		}
	}
	q := `UPDATE compute_instances SET ` + strings.Join(set, ", ") + ` WHERE uuid = ?`
	args = append(args, i.UUID)
	if len(expectTask) > 0 {
		var conds []string
		for _, t := range expectTask {
			if t == "" {
				conds = append(conds, "task_state IS NULL")
			} else {
				conds = append(conds, "task_state = ?")
				args = append(args, t)
			}
		}
		q += ` AND (` + strings.Join(conds, " OR ") + `)`
	}
	n, err := tx.ExecAffected(q, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.Conflictf("Conflict updating instance %s. Expected: {'task_state': %v}.", i.UUID, expectTask)
	}
	i.loaded, i.loadedIn = vals, tx
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
