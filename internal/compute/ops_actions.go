package compute

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// directOps are actions that are one agent operation on the instance's
// host.
var directOps = map[string]string{
	"stop": computerpc.OpStop, "start": computerpc.OpStart, "pause": computerpc.OpPause,
	"unpause": computerpc.OpUnpause, "suspend": computerpc.OpSuspend, "resume": computerpc.OpResume,
	"unrescue": computerpc.OpUnrescue, "shelveOffload": computerpc.OpShelveOffload,
	"rebuild": computerpc.OpRebuild,
}

// opEvents are Nova's instance action event names of agent operations.
var opEvents = map[string]string{
	computerpc.OpBuild: eventBuild, computerpc.OpDelete: "compute_terminate_instance",
	computerpc.OpRebootSoft: "compute_reboot_instance", computerpc.OpRebootHard: "compute_reboot_instance",
	computerpc.OpStop: "compute_stop_instance", computerpc.OpStart: "compute_start_instance",
	computerpc.OpPause: "compute_pause_instance", computerpc.OpUnpause: "compute_unpause_instance",
	computerpc.OpSuspend: "compute_suspend_instance", computerpc.OpResume: "compute_resume_instance",
	computerpc.OpRebuild: "compute_rebuild_instance", computerpc.OpResizeSource: "compute_resize_instance",
	computerpc.OpResizeFinish: "compute_finish_resize", computerpc.OpResizeConfirm: "compute_confirm_resize",
	computerpc.OpResizeRevertDest: "compute_revert_resize", computerpc.OpResizeRevertSource: "compute_finish_revert_resize",
	computerpc.OpSnapshot: "compute_snapshot_instance", computerpc.OpShelveOffload: "compute_shelve_offload_instance",
	computerpc.OpRescue: "compute_rescue_instance", computerpc.OpUnrescue: "compute_unrescue_instance",
}

// actionParams are the Params of instanceAction (see server_actions.go).
type actionParams struct {
	Type             string             `json:"type"`
	ImageID          string             `json:"image_id"`
	Flavor           *computerpc.Flavor `json:"flavor"`
	MigrationID      string             `json:"migration_id"`
	AvailabilityZone string             `json:"availability_zone"`
	RescueImageRef   string             `json:"rescue_image_ref"`
	AdminPassword    string             `json:"admin_password"`
	// Migrate marks a cold migration (a resize that must leave the host);
	// Host is its requested destination ("" lets the scheduler pick).
	Migrate bool   `json:"migrate"`
	Host    string `json:"host"`
}

// runAction carries out an action the API accepted.
func (s *Service) runAction(ctx context.Context, a instanceAction) error {
	var p actionParams
	if len(a.Params) > 0 {
		if err := json.Unmarshal(a.Params, &p); err != nil {
			return err
		}
	}
	var inst *instance
	if err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		inst, err = loadInstanceFull(tx, a.InstanceUUID)
		return err
	}); err != nil {
		return err
	}
	if inst.Deleted {
		return nil
	}
	switch a.Action {
	case "delete":
		return s.conductDelete(ctx, inst, a.ActionRequestID)
	case "reboot":
		op := computerpc.OpRebootSoft
		if p.Type == "HARD" {
			op = computerpc.OpRebootHard
		}
		return s.sendOp(ctx, inst, op, a.ActionRequestID, nil)
	case "rescue":
		return s.sendOp(ctx, inst, computerpc.OpRescue, a.ActionRequestID, func(op *computerpc.Operation) {
			if p.RescueImageRef != "" {
				op.Image = &computerpc.Image{ID: p.RescueImageRef}
			}
			op.AdminPassword = p.AdminPassword
		})
	case "resize":
		return s.startResize(ctx, inst, p, a.ActionRequestID)
	case "confirmResize":
		return s.confirmResize(ctx, inst, p.MigrationID, a.ActionRequestID)
	case "revertResize":
		return s.revertResize(ctx, inst, p.MigrationID, a.ActionRequestID)
	case "createImage", "shelve":
		if p.ImageID == "" { // volume-backed shelve: nothing to upload
			return s.sendOp(ctx, inst, computerpc.OpShelveOffload, a.ActionRequestID, nil)
		}
		return s.snapshot(ctx, inst, p.ImageID, a)
	case "unshelve":
		return s.unshelve(ctx, inst, p, a.ActionRequestID)
	case "trigger_crash_dump":
		return nil
	}
	op, ok := directOps[a.Action]
	if !ok {
		return fmt.Errorf("unknown action %q", a.Action)
	}
	return s.sendOp(ctx, inst, op, a.ActionRequestID, nil)
}

// sendOp records the start of the operation's event and casts it to the
// instance's host.
func (s *Service) sendOp(ctx context.Context, inst *instance, opName, reqID string, change func(*computerpc.Operation)) error {
	if inst.Host == nil {
		return fmt.Errorf("instance %s has no host", inst.UUID)
	}
	op := computerpc.Operation{Op: opName, Host: *inst.Host, Instance: instanceSpec(inst), ActionRequestID: reqID}
	if change != nil {
		change(&op)
	}
	if opName != computerpc.OpDelete { // the API started the delete's event
		if err := s.eventStarted(ctx, inst.UUID, reqID, opEvents[opName], op.Host); err != nil {
			return err
		}
	}
	return s.castOp(ctx, op)
}

// eventStarted records the start of an event of the action reqID.
func (s *Service) eventStarted(ctx context.Context, uuid, reqID, event, host string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		id, err := actionID(tx, uuid, reqID)
		if err != nil {
			return err
		}
		return startEvent(tx, id, event, host, s.now().UnixMicro())
	})
}

// snapshot uploads the instance's disk into a queued image (createImage,
// or the first half of shelve).
func (s *Service) snapshot(ctx context.Context, inst *instance, imageID string, a instanceAction) error {
	var url string
	if s.opts.Images != nil {
		url = s.opts.Images.DataURL(imageID)
	}
	if err := s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstance(tx, inst.UUID)
		if err != nil {
			return err
		}
		if a.Action == "shelve" {
			cur.SystemMetadata = nonNilMap(cur.SystemMetadata)
			cur.SystemMetadata["shelved_image_id"] = imageID
			cur.SystemMetadata["shelved_at"] = s.now().Format("2006-01-02T15:04:05.000000")
			cur.SystemMetadata["shelved_host"] = deref(cur.Host)
		}
		cur.TaskState = ptr(nextUploadTask(deref(cur.TaskState)))
		if err := saveInstance(tx, cur, s.now().UnixMicro()); err != nil {
			return err
		}
		inst.TaskState, inst.SystemMetadata = cur.TaskState, cur.SystemMetadata
		return nil
	}); err != nil {
		return err
	}
	return s.sendOp(ctx, inst, computerpc.OpSnapshot, a.ActionRequestID, func(op *computerpc.Operation) {
		op.Snapshot = &computerpc.SnapshotTarget{ImageID: imageID, DataURL: url, Token: a.Token}
	})
}

// nextUploadTask is the task_state while a snapshot uploads.
func nextUploadTask(task string) string {
	if task == taskShelving {
		return taskShelvingImageUploading
	}
	return taskImageUploading
}

// setTask moves an instance's task_state on.
func (s *Service) setTask(ctx context.Context, inst *instance, task string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstance(tx, inst.UUID)
		if err != nil {
			return err
		}
		cur.TaskState = ptr(task)
		if err := saveInstance(tx, cur, s.now().UnixMicro()); err != nil {
			return err
		}
		inst.TaskState = cur.TaskState
		return nil
	})
}
