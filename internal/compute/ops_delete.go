package compute

import (
	"context"
	"log/slog"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// conductDelete removes an instance: through its host's agent when the
// host is up, else at once (Nova's local delete), never leaking its
// allocations or ports.
func (s *Service) conductDelete(ctx context.Context, inst *instance, reqID string) error {
	if inst.Host != nil && s.hostUp(*inst.Host) {
		return s.sendOp(ctx, inst, computerpc.OpDelete, reqID, nil)
	}
	return s.finishDelete(ctx, inst.UUID, reqID)
}

// hostUp says whether a compute host's agent heartbeats.
func (s *Service) hostUp(host string) bool {
	return s.opts.Liveness != nil && s.opts.Liveness.Up(computerpc.ServiceName, host)
}

// finishDelete releases what the instance held and marks it deleted.
func (s *Service) finishDelete(ctx context.Context, uuid, reqID string) error {
	var inst *instance
	if err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		inst, err = loadInstance(tx, uuid)
		return err
	}); err != nil {
		return err
	}
	if err := s.opts.Network.Deallocate(ctx, InstanceRef{UUID: uuid, ProjectID: inst.ProjectID,
		UserID: inst.UserID, Host: deref(inst.Host), NICs: inst.NetworkInfo}); err != nil {
		s.log.Warn("releasing ports", slog.String("instance", uuid), slog.String("error", err.Error()))
	}
	if err := s.deleteMigrationAllocations(ctx, uuid); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstance(tx, uuid)
		if err != nil {
			return err
		}
		if err := s.opts.Placement.DeleteAllocationsIn(tx, uuid); err != nil || cur.Deleted {
			return err
		}
		now := s.now().UnixMicro()
		cur.VMState, cur.TaskState, cur.PowerState = vmDeleted, nil, computerpc.PowerNoState
		cur.Deleted, cur.DeletedAt, cur.TerminatedAt = true, &now, &now
		if err := saveInstance(tx, cur, now); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM compute_server_group_members WHERE instance_uuid = ?`, uuid); err != nil {
			return err
		}
		id, err := actionID(tx, uuid, reqID)
		if err != nil {
			return err
		}
		return finishEvent(tx, id, opEvents[computerpc.OpDelete], deref(cur.Host), "Success", "", now)
	})
}

// deleteMigrationAllocations drops allocations held by the instance's
// unfinished migrations.
func (s *Service) deleteMigrationAllocations(ctx context.Context, uuid string) error {
	var migs []string
	if err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		migs, err = tx.Strings(`SELECT uuid FROM compute_migrations WHERE instance_uuid = ?`, uuid)
		return err
	}); err != nil {
		return err
	}
	for _, m := range migs {
		if err := s.opts.Placement.DeleteAllocations(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
