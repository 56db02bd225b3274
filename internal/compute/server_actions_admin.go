package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Actions the API completes itself: lock, unlock, os-resetState,
// injectNetworkInfo, resetNetwork, changePassword; and the deferred
// delete forms forceDelete and restore.

// actionLock is {"lock": null} or, at 2.73, {"lock": {"locked_reason": …}}.
func (s *Service) actionLock(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	var reason *string
	if version(r).AtLeast(73) && arg != nil {
		obj, ok := arg.(jsonObject)
		if !ok {
			return invalidInput("lock", arg, pyRepr(arg)+" is not of type 'object', 'null'")
		}
		if err := onlyKeys("lock", obj, []string{"locked_reason"}); err != nil {
			return err
		}
		if v, ok := obj["locked_reason"]; ok {
			s, err := schemaString("locked_reason", v, 0, 255)
			if err != nil {
				return err
			}
			reason = &s
		}
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, id)
		if err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:os-lock-server:lock", instanceTarget(i)); err != nil {
			return err
		}
		by := "owner"
		if i.ProjectID != projectOf(r) {
			by = "admin"
		}
		i.Locked, i.LockedBy, i.LockedReason = true, &by, reason
		return s.saveWithAction(tx, r, i, "lock")
	})
	return accepted(w, err)
}

// saveWithAction saves i and records a finished instance action.
func (s *Service) saveWithAction(tx *db.Tx, r *http.Request, i *instance, action string) error {
	now := s.now().UnixMicro()
	if err := saveInstance(tx, i, now); err != nil {
		return err
	}
	_, err := recordAction(tx, i.UUID, action, httpx.RequestID(r.Context()), projectOf(r), caller(r).UserID, now)
	return err
}

func accepted(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// actionUnlock is {"unlock": null}; a lock by someone else needs the
// unlock_override rule.
func (s *Service) actionUnlock(w http.ResponseWriter, r *http.Request, id string, _ any) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, id)
		if err != nil {
			return err
		}
		target := map[string]any{"project_id": i.ProjectID}
		if err := s.enforce(r, "os_compute_api:os-lock-server:unlock", target); err != nil {
			return err
		}
		expected := "owner"
		if i.ProjectID != projectOf(r) {
			expected = "admin"
		}
		if i.Locked && deref(i.LockedBy) != expected {
			if err := s.enforce(r, "os_compute_api:os-lock-server:unlock:unlock_override", target); err != nil {
				return err
			}
		}
		i.Locked, i.LockedBy, i.LockedReason = false, nil, nil
		return s.saveWithAction(tx, r, i, "unlock")
	})
	return accepted(w, err)
}

// actionResetState is {"os-resetState": {"state": "active"|"error"}}.
func (s *Service) actionResetState(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	obj, ok := arg.(jsonObject)
	if !ok {
		return invalidInput("os-resetState", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := requireKeys("os-resetState", obj, "state"); err != nil {
		return err
	}
	if err := onlyKeys("os-resetState", obj, []string{"state"}); err != nil {
		return err
	}
	state, _ := obj["state"].(string)
	if state != vmActive && state != vmError {
		return invalidInput("state", obj["state"], pyRepr(obj["state"])+" is not one of ['active', 'error']")
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, id)
		if err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:os-admin-actions:reset_state", map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		i.VMState, i.TaskState = state, nil
		return s.saveWithAction(tx, r, i, "resetState")
	})
	return accepted(w, err)
}

// actionInjectNetworkInfo is admin-only and, with nothing to inject into
// a guest, a no-op after its checks.
func (s *Service) actionInjectNetworkInfo(w http.ResponseWriter, r *http.Request, id string, _ any) error {
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, id)
		if err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:os-admin-actions:inject_network_info", map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		if i.Locked && !s.isAdmin(r) {
			return instanceLocked(id)
		}
		return nil
	})
	return accepted(w, err)
}

// actionResetNetwork was removed upstream: 410.
func (s *Service) actionResetNetwork(http.ResponseWriter, *http.Request, string, any) error {
	return errs.New(errs.Gone, "Gone")
}

// actionChangePassword checks as Nova does; the hypervisor drivers here
// cannot set a guest password, so an accepted request is refused as
// Nova refuses a driver without it (409, nothing changed).
func (s *Service) actionChangePassword(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	obj, ok := arg.(jsonObject)
	if !ok {
		return invalidInput("changePassword", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := requireKeys("changePassword", obj, "adminPass"); err != nil {
		return err
	}
	if err := onlyKeys("changePassword", obj, []string{"adminPass"}); err != nil {
		return err
	}
	if _, err := schemaString("adminPass", obj["adminPass"], 0, 0); err != nil {
		return err
	}
	return s.db.Read(r.Context(), func(tx *db.Tx) error {
		spec := actionSpec{rule: "os_compute_api:os-admin-password", conflict: "changePassword", lock: true,
			state: stateRule{vm: []string{vmActive}, launched: true}}
		if _, err := s.lockedCheckedInstance(tx, r, id, spec); err != nil {
			return err
		}
		return errs.Conflictf("Set admin password is not supported")
	})
}

// actionForceDelete deletes at once whatever the state.
func (s *Service) actionForceDelete(w http.ResponseWriter, r *http.Request, id string, _ any) error {
	return accepted(w, s.deleteInstance(r, id, "os_compute_api:os-deferred-delete:force"))
}

// actionRestore undoes a soft delete; with no reclaim interval nothing is
// ever soft-deleted, so it is refused by state as upstream.
func (s *Service) actionRestore(w http.ResponseWriter, r *http.Request, id string, _ any) error {
	spec := actionSpec{rule: "os_compute_api:os-deferred-delete:restore", conflict: "restore", record: "restore",
		lock: true, state: stateRule{vm: []string{vmSoftDeleted}, launched: true}, newTask: taskRestoring}
	return accepted(w, s.acceptAction(r, id, spec, map[string]any{}, nil))
}
