package compute

import (
	"context"
	"log/slog"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// settled is the vm_state an instance is in after a successful operation
// ("" keeps the current one).
var settled = map[string]string{
	computerpc.OpBuild: vmActive, computerpc.OpRebootSoft: vmActive, computerpc.OpRebootHard: vmActive,
	computerpc.OpStop: vmStopped, computerpc.OpStart: vmActive, computerpc.OpPause: vmPaused,
	computerpc.OpUnpause: vmActive, computerpc.OpSuspend: vmSuspended, computerpc.OpResume: vmActive,
	computerpc.OpRebuild: vmActive, computerpc.OpRescue: vmRescued, computerpc.OpUnrescue: vmActive,
	computerpc.OpResizeFinish: vmResized, computerpc.OpResizeConfirm: "", computerpc.OpSnapshot: "",
}

// handleResult applies an agent's report of an operation.
func (s *Service) handleResult(ctx context.Context, r computerpc.OpResult) error {
	switch r.Op {
	case computerpc.OpDelete:
		if r.OK {
			return s.finishDelete(ctx, r.InstanceUUID, r.ActionRequestID)
		}
	case computerpc.OpBuild:
		if !r.OK && r.Reschedulable {
			return s.reschedule(ctx, r)
		}
		if r.OK {
			return s.settleBuild(ctx, r)
		}
	case computerpc.OpResizeSource, computerpc.OpResizeFinish, computerpc.OpResizeConfirm,
		computerpc.OpResizeRevertDest, computerpc.OpResizeRevertSource:
		if r.OK {
			return s.resizeStep(ctx, r)
		}
	case computerpc.OpSnapshot:
		if r.OK {
			return s.snapshotDone(ctx, r)
		}
	case computerpc.OpShelveOffload:
		if r.OK {
			return s.offloaded(ctx, r)
		}
	}
	return s.settle(ctx, r)
}

// settle records the end of an operation: the new vm_state on success,
// a fault on failure, the task cleared either way.
func (s *Service) settle(ctx context.Context, r computerpc.OpResult) error {
	return s.db.Write(ctx, func(tx *db.Tx) error { return s.settleIn(tx, r, nil) })
}

// settleBuild settles a successful build and deletes the snapshot an
// unshelved instance was built from, as Nova does once the unshelve
// succeeded.
func (s *Service) settleBuild(ctx context.Context, r computerpc.OpResult) error {
	var image string
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		return s.settleIn(tx, r, func(inst *instance) {
			if image = inst.SystemMetadata["shelved_image_id"]; image != "" {
				for _, k := range []string{"shelved_image_id", "shelved_at", "shelved_host"} {
					delete(inst.SystemMetadata, k)
				}
			}
		})
	})
	if err != nil || image == "" || s.opts.Images == nil {
		return err
	}
	if err := s.opts.Images.DeleteImage(ctx, image); err != nil {
		s.log.Warn("shelved image not deleted", slog.String("image", image), slog.String("error", err.Error()))
	}
	return nil
}

// settleIn is settle inside tx; change, when given, edits the instance
// before it is saved.
func (s *Service) settleIn(tx *db.Tx, r computerpc.OpResult, change func(*instance)) error {
	inst, err := loadInstance(tx, r.InstanceUUID)
	if err != nil || inst.Deleted {
		return err
	}
	now := s.now().UnixMicro()
	result := "Success"
	if r.OK {
		if vm := settled[r.Op]; vm != "" {
			inst.VMState = vm
		}
		if r.Op == computerpc.OpRebuild && r.PowerState == computerpc.PowerShutdown {
			inst.VMState = vmStopped // rebuilt while stopped, as Nova keeps it
		}
		if r.Op == computerpc.OpBuild {
			inst.LaunchedAt = &now
		}
	} else {
		result = "Error"
		if r.Op == computerpc.OpBuild || r.Op == computerpc.OpDelete {
			inst.VMState = vmError
		}
		if r.Fault != nil {
			if err := addFault(tx, inst, r.Fault.Code, r.Fault.Message, r.Fault.Details, now); err != nil {
				return err
			}
		}
	}
	inst.TaskState, inst.PowerState = nil, r.PowerState
	if change != nil {
		change(inst)
	}
	if err := saveInstance(tx, inst, now); err != nil {
		return err
	}
	id, err := actionID(tx, inst.UUID, r.ActionRequestID)
	if err != nil {
		return err
	}
	msg := ""
	if r.Fault != nil {
		msg = r.Fault.Message
	}
	return finishEvent(tx, id, opEvents[r.Op], r.Host, result, msg, now)
}

// reschedule gives a failed build's host back and tries the next one,
// or fails the build once the attempts are used.
func (s *Service) reschedule(ctx context.Context, r computerpc.OpResult) error {
	var again, current bool
	var nics []computerpc.NIC
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		inst, err := loadInstance(tx, r.InstanceUUID)
		if err != nil || inst.Deleted {
			return err
		}
		// A second report of the same failure (the agent's and the
		// recovery loop's) finds the build already moved on.
		if current = inst.VMState == vmBuilding && deref(inst.Host) == r.Host; !current {
			return nil
		}
		now := s.now().UnixMicro()
		id, err := actionID(tx, inst.UUID, r.ActionRequestID)
		if err != nil {
			return err
		}
		nics, inst.NetworkInfo = inst.NetworkInfo, []computerpc.NIC{}
		msg := "build failed"
		if r.Fault != nil {
			msg = r.Fault.Message
		}
		if err := finishEvent(tx, id, eventBuild, r.Host, "Error", msg, now); err != nil {
			return err
		}
		inst.Requested.Attempts++
		inst.Requested.IgnoreHosts = append(inst.Requested.IgnoreHosts, r.Host)
		if inst.Requested.Attempts < s.schedulerConfig().MaxAttempts {
			again = true
			inst.Host, inst.Node, inst.TaskState = nil, nil, ptr(taskScheduling)
			if err := startEvent(tx, id, eventSchedule, "", now); err != nil {
				return err
			}
			return saveInstance(tx, inst, now)
		}
		inst.VMState, inst.TaskState = vmError, nil
		if err := saveInstance(tx, inst, now); err != nil {
			return err
		}
		return addFault(tx, inst, 500, "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance "+
			inst.UUID+".", msg, now)
	})
	if err != nil || !current {
		return err
	}
	if err := s.opts.Placement.DeleteAllocations(ctx, r.InstanceUUID); err != nil {
		return err
	}
	_ = s.opts.Network.Deallocate(ctx, InstanceRef{UUID: r.InstanceUUID, Host: r.Host, NICs: nics})
	if again {
		s.log.Info("rescheduling a failed build", slog.String("instance", r.InstanceUUID), slog.String("failed_host", r.Host))
		s.buildOne(ctx, r.InstanceUUID)
	}
	return nil
}

// snapshotDone follows an uploaded snapshot: createImage is over; shelve
// goes on to offload the guest.
func (s *Service) snapshotDone(ctx context.Context, r computerpc.OpResult) error {
	var inst *instance
	if err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		inst, err = loadInstanceFull(tx, r.InstanceUUID)
		return err
	}); err != nil || inst.Deleted {
		return err
	}
	if deref(inst.TaskState) != taskShelvingImageUploading {
		return s.settle(ctx, r)
	}
	if err := s.db.Write(ctx, func(tx *db.Tx) error {
		id, err := actionID(tx, inst.UUID, r.ActionRequestID)
		if err != nil {
			return err
		}
		return finishEvent(tx, id, opEvents[r.Op], r.Host, "Success", "", s.now().UnixMicro())
	}); err != nil {
		return err
	}
	if err := s.setTask(ctx, inst, taskShelvingOffloading); err != nil {
		return err
	}
	return s.sendOp(ctx, inst, computerpc.OpShelveOffload, r.ActionRequestID, nil)
}

// offloaded finishes a shelve: the guest is gone from its host, which
// keeps nothing of it.
func (s *Service) offloaded(ctx context.Context, r computerpc.OpResult) error {
	if err := s.opts.Placement.DeleteAllocations(ctx, r.InstanceUUID); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		inst, err := loadInstance(tx, r.InstanceUUID)
		if err != nil || inst.Deleted {
			return err
		}
		now := s.now().UnixMicro()
		inst.VMState, inst.TaskState, inst.PowerState = vmShelvedOffloaded, nil, computerpc.PowerNoState
		inst.Host, inst.Node = nil, nil
		if err := saveInstance(tx, inst, now); err != nil {
			return err
		}
		id, err := actionID(tx, inst.UUID, r.ActionRequestID)
		if err != nil {
			return err
		}
		return finishEvent(tx, id, opEvents[r.Op], r.Host, "Success", "", now)
	})
}

// powerSync records power states the agent found, and stops instances
// whose guest shut down by itself (Nova's power state sync).
func (s *Service) powerSync(ctx context.Context, r computerpc.PowerSync) error {
	seen := map[string]int{}
	for _, p := range r.Instances {
		seen[p.UUID] = p.PowerState
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		uuids, err := tx.Strings(`SELECT uuid FROM compute_instances WHERE host = ? AND deleted = FALSE AND task_state IS NULL
			AND updated_at < ?`, r.Host, r.Taken.UnixMicro())
		if err != nil {
			return err
		}
		for _, id := range uuids {
			inst, err := loadInstance(tx, id)
			if err != nil {
				return err
			}
			p, ok := seen[id]
			if !ok {
				p = computerpc.PowerNoState
			}
			if p == inst.PowerState {
				continue
			}
			inst.PowerState = p
			if inst.VMState == vmActive && (p == computerpc.PowerShutdown || p == computerpc.PowerNoState) {
				inst.VMState = vmStopped
			}
			if err := saveInstance(tx, inst, s.now().UnixMicro(), ""); err != nil {
				return err
			}
		}
		return nil
	})
}
