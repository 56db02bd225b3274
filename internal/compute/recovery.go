package compute

import (
	"context"
	"log/slog"
	"time"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// recover finds work whose messages were lost: builds never picked up
// are built again; builds and deletes on hosts that stopped heartbeating
// are rescheduled (or failed) and finished locally.
func (s *Service) recover(ctx context.Context) {
	timeout := s.opts.BuildTimeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	now := s.now()
	var waiting, stuck, deleting []*instance
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		var err error
		if waiting, err = instancesWhere(tx, `vm_state = ? AND task_state = ? AND host IS NULL AND updated_at < ?`,
			vmBuilding, taskScheduling, now.Add(-10*time.Second).UnixMicro()); err != nil {
			return err
		}
		if stuck, err = instancesWhere(tx, `vm_state = ? AND task_state IN (?, ?) AND host IS NOT NULL AND updated_at < ?`,
			vmBuilding, taskSpawning, taskNetworking, now.Add(-timeout).UnixMicro()); err != nil {
			return err
		}
		deleting, err = instancesWhere(tx, `task_state = ? AND updated_at < ?`, taskDeleting, now.Add(-timeout).UnixMicro())
		return err
	})
	if err != nil {
		s.log.Error("recovery scan failed", slog.String("error", err.Error()))
		return
	}
	for _, i := range waiting {
		s.buildOne(ctx, i.UUID)
	}
	for _, i := range stuck {
		if s.hostUp(deref(i.Host)) {
			continue
		}
		s.log.Warn("rescheduling a build stuck on a silent host", slog.String("instance", i.UUID), slog.String("host", deref(i.Host)))
		s.recoverBuild(ctx, i)
	}
	for _, i := range deleting {
		if i.Host == nil || !s.hostUp(*i.Host) {
			if err := s.finishDelete(ctx, i.UUID, ""); err != nil {
				s.log.Error("local delete failed", slog.String("instance", i.UUID), slog.String("error", err.Error()))
			}
		}
	}
}

// recoverBuild treats a build on a silent host as a reschedulable failure.
func (s *Service) recoverBuild(ctx context.Context, i *instance) {
	var reqID string
	_ = s.db.Read(ctx, func(tx *db.Tx) (err error) {
		reqID, err = actionRequestID(tx, i.UUID, "create", "unshelve")
		return err
	})
	err := s.reschedule(ctx, computerpc.OpResult{Op: computerpc.OpBuild, Host: deref(i.Host), InstanceUUID: i.UUID,
		ActionRequestID: reqID, Reschedulable: true,
		Fault: &computerpc.Fault{Code: 500, Message: "Compute host " + deref(i.Host) + " stopped reporting during the build"}})
	if err != nil {
		s.log.Error("recovering a build failed", slog.String("instance", i.UUID), slog.String("error", err.Error()))
	}
}

// instancesWhere loads the live instances matching cond.
func instancesWhere(tx *db.Tx, cond string, args ...any) ([]*instance, error) {
	rows, err := tx.Query(`SELECT `+instanceColumns+` FROM compute_instances WHERE deleted = FALSE AND `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*instance
	for rows.Next() {
		i, err := scanInstance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}
