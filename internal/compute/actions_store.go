package compute

import (
	"database/sql"
	"errors"

	"github.com/monostack/monostack/internal/db"
)

// Instance actions and their events (os-instance-actions). The API
// records an action when it accepts a request; the conductor adds events
// ("compute__do_build_and_run_instance", "conductor_schedule_and_build_instances", …)
// as the work proceeds.

// recordAction starts an instance action and returns its id.
func recordAction(tx *db.Tx, instanceUUID, action, requestID, projectID, userID string, now int64) (int64, error) {
	id, err := nextCounter(tx, "instance_action")
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(`INSERT INTO compute_instance_actions (id, instance_uuid, action, request_id, project_id,
		user_id, start_time, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, instanceUUID, action, requestID, projectID, userID, now, now)
	return id, err
}

// actionID finds the action of an instance by request id (0 if none).
func actionID(tx *db.Tx, instanceUUID, requestID string) (int64, error) {
	var id int64
	err := tx.QueryRow(`SELECT id FROM compute_instance_actions WHERE instance_uuid = ? AND request_id = ?
		ORDER BY id DESC LIMIT 1`, instanceUUID, requestID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// startEvent records that an event of an action began on host.
func startEvent(tx *db.Tx, actionID int64, event, host string, now int64) error {
	if actionID == 0 {
		return nil
	}
	if _, err := tx.Exec(`INSERT INTO compute_instance_action_events (action_id, event, start_time, host)
		VALUES (?, ?, ?, ?)`, actionID, event, now, nullIfEmpty(host)); err != nil {
		return err
	}
	_, err := tx.Exec(`UPDATE compute_instance_actions SET updated_at = ? WHERE id = ?`, now, actionID)
	return err
}

// finishEvent ends the latest unfinished event of that name with result
// ("Success" or "Error") and, on error, the failure text. An event never
// started is started and finished at once.
func finishEvent(tx *db.Tx, actionID int64, event, host, result, traceback string, now int64) error {
	if actionID == 0 {
		return nil
	}
	n, err := tx.ExecAffected(`UPDATE compute_instance_action_events SET finish_time = ?, result = ?, traceback = ?
		WHERE action_id = ? AND event = ? AND finish_time IS NULL`, now, result, nullIfEmpty(traceback), actionID, event)
	if err != nil {
		return err
	}
	if n == 0 {
		if _, err := tx.Exec(`INSERT INTO compute_instance_action_events (action_id, event, start_time, finish_time,
			result, traceback, host) VALUES (?, ?, ?, ?, ?, ?, ?)`, actionID, event, now, now, result,
			nullIfEmpty(traceback), nullIfEmpty(host)); err != nil {
			return err
		}
	}
	msg := any(nil)
	if result == "Error" {
		msg = "Error"
	}
	_, err = tx.Exec(`UPDATE compute_instance_actions SET updated_at = ?, message = COALESCE(?, message) WHERE id = ?`,
		now, msg, actionID)
	return err
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
