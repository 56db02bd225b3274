package compute

import (
	"database/sql"
	"errors"
	"net/http"
	"net/url"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// os-instance-actions: GET /servers/{id}/os-instance-actions[/{request_id}].

// actionRow is a compute_instance_actions row.
type actionRow struct {
	ID                                               int64
	InstanceUUID, Action, RequestID, ProjectID, User string
	Message                                          *string
	StartTime, UpdatedAt                             int64
}

const actionColumns = `id, instance_uuid, action, request_id, user_id, project_id, message, start_time, updated_at`

func scanAction(sc interface{ Scan(...any) error }) (*actionRow, error) {
	var a actionRow
	err := sc.Scan(&a.ID, &a.InstanceUUID, &a.Action, &a.RequestID, &a.User, &a.ProjectID, &a.Message, &a.StartTime, &a.UpdatedAt)
	return &a, err
}

func (a *actionRow) view(v httpx.Microversion) map[string]any {
	out := map[string]any{"action": a.Action, "instance_uuid": a.InstanceUUID, "request_id": a.RequestID,
		"user_id": a.User, "project_id": a.ProjectID, "start_time": microTime(a.StartTime), "message": a.Message}
	if v.AtLeast(58) {
		out["updated_at"] = microTime(a.UpdatedAt)
	}
	return out
}

// actionsInstance loads the instance (deleted ones too from 2.21) and
// checks rule.
func (s *Service) actionsInstance(tx *db.Tx, r *http.Request, rule string) (*instance, error) {
	id := r.PathValue("id")
	i, err := loadInstance(tx, id)
	if err != nil {
		return nil, err
	}
	if (i.Deleted && !version(r).AtLeast(21)) || (!s.isAdmin(r) && i.ProjectID != projectOf(r)) {
		return nil, instanceNotFound(id)
	}
	return i, s.enforce(r, rule, map[string]any{"project_id": i.ProjectID})
}

// listInstanceActions is GET /servers/{id}/os-instance-actions.
func (s *Service) listInstanceActions(w http.ResponseWriter, r *http.Request) error {
	v := version(r)
	q := r.URL.Query()
	var out []map[string]any
	limit := 0
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		i, err := s.actionsInstance(tx, r, "os_compute_api:os-instance-actions:list")
		if err != nil {
			return err
		}
		query := db.NewQuery(`SELECT `+actionColumns+` FROM compute_instance_actions`).
			Where("instance_uuid = ?", i.UUID).OrderBy("start_time DESC", "id DESC")
		if v.AtLeast(58) {
			if limit, err = s.actionsPaging(tx, query, q, i.UUID, v); err != nil {
				return err
			}
		}
		text, args := query.SQL()
		rows, err := tx.Query(text, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAction(rows)
			if err != nil {
				return err
			}
			out = append(out, a.view(v))
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	body := map[string]any{"instanceActions": nonNil(out)}
	if len(out) > 0 {
		path := "/v2.1/servers/" + r.PathValue("id") + "/os-instance-actions"
		last, _ := out[len(out)-1]["request_id"].(string)
		if links := collectionLinks(r, s.baseURL(r), path, len(out), limit, last); links != nil {
			body["links"] = links
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// actionsPaging applies 2.58 limit/marker and changes-since (and 2.66
// changes-before); it returns the page size.
func (s *Service) actionsPaging(tx *db.Tx, query *db.Query, q url.Values, uuid string, v httpx.Microversion) (int, error) {
	since, before := q.Get("changes-since"), q.Get("changes-before")
	var sinceT int64
	if since != "" {
		t, err := parseISOTime(since)
		if err != nil {
			return 0, invalidQuery("changes-since", since, "'"+since+"' is not a 'date-time'")
		}
		sinceT = t.UnixMicro()
		query.Where("updated_at >= ?", sinceT)
	}
	if before != "" && v.AtLeast(66) {
		t, err := parseISOTime(before)
		if err != nil {
			return 0, invalidQuery("changes-before", before, "'"+before+"' is not a 'date-time'")
		}
		if since != "" && t.UnixMicro() < sinceT {
			return 0, errs.BadRequestf("The value of changes-since must be less than or equal to changes-before.")
		}
		query.Where("updated_at <= ?", t.UnixMicro())
	}
	limit := s.opts.ListLimit
	if l, ok := q["limit"]; ok {
		n, err := queryInt("limit", l[0])
		if err != nil {
			return 0, err
		}
		limit = min(n, limit)
	}
	if m := q.Get("marker"); m != "" {
		mk, err := scanAction(tx.QueryRow(`SELECT `+actionColumns+` FROM compute_instance_actions
			WHERE instance_uuid = ? AND request_id = ? ORDER BY start_time DESC, id DESC LIMIT 1`, uuid, m))
		if errors.Is(err, sql.ErrNoRows) {
			return 0, errs.BadRequestf("Marker %s could not be found.", m)
		}
		if err != nil {
			return 0, err
		}
		query.Where("(start_time < ? OR (start_time = ? AND id < ?))", mk.StartTime, mk.StartTime, mk.ID)
	}
	if limit == 0 {
		query.Where("1 = 0")
	}
	query.Limit(limit)
	return limit, nil
}

// showInstanceAction is GET /servers/{id}/os-instance-actions/{request_id}.
func (s *Service) showInstanceAction(w http.ResponseWriter, r *http.Request) error {
	v := version(r)
	reqID := r.PathValue("request_id")
	var out map[string]any
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		i, err := s.actionsInstance(tx, r, "os_compute_api:os-instance-actions:show")
		if err != nil {
			return err
		}
		a, err := scanAction(tx.QueryRow(`SELECT `+actionColumns+` FROM compute_instance_actions
			WHERE instance_uuid = ? AND request_id = ? ORDER BY start_time DESC, id DESC LIMIT 1`, i.UUID, reqID))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundf("Action %s not found", reqID)
		}
		if err != nil {
			return err
		}
		out = a.view(v)
		return s.addEvents(tx, r, i, a, out)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"instanceAction": out})
}

// addEvents adds the action's events as the caller may see them: all
// fields for those the events rule allows, from 2.51 the events without
// traceback for others; hostId from 2.62, host (privileged) from 2.62.
func (s *Service) addEvents(tx *db.Tx, r *http.Request, i *instance, a *actionRow, out map[string]any) error {
	v := version(r)
	target := map[string]any{"project_id": i.ProjectID}
	privileged := s.policy.Check("os_compute_api:os-instance-actions:events", creds(r), target)
	if !privileged && !v.AtLeast(51) {
		return nil
	}
	details := v.AtLeast(84) && s.policy.Check("os_compute_api:os-instance-actions:events:details", creds(r), target)
	rows, err := tx.Query(`SELECT event, start_time, finish_time, result, traceback, host, details
		FROM compute_instance_action_events WHERE action_id = ? ORDER BY start_time DESC, event DESC`, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	events := []map[string]any{}
	project := firstNonEmpty(a.ProjectID, i.ProjectID)
	for rows.Next() {
		var ev string
		var start int64
		var finish *int64
		var result, traceback, host, det *string
		if err := rows.Scan(&ev, &start, &finish, &result, &traceback, &host, &det); err != nil {
			return err
		}
		e := map[string]any{"event": ev, "start_time": microTime(start), "finish_time": microTimeOrNil(finish),
			"result": result}
		if privileged {
			e["traceback"] = traceback
			if v.AtLeast(62) {
				e["host"] = deref(host)
			}
		}
		if v.AtLeast(62) {
			e["hostId"] = hostID(project, deref(host))
		}
		if details {
			e["details"] = det
		}
		events = append(events, e)
	}
	out["events"] = events
	return rows.Err()
}
