package compute

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The API side of POST /servers/{id}/action. For each action the API
// checks policy, lock and state, sets the task_state (compare-and-swap on
// the old one), records the instance action and casts instanceAction to
// the conductor. instanceAction.Action is Nova's instance action name;
// Params is JSON:
//
//	Action              Params
//	reboot              {"type": "SOFT"|"HARD"}
//	stop, start         {}
//	pause, unpause      {}
//	suspend, resume     {}
//	rebuild             {"image_id": id, "admin_password": pw, "preserve_ephemeral": bool, "orig_image_ref": id}
//	resize              {"flavor": computerpc.Flavor}  (new flavor; the conductor writes the migration)
//	                    migrate (cold migration) casts resize with {"flavor": current, "migrate": true, "host": h}
//	confirmResize       {"migration_id": uuid}
//	revertResize        {"migration_id": uuid}
//	createImage         {"image_id": id, "name": name}  (image created queued; Token carries the caller's token)
//	shelve              {"image_id": id}  ("" when volume-backed; image created queued, Token set)
//	shelveOffload       {}
//	unshelve            {"availability_zone": az}  (az "" keeps the old one)
//	rescue              {"admin_password": pw, "rescue_image_ref": id ("" = the instance's image)}
//	unrescue            {}
//	trigger_crash_dump  {}
//	delete              {}  (task_state deleting; also from forceDelete)
//
// lock, unlock, os-resetState, injectNetworkInfo and os-getConsoleOutput
// are done by the API itself; nothing is cast.

// stateRule is Nova's check_instance_state: allowed vm_states (nil: any),
// allowed task_states (nil: must be none, unless anyTask), and whether the
// instance must have launched.
type stateRule struct {
	vm       []string
	task     []string
	anyTask  bool
	launched bool
}

// checkState refuses as raise_http_conflict_for_instance_invalid_state.
func checkState(i *instance, action string, rule stateRule) error {
	if rule.vm != nil && !slices.Contains(rule.vm, i.VMState) {
		return invalidState(action, i.UUID, "vm_state", i.VMState)
	}
	if !rule.anyTask {
		allowed := rule.task
		if allowed == nil {
			allowed = []string{""}
		}
		if !slices.Contains(allowed, deref(i.TaskState)) {
			return invalidState(action, i.UUID, "task_state", pyTask(i.TaskState))
		}
	}
	if rule.launched && i.LaunchedAt == nil {
		return invalidState(action, i.UUID, "launched_at", "None")
	}
	return nil
}

func pyTask(t *string) string {
	if t == nil {
		return "None"
	}
	return *t
}

func invalidState(action, id, attr, state string) error {
	return errs.Conflictf("Cannot '%s' instance %s while it is in %s %s", action, id, attr, state)
}

// actionSpec says how the API accepts one cast action.
type actionSpec struct {
	rule     string // policy rule
	conflict string // action name in 409 messages
	record   string // Nova's instance action name, also instanceAction.Action
	state    stateRule
	lock     bool   // refused on locked servers for non-admins
	newTask  string // task_state set on acceptance ("" keeps it)
	cast     string // instanceAction.Action when it is not record
}

// allowRebootTasks is Nova's task_states.ALLOW_REBOOT.
var allowRebootTasks = []string{"", taskRebooting, taskRebootPending, taskRebootStarted, taskResuming,
	taskRebootingHard, taskRebootPendingHard, taskRebootStartedHard, taskUnpausing, taskPausing, taskSuspending}

var simpleActions = map[string]actionSpec{
	"os-stop": {rule: "os_compute_api:servers:stop", conflict: "stop", record: "stop", lock: true,
		state: stateRule{vm: []string{vmActive, vmError}, launched: true}, newTask: taskPoweringOff},
	"os-start": {rule: "os_compute_api:servers:start", conflict: "start", record: "start", lock: true,
		state: stateRule{vm: []string{vmStopped}, launched: true}, newTask: taskPoweringOn},
	"pause": {rule: "os_compute_api:os-pause-server:pause", conflict: "pause", record: "pause", lock: true,
		state: stateRule{vm: []string{vmActive}, launched: true}, newTask: taskPausing},
	"unpause": {rule: "os_compute_api:os-pause-server:unpause", conflict: "unpause", record: "unpause", lock: true,
		state: stateRule{vm: []string{vmPaused}, launched: true}, newTask: taskUnpausing},
	"suspend": {rule: "os_compute_api:os-suspend-server:suspend", conflict: "suspend", record: "suspend", lock: true,
		state: stateRule{vm: []string{vmActive}, launched: true}, newTask: taskSuspending},
	"resume": {rule: "os_compute_api:os-suspend-server:resume", conflict: "resume", record: "resume", lock: true,
		state: stateRule{vm: []string{vmSuspended}, launched: true}, newTask: taskResuming},
	"unrescue": {rule: "os_compute_api:os-unrescue", conflict: "unrescue", record: "unrescue", lock: true,
		state: stateRule{vm: []string{vmRescued}, launched: true}, newTask: taskUnrescuing},
	"shelveOffload": {rule: "os_compute_api:os-shelve:shelve_offload", conflict: "shelveOffload", record: "shelveOffload",
		lock: true, state: stateRule{vm: []string{vmShelved}, launched: true}, newTask: taskShelvingOffloading},
	"trigger_crash_dump": {rule: "os_compute_api:servers:trigger_crash_dump", conflict: "trigger_crash_dump",
		record: "trigger_crash_dump", lock: true,
		state: stateRule{vm: []string{vmActive, vmPaused, vmRescued, vmResized, vmError}, launched: true}},
}

// actionHandler serves one action key of the body.
type actionHandler func(w http.ResponseWriter, r *http.Request, id string, arg any) error

// actionHandlers maps body keys to handlers (minVersion 0: every version).
func (s *Service) actionHandlers() map[string]struct {
	h          actionHandler
	minVersion int
} {
	type entry = struct {
		h          actionHandler
		minVersion int
	}
	m := map[string]entry{
		"reboot": {s.actionReboot, 0}, "rebuild": {s.actionRebuild, 0}, "resize": {s.actionResize, 0},
		"confirmResize": {s.actionConfirmResize, 0}, "revertResize": {s.actionRevertResize, 0},
		"createImage": {s.actionCreateImage, 0}, "shelve": {s.actionShelve, 0}, "unshelve": {s.actionUnshelve, 0},
		"rescue": {s.actionRescue, 0}, "lock": {s.actionLock, 0}, "unlock": {s.actionUnlock, 0},
		"os-resetState": {s.actionResetState, 0}, "injectNetworkInfo": {s.actionInjectNetworkInfo, 0},
		"resetNetwork": {s.actionResetNetwork, 0}, "os-getConsoleOutput": {s.actionConsoleOutput, 0},
		"changePassword": {s.actionChangePassword, 0}, "forceDelete": {s.actionForceDelete, 0},
		"restore": {s.actionRestore, 0}, "createBackup": {s.actionCreateBackup, 0},
		"migrate": {s.actionMigrate, 0},
	}
	for name := range simpleActions {
		minV := 0
		if name == "trigger_crash_dump" {
			minV = 17
		}
		m[name] = entry{s.simpleAction(name), minV}
	}
	return m
}

// serverAction is POST /servers/{id}/action.
func (s *Service) serverAction(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	handlers := s.actionHandlers()
	for key, arg := range body {
		e, ok := handlers[key]
		if !ok || !version(r).AtLeast(e.minVersion) {
			continue
		}
		return e.h(w, r, r.PathValue("id"), arg)
	}
	return errs.BadRequestf("There is no such action: %s", firstKey(body))
}

func firstKey(m jsonObject) string {
	keys := keysOf(m)
	slices.Sort(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

func (s *Service) simpleAction(name string) actionHandler {
	return func(w http.ResponseWriter, r *http.Request, id string, _ any) error {
		if err := s.acceptAction(r, id, simpleActions[name], map[string]any{}, nil); err != nil {
			return err
		}
		w.WriteHeader(http.StatusAccepted)
		return nil
	}
}

// acceptAction runs the common steps of a cast action; prepare (may be
// nil) does action-specific checks and changes inside the transaction.
func (s *Service) acceptAction(r *http.Request, id string, spec actionSpec, params any,
	prepare func(tx *db.Tx, i *instance) error) error {
	var cast instanceAction
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		i, err := s.lockedCheckedInstance(tx, r, id, spec)
		if err != nil {
			return err
		}
		if prepare != nil {
			if err := prepare(tx, i); err != nil {
				return err
			}
		}
		cast, err = s.startAction(tx, r, i, spec, params)
		return err
	})
	if err != nil {
		return err
	}
	return s.castAction(r.Context(), cast)
}

// lockedCheckedInstance loads the instance and applies policy, lock and
// state checks in Nova's order.
func (s *Service) lockedCheckedInstance(tx *db.Tx, r *http.Request, id string, spec actionSpec) (*instance, error) {
	i, err := s.visibleInstance(tx, r, id)
	if err != nil {
		return nil, err
	}
	if err := s.enforce(r, spec.rule, instanceTarget(i)); err != nil {
		return nil, err
	}
	if spec.lock && i.Locked && !s.isAdmin(r) {
		return nil, instanceLocked(id)
	}
	return i, checkState(i, spec.conflict, spec.state)
}

// startAction sets the new task_state with compare-and-swap, records the
// instance action and builds the cast.
func (s *Service) startAction(tx *db.Tx, r *http.Request, i *instance, spec actionSpec, params any) (instanceAction, error) {
	now := s.now().UnixMicro()
	reqID := httpx.RequestID(r.Context())
	old := deref(i.TaskState)
	if spec.newTask != "" {
		i.TaskState = ptr(spec.newTask)
	}
	if err := saveInstance(tx, i, now, old); err != nil {
		return instanceAction{}, err
	}
	if _, err := recordAction(tx, i.UUID, spec.record, reqID, projectOf(r), caller(r).UserID, now); err != nil {
		return instanceAction{}, err
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return instanceAction{}, err
	}
	return instanceAction{InstanceUUID: i.UUID, Action: firstNonEmpty(spec.cast, spec.record), ActionRequestID: reqID, Params: raw,
		Token: r.Header.Get("X-Auth-Token")}, nil
}

// actionReboot is {"reboot": {"type": "SOFT"|"HARD"}}.
func (s *Service) actionReboot(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	obj, ok := arg.(jsonObject)
	if !ok {
		return invalidInput("reboot", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := requireKeys("reboot", obj, "type"); err != nil {
		return err
	}
	if err := onlyKeys("reboot", obj, []string{"type"}); err != nil {
		return err
	}
	typ, _ := obj["type"].(string)
	spec := actionSpec{rule: "os_compute_api:servers:reboot", conflict: "reboot", record: "reboot", lock: true}
	switch typ {
	case "SOFT", "Soft", "soft":
		typ, spec.newTask = "SOFT", taskRebooting
		spec.state = stateRule{vm: []string{vmActive}, launched: true}
	case "HARD", "Hard", "hard":
		typ, spec.newTask = "HARD", taskRebootingHard
		spec.state = stateRule{vm: []string{vmActive, vmStopped, vmPaused, vmSuspended, vmError},
			task: allowRebootTasks, launched: true}
	default:
		return invalidInput("type", obj["type"], pyRepr(obj["type"])+" is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']")
	}
	if err := s.acceptAction(r, id, spec, map[string]any{"type": typ}, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
