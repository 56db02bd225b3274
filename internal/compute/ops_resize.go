package compute

import (
	"context"
	"fmt"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/scheduler"
)

// migration is what the conductor reads of a compute_migrations row.
type migration struct {
	UUID, Status, Source, SourceNode, Dest, DestNode string
}

func loadMigration(tx *db.Tx, uuid string) (*migration, error) {
	m := &migration{UUID: uuid}
	err := tx.QueryRow(`SELECT status, COALESCE(source_compute, ''), COALESCE(source_node, ''),
		COALESCE(dest_compute, ''), COALESCE(dest_node, '') FROM compute_migrations WHERE uuid = ?`, uuid).
		Scan(&m.Status, &m.Source, &m.SourceNode, &m.Dest, &m.DestNode)
	return m, err
}

func setMigrationStatus(tx *db.Tx, uuid, status string, now int64) error {
	_, err := tx.Exec(`UPDATE compute_migrations SET status = ?, updated_at = ? WHERE uuid = ?`, status, now, uuid)
	return err
}

// startResize schedules the new flavor, moves the old allocation to a new
// migration and claims the new one in one placement step, then asks the
// source to hand the guest over.
func (s *Service) startResize(ctx context.Context, inst *instance, p actionParams, reqID string) error {
	if p.Flavor == nil || inst.Host == nil {
		return fmt.Errorf("resize of %s without a flavor or a host", inst.UUID)
	}
	spec, err := s.schedulerSpec(ctx, inst)
	if err != nil {
		return err
	}
	f := *p.Flavor
	spec.Flavor = scheduler.Flavor{VCPUs: f.VCPUs, MemoryMB: f.MemoryMB, RootGB: f.RootGB,
		EphemeralGB: f.EphemeralGB, SwapMB: f.SwapMB, ExtraSpecs: f.ExtraSpecs}
	if p.Migrate || !s.opts.AllowResizeToSameHost {
		spec.IgnoreHosts = append(spec.IgnoreHosts, *inst.Host)
	}
	if p.Migrate && p.Host != "" {
		spec.RequestedHost, spec.RequestedNode = p.Host, ""
	}
	migType := "resize"
	if p.Migrate {
		migType = "migration"
	}
	old, err := s.opts.Placement.GetAllocations(ctx, inst.UUID)
	if err != nil {
		return err
	}
	migUUID := s.newID()
	pl, res, err := s.placeWith(ctx, spec, func(allocs map[string]placementapi.Resources) error {
		moved := map[string]placementapi.Resources{}
		for rp, a := range old.Allocations {
			moved[rp] = placementapi.Resources{Resources: a.Resources}
		}
		return s.opts.Placement.PostAllocations(ctx, map[string]placementapi.AllocationsPut{
			migUUID:   {Allocations: moved, ProjectID: inst.ProjectID, UserID: inst.UserID, ConsumerType: "MIGRATION"},
			inst.UUID: {Allocations: allocs, ProjectID: inst.ProjectID, UserID: inst.UserID, ConsumerGeneration: old.ConsumerGeneration},
		})
	})
	if err != nil {
		return s.failAction(ctx, inst, reqID, "compute_prep_resize", err.Error())
	}
	if pl == nil {
		return s.failAction(ctx, inst, reqID, "conductor_migrate_server", res.UserMessage())
	}
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstance(tx, inst.UUID)
		if err != nil {
			return err
		}
		now := s.now().UnixMicro()
		id, err := nextCounter(tx, "migration")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO compute_migrations (id, uuid, instance_uuid, migration_type, status,
			source_compute, source_node, dest_compute, dest_node, old_flavor_id, new_flavor_id, project_id, user_id,
			created_at, updated_at) VALUES (?, ?, ?, ?, 'migrating', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, migUUID, cur.UUID, migType, *cur.Host, deref(cur.Node), pl.host.Host, pl.host.HypervisorHostname,
			cur.Flavor.ID, f.ID, cur.ProjectID, cur.UserID, now, now); err != nil {
			return err
		}
		cur.OldFlavor, cur.NewFlavor = ptr(cur.Flavor), ptr(f)
		cur.TaskState = ptr(taskResizeMigrating)
		*inst = *cur
		return saveInstance(tx, cur, now)
	})
	if err != nil {
		return err
	}
	return s.sendOp(ctx, inst, computerpc.OpResizeSource, reqID, func(op *computerpc.Operation) {
		op.MigrationID, op.NewFlavor = migUUID, ptr(f)
	})
}

// resizeStep moves a resize on after one of its agent operations.
func (s *Service) resizeStep(ctx context.Context, r computerpc.OpResult) error {
	// Placement settles before the instance does: once a confirm or revert
	// shows the instance settled, a new move may start at once.
	if err := s.settleResizeAllocations(ctx, r); err != nil {
		return err
	}
	var inst *instance
	var mig *migration
	now := s.now().UnixMicro()
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if inst, err = loadInstanceFull(tx, r.InstanceUUID); err != nil {
			return err
		}
		if mig, err = loadMigration(tx, r.MigrationID); err != nil {
			return err
		}
		id, err := actionID(tx, inst.UUID, r.ActionRequestID)
		if err != nil {
			return err
		}
		if err := finishEvent(tx, id, opEvents[r.Op], r.Host, "Success", "", now); err != nil {
			return err
		}
		return s.applyResizeStep(tx, inst, mig, r, now)
	})
	if err != nil || inst.Deleted {
		return err
	}
	switch r.Op {
	case computerpc.OpResizeSource:
		return s.sendOp(ctx, inst, computerpc.OpResizeFinish, r.ActionRequestID, func(op *computerpc.Operation) {
			op.Host, op.MigrationID = mig.Dest, mig.UUID
		})
	case computerpc.OpResizeRevertDest:
		return s.sendOp(ctx, inst, computerpc.OpResizeRevertSource, r.ActionRequestID, func(op *computerpc.Operation) {
			op.Host, op.MigrationID = mig.Source, mig.UUID
		})
	}
	return nil
}

// settleResizeAllocations drops the source claim of a confirmed resize or
// gives a reverted one its old claim back.
func (s *Service) settleResizeAllocations(ctx context.Context, r computerpc.OpResult) error {
	switch r.Op {
	case computerpc.OpResizeConfirm:
		return s.opts.Placement.DeleteAllocations(ctx, r.MigrationID)
	case computerpc.OpResizeRevertSource:
		var inst *instance
		err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
			inst, err = loadInstance(tx, r.InstanceUUID)
			return err
		})
		if err != nil || inst.Deleted {
			return err
		}
		return s.swapBackAllocations(ctx, inst, r.MigrationID)
	}
	return nil
}

// applyResizeStep is the database side of a resize step.
func (s *Service) applyResizeStep(tx *db.Tx, inst *instance, mig *migration, r computerpc.OpResult, now int64) error {
	switch r.Op {
	case computerpc.OpResizeSource:
		inst.TaskState = ptr(taskResizeFinish)
		// The finish runs on the destination with the new flavor.
		if inst.NewFlavor != nil {
			inst.Flavor = *inst.NewFlavor
		}
		inst.Host, inst.Node = ptr(mig.Dest), ptr(mig.DestNode)
		if err := setMigrationStatus(tx, mig.UUID, "post-migrating", now); err != nil {
			return err
		}
	case computerpc.OpResizeFinish:
		inst.VMState, inst.TaskState, inst.PowerState = vmResized, nil, r.PowerState
		if inst.NewFlavor != nil {
			inst.FlavorID = inst.NewFlavor.ID
		}
		if err := setMigrationStatus(tx, mig.UUID, "finished", now); err != nil {
			return err
		}
	case computerpc.OpResizeConfirm:
		inst.VMState, inst.TaskState = settledAfterResize(inst.PowerState), nil
		inst.OldFlavor, inst.NewFlavor = nil, nil
		if err := setMigrationStatus(tx, mig.UUID, "confirmed", now); err != nil {
			return err
		}
	case computerpc.OpResizeRevertDest:
		if inst.OldFlavor != nil {
			inst.Flavor, inst.FlavorID = *inst.OldFlavor, inst.OldFlavor.ID
		}
		inst.Host, inst.Node = ptr(mig.Source), ptr(mig.SourceNode)
	case computerpc.OpResizeRevertSource:
		inst.VMState, inst.TaskState, inst.PowerState = settledAfterResize(r.PowerState), nil, r.PowerState
		inst.OldFlavor, inst.NewFlavor = nil, nil
		if err := setMigrationStatus(tx, mig.UUID, "reverted", now); err != nil {
			return err
		}
	}
	return saveInstance(tx, inst, now)
}

func settledAfterResize(power int) string {
	if power == computerpc.PowerShutdown {
		return vmStopped
	}
	return vmActive
}

// confirmResize drops the source copy of a resized instance.
func (s *Service) confirmResize(ctx context.Context, inst *instance, migUUID, reqID string) error {
	mig, err := s.migration(ctx, migUUID)
	if err != nil {
		return err
	}
	return s.sendOp(ctx, inst, computerpc.OpResizeConfirm, reqID, func(op *computerpc.Operation) {
		op.Host, op.MigrationID = mig.Source, mig.UUID
	})
}

// revertResize drops the destination copy, then brings the source back.
func (s *Service) revertResize(ctx context.Context, inst *instance, migUUID, reqID string) error {
	mig, err := s.migration(ctx, migUUID)
	if err != nil {
		return err
	}
	return s.sendOp(ctx, inst, computerpc.OpResizeRevertDest, reqID, func(op *computerpc.Operation) {
		op.Host, op.MigrationID = mig.Dest, mig.UUID
	})
}

func (s *Service) migration(ctx context.Context, uuid string) (*migration, error) {
	var m *migration
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		m, err = loadMigration(tx, uuid)
		return err
	})
	return m, err
}

// swapBackAllocations gives a reverted instance its old allocation back
// from the migration that held it.
func (s *Service) swapBackAllocations(ctx context.Context, inst *instance, migUUID string) error {
	held, err := s.opts.Placement.GetAllocations(ctx, migUUID)
	if err != nil || len(held.Allocations) == 0 {
		return err // already swapped back by an earlier delivery
	}
	cur, err := s.opts.Placement.GetAllocations(ctx, inst.UUID)
	if err != nil {
		return err
	}
	back := map[string]placementapi.Resources{}
	for rp, a := range held.Allocations {
		back[rp] = placementapi.Resources{Resources: a.Resources}
	}
	return s.opts.Placement.PostAllocations(ctx, map[string]placementapi.AllocationsPut{
		inst.UUID: {Allocations: back, ProjectID: inst.ProjectID, UserID: inst.UserID, ConsumerGeneration: cur.ConsumerGeneration},
		migUUID:   {Allocations: map[string]placementapi.Resources{}, ProjectID: inst.ProjectID, UserID: inst.UserID, ConsumerGeneration: held.ConsumerGeneration},
	})
}

// failAction ends an action that could not start: task cleared, a fault
// and the event's error recorded.
func (s *Service) failAction(ctx context.Context, inst *instance, reqID, event, msg string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstance(tx, inst.UUID)
		if err != nil || cur.Deleted {
			return err
		}
		now := s.now().UnixMicro()
		cur.TaskState = nil
		if err := saveInstance(tx, cur, now); err != nil {
			return err
		}
		if err := addFault(tx, cur, 500, msg, "", now); err != nil {
			return err
		}
		id, err := actionID(tx, cur.UUID, reqID)
		if err != nil {
			return err
		}
		return finishEvent(tx, id, event, "", "Error", msg, now)
	})
}
