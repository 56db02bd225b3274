package compute

import (
	"context"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// unshelve schedules a shelved-offloaded instance again and builds it
// from its shelved image; a build result then makes it active.
func (s *Service) unshelve(ctx context.Context, inst *instance, p actionParams, reqID string) error {
	spec, err := s.schedulerSpec(ctx, inst)
	if err != nil {
		return err
	}
	if p.AvailabilityZone != "" {
		spec.AvailabilityZone = p.AvailabilityZone
	}
	pl, res, err := s.place(ctx, inst, spec)
	if err != nil {
		return s.failAction(ctx, inst, reqID, "compute_unshelve_instance", err.Error())
	}
	if pl == nil {
		return s.failAction(ctx, inst, reqID, "compute_unshelve_instance", res.UserMessage())
	}
	h := pl.host
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstanceFull(tx, inst.UUID)
		if err != nil {
			return err
		}
		cur.Host, cur.Node, cur.AvailabilityZone = ptr(h.Host), ptr(h.HypervisorHostname), ptr(h.AvailabilityZone)
		*inst = *cur
		return saveInstance(tx, cur, s.now().UnixMicro())
	})
	if err != nil {
		_ = s.opts.Placement.DeleteAllocations(ctx, inst.UUID)
		return err
	}
	return s.sendOp(ctx, inst, computerpc.OpBuild, reqID, func(op *computerpc.Operation) {
		if img := inst.SystemMetadata["shelved_image_id"]; img != "" {
			op.Instance.Image.ID = img
		}
	})
}
