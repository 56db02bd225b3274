package compute

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/hypervisor"
)

// run carries out one operation and reports its result to the conductor.
func (h *hostAgent) run(ctx context.Context, op computerpc.Operation) {
	l := h.instanceLock(op.Instance.UUID)
	l.Lock()
	started := time.Now().UTC()
	err := h.do(ctx, op)
	power := h.powerOf(ctx, op.Instance.UUID)
	l.Unlock()
	if op.Op == computerpc.OpDelete || op.Op == computerpc.OpShelveOffload {
		h.forget(op.Instance.UUID)
	}
	res := computerpc.OpResult{Op: op.Op, Host: h.name, InstanceUUID: op.Instance.UUID,
		ActionRequestID: op.ActionRequestID, MigrationID: op.MigrationID, OK: err == nil,
		PowerState: power, Started: started, Finished: time.Now().UTC()}
	if err != nil {
		h.log.Warn("operation failed", slog.String("op", op.Op), slog.String("instance", op.Instance.UUID),
			slog.String("error", err.Error()))
		res.Fault = &computerpc.Fault{Code: 500, Message: err.Error()}
		res.Reschedulable = op.Op == computerpc.OpBuild
	}
	if err := h.agent.callConductor(h.agent.ctx, res, nil); err != nil && h.agent.ctx.Err() == nil {
		h.log.Error("operation result not delivered", slog.String("op", op.Op),
			slog.String("instance", op.Instance.UUID), slog.String("error", err.Error()))
	}
}

// do runs the driver call of op.
func (h *hostAgent) do(ctx context.Context, op computerpc.Operation) error {
	d, inst := h.driver, op.Instance
	switch op.Op {
	case computerpc.OpBuild:
		return d.Spawn(ctx, inst)
	case computerpc.OpDelete, computerpc.OpShelveOffload, computerpc.OpResizeRevertDest:
		return d.Destroy(ctx, inst.UUID)
	case computerpc.OpRebootSoft:
		return d.Reboot(ctx, inst.UUID, false)
	case computerpc.OpRebootHard:
		return d.Reboot(ctx, inst.UUID, true)
	case computerpc.OpStop:
		return d.PowerOff(ctx, inst.UUID)
	case computerpc.OpStart:
		return d.PowerOn(ctx, inst.UUID)
	case computerpc.OpPause:
		return d.Pause(ctx, inst.UUID)
	case computerpc.OpUnpause:
		return d.Unpause(ctx, inst.UUID)
	case computerpc.OpSuspend:
		return d.Suspend(ctx, inst.UUID)
	case computerpc.OpResume:
		return d.Resume(ctx, inst.UUID)
	case computerpc.OpRebuild:
		return d.Rebuild(ctx, inst)
	case computerpc.OpRescue:
		image := inst.Image
		if op.Image != nil {
			image = *op.Image
		}
		return d.Rescue(ctx, inst, image)
	case computerpc.OpUnrescue:
		return d.Unrescue(ctx, inst.UUID)
	case computerpc.OpResizeSource:
		if op.NewFlavor == nil {
			return errors.New("resize without a new flavor")
		}
		return d.MigrateDiskAndPowerOff(ctx, inst.UUID, *op.NewFlavor)
	case computerpc.OpResizeFinish:
		return d.FinishMigration(ctx, inst, inst.PowerState != computerpc.PowerShutdown)
	case computerpc.OpResizeConfirm:
		return d.ConfirmMigration(ctx, inst.UUID)
	case computerpc.OpResizeRevertSource:
		return d.FinishRevertMigration(ctx, inst, inst.PowerState != computerpc.PowerShutdown)
	case computerpc.OpSnapshot:
		return h.snapshot(ctx, op)
	}
	return fmt.Errorf("unknown operation %q", op.Op)
}

// powerOf is the guest's power state now (NOSTATE once it is gone).
func (h *hostAgent) powerOf(ctx context.Context, uuid string) int {
	list, err := h.driver.List(ctx)
	if err != nil {
		return computerpc.PowerNoState
	}
	for _, g := range list {
		if g.UUID == uuid {
			return g.PowerState
		}
	}
	return computerpc.PowerNoState
}

func (h *hostAgent) forget(uuid string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.locks, uuid)
}

// snapshot streams the guest's disk to the image service.
func (h *hostAgent) snapshot(ctx context.Context, op computerpc.Operation) error {
	t := op.Snapshot
	if t == nil || t.DataURL == "" {
		return errors.New("snapshot without a target")
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(h.driver.Snapshot(ctx, op.Instance.UUID, pw)) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, t.DataURL, pr)
	if err != nil {
		pr.CloseWithError(err)
		return err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-Auth-Token", t.Token)
	resp, err := h.agent.opts.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("snapshot upload: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("snapshot upload: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// driverError gives a driver failure its bus code.
func driverError(err error) error {
	switch {
	case errors.Is(err, hypervisor.ErrNotFound):
		return errs.NotFoundf("%s", err.Error())
	case errors.Is(err, hypervisor.ErrInvalidState):
		return errs.Conflictf("%s", err.Error())
	}
	return err
}

// lastLines keeps the last n of s's newline-separated parts (all when
// n <= 0), as Nova's _tail_log does: a trailing newline counts as an
// empty last part.
func lastLines(s string, n int) string {
	if n <= 0 {
		return s
	}
	parts := strings.Split(s, "\n")
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return strings.Join(parts, "\n")
}
