package image

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// taskLifetime is how long a finished task is kept, as Glance's
// task_time_to_live (48 hours).
const taskLifetime = 48 * time.Hour

// recordTask writes the api_image_import task of an accepted import, in
// the transaction that takes the import lock.
func (s *Service) recordTask(r *http.Request, tx *db.Tx, job *importJob) error {
	input, _ := json.Marshal(map[string]any{"image_id": job.imageID,
		"import_req": map[string]any{"method": map[string]any{"name": job.method}}, "backend": []string{s.store.ID()}})
	now := s.now().UnixMicro()
	_, err := tx.Exec(`INSERT INTO image_tasks (id, type, status, owner, image_id, request_id, user_id, input, message, created_at, updated_at)
		VALUES (?, 'api_image_import', 'processing', ?, ?, ?, ?, ?, '', ?, ?)`,
		job.taskID, job.project, job.imageID, httpx.RequestID(r.Context()), caller(r).UserID, string(input), now, now)
	return err
}

// finishTask ends a task as success or failure.
func (s *Service) finishTask(tx *db.Tx, job *importJob, ok bool, message string) error {
	status, result := "failure", any(nil)
	if ok {
		status = "success"
		b, _ := json.Marshal(map[string]string{"image_id": job.imageID})
		result = string(b)
	}
	now := s.now()
	_, err := tx.Exec("UPDATE image_tasks SET status = ?, result = ?, message = ?, updated_at = ?, expires_at = ? WHERE id = ?",
		status, result, message, now.UnixMicro(), now.Add(taskLifetime).UnixMicro(), job.taskID)
	return err
}

// listImageTasks is GET /v2/images/{id}/tasks: the image's import tasks,
// oldest first, as Glance's 2.12 API shows them.
func (s *Service) listImageTasks(w http.ResponseWriter, r *http.Request) error {
	im, err := s.readImage(r, "get_image")
	if err != nil {
		return err
	}
	var tasks []map[string]any
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		rows, err := tx.Query(`SELECT id, type, status, owner, image_id, request_id, user_id, input, result, message, created_at,
			updated_at, expires_at FROM image_tasks WHERE image_id = ? ORDER BY created_at, id`, im.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTask(rows)
			if err != nil {
				return err
			}
			tasks = append(tasks, t)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSONList(w, "tasks", tasks, nil)
}

func scanTask(rows interface{ Scan(...any) error }) (map[string]any, error) {
	var id, typ, status, owner, imageID, requestID, userID, input, message string
	var result *string
	var created, updated int64
	var expires *int64
	if err := rows.Scan(&id, &typ, &status, &owner, &imageID, &requestID, &userID, &input, &result, &message,
		&created, &updated, &expires); err != nil {
		return nil, err
	}
	t := map[string]any{"id": id, "type": typ, "status": status, "owner": owner, "expires_at": nil,
		"created_at": taskTime(created), "updated_at": taskTime(updated), "deleted_at": nil, "deleted": false,
		"image_id": imageID, "request_id": requestID, "user_id": userID, "input": json.RawMessage(input),
		"result": nil, "message": message}
	if expires != nil {
		t["expires_at"] = taskTime(*expires)
	}
	if result != nil {
		t["result"] = json.RawMessage(*result)
	}
	return t, nil
}

// taskTime is how Glance's image tasks API shows times: microseconds, no zone.
func taskTime(us int64) string { return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05.000000") }
