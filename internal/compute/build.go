package compute

import (
	"context"
	"errors"
	"log/slog"
	"slices"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/scheduler"
)

// Nova's instance action event names of a build.
const (
	eventSchedule = "conductor_schedule_and_build_instances"
	eventBuild    = "compute__do_build_and_run_instance"
)

// placed is where a build landed.
type placed struct {
	host scheduler.HostState
}

// buildOne schedules, claims and starts the build of one instance waiting
// in building/scheduling. Anything else (deleted meanwhile, already
// placed) is left alone.
func (s *Service) buildOne(ctx context.Context, uuid string) {
	var inst *instance
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		inst, err = loadInstanceFull(tx, uuid)
		return err
	})
	if err != nil || inst.Deleted || inst.VMState != vmBuilding || deref(inst.TaskState) != taskScheduling {
		return
	}
	spec, err := s.schedulerSpec(ctx, inst)
	if err != nil {
		s.failBuild(ctx, inst, 500, "Build of instance "+uuid+" aborted: "+err.Error(), "")
		return
	}
	p, res, err := s.place(ctx, inst, spec)
	if err != nil {
		s.log.Error("placement failed", slog.String("instance", uuid), slog.String("error", err.Error()))
		s.failBuild(ctx, inst, 500, "No valid host was found. ", err.Error())
		return
	}
	if p == nil && inst.Requested.Attempts > 0 {
		s.failBuild(ctx, inst, 500, "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance "+
			uuid+".", res.Reason())
		return
	}
	if p == nil {
		s.failBuild(ctx, inst, 500, res.UserMessage(), res.Reason())
		return
	}
	s.startBuild(ctx, inst, p)
}

// place asks placement for candidates, filters and weighs their hosts and
// claims the best one that still has room. nil means no valid host.
func (s *Service) place(ctx context.Context, inst *instance, spec scheduler.RequestSpec) (*placed, scheduler.Result, error) {
	return s.placeWith(ctx, spec, func(allocs map[string]placementapi.Resources) error {
		return s.opts.Placement.PutAllocations(ctx, inst.UUID, placementapi.AllocationsPut{
			Allocations: allocs, ProjectID: inst.ProjectID, UserID: inst.UserID})
	})
}

// placeWith is place with the claim made by claim (a resize moves the old
// allocation aside in the same step); a Conflict tries the next host.
func (s *Service) placeWith(ctx context.Context, spec scheduler.RequestSpec, claim func(map[string]placementapi.Resources) error) (*placed, scheduler.Result, error) {
	cfg := s.schedulerConfig()
	cands, err := s.opts.Placement.AllocationCandidates(ctx, scheduler.PlacementQuery(spec, cfg.MaxPlacementResults))
	if err != nil {
		return nil, scheduler.Result{}, err
	}
	byRP := map[string]placementapi.AllocationRequest{}
	for _, ar := range cands.AllocationRequests {
		for rp := range ar.Allocations {
			if _, ok := byRP[rp]; !ok {
				byRP[rp] = ar
			}
		}
	}
	all, err := s.hostStatesWith(ctx, cands.ProviderSummaries)
	if err != nil {
		return nil, scheduler.Result{}, err
	}
	hosts := slices.DeleteFunc(all, func(h scheduler.HostState) bool { _, ok := byRP[h.NodeUUID]; return !ok })
	res := scheduler.Select(spec, hosts, cfg)
	for _, h := range res.Hosts {
		err := claim(byRP[h.NodeUUID].Allocations)
		if errs.Is(err, errs.Conflict) {
			continue // another build took the room first
		}
		if err != nil {
			return nil, res, err
		}
		return &placed{host: h}, res, nil
	}
	return nil, res, nil
}

// schedulerConfig is the scheduler's configuration.
func (s *Service) schedulerConfig() scheduler.Config {
	cfg := s.opts.Scheduler
	if len(cfg.EnabledFilters) == 0 {
		cfg = scheduler.DefaultConfig()
	}
	cfg.DefaultAvailabilityZone = s.opts.DefaultAZ
	if s.opts.MaxAttempts > 0 {
		cfg.MaxAttempts = s.opts.MaxAttempts
	}
	return cfg
}

// startBuild records the placement, binds the network and sends the
// build to the host.
func (s *Service) startBuild(ctx context.Context, inst *instance, p *placed) {
	h := p.host
	var nics []computerpc.NIC
	var err error
	if inst.Requested.NetworksMode != "none" {
		nics, err = s.opts.Network.Allocate(ctx, InstanceRef{UUID: inst.UUID, ProjectID: inst.ProjectID,
			UserID: inst.UserID, Hostname: inst.Hostname, Host: h.Host, AZ: h.AvailabilityZone}, inst.Requested.Networks)
	}
	if err != nil {
		_ = s.opts.Placement.DeleteAllocations(ctx, inst.UUID)
		s.failBuild(ctx, inst, 500, "Build of instance "+inst.UUID+" aborted: "+err.Error(), "")
		return
	}
	var reqID string
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstanceFull(tx, inst.UUID)
		if err != nil {
			return err
		}
		if cur.Deleted {
			return instanceNotFound(inst.UUID)
		}
		cur.Host, cur.Node, cur.LaunchedOn = ptr(h.Host), ptr(h.HypervisorHostname), ptr(h.Host)
		cur.AvailabilityZone = ptr(h.AvailabilityZone)
		cur.TaskState = ptr(taskSpawning)
		if len(nics) > 0 {
			cur.NetworkInfo = nics
		}
		if err := saveInstance(tx, cur, s.now().UnixMicro(), taskScheduling); err != nil {
			return err
		}
		*inst = *cur
		if reqID, err = actionRequestID(tx, inst.UUID, "create", "unshelve"); err != nil {
			return err
		}
		now := s.now().UnixMicro()
		id, err := actionID(tx, inst.UUID, reqID)
		if err != nil {
			return err
		}
		if err := finishEvent(tx, id, eventSchedule, "", "Success", "", now); err != nil {
			return err
		}
		return startEvent(tx, id, eventBuild, h.Host, now)
	})
	if err != nil {
		// Deleted or changed meanwhile: give the room back.
		_ = s.opts.Placement.DeleteAllocations(ctx, inst.UUID)
		_ = s.opts.Network.Deallocate(ctx, InstanceRef{UUID: inst.UUID, ProjectID: inst.ProjectID, Host: h.Host, NICs: nics})
		return
	}
	op := computerpc.Operation{Op: computerpc.OpBuild, Host: h.Host, Instance: instanceSpec(inst), ActionRequestID: reqID}
	if err := s.castOp(ctx, op); err != nil {
		s.log.Warn("build not sent; recovery will retry", slog.String("instance", inst.UUID), slog.String("error", err.Error()))
	}
}

// failBuild puts an instance that cannot be built into ERROR with a fault
// and gives back what it held.
func (s *Service) failBuild(ctx context.Context, inst *instance, code int, msg, details string) {
	_ = s.opts.Placement.DeleteAllocations(ctx, inst.UUID)
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstance(tx, inst.UUID)
		if err != nil || cur.Deleted {
			return err
		}
		cur.VMState, cur.TaskState = vmError, nil
		if err := saveInstance(tx, cur, s.now().UnixMicro()); err != nil {
			return err
		}
		now := s.now().UnixMicro()
		if err := addFault(tx, cur, code, msg, details, now); err != nil {
			return err
		}
		reqID, err := actionRequestID(tx, inst.UUID, "create", "unshelve")
		if err != nil {
			return err
		}
		id, err := actionID(tx, inst.UUID, reqID)
		if err != nil {
			return err
		}
		return finishEvent(tx, id, eventSchedule, "", "Error", msg, now)
	})
	if err != nil && !errs.Is(err, errs.NotFound) {
		s.log.Error("recording a failed build", slog.String("instance", inst.UUID), slog.String("error", err.Error()))
	}
}

// addFault records an instance fault.
func addFault(tx *db.Tx, i *instance, code int, msg, details string, now int64) error {
	id, err := nextCounter(tx, "instance_fault")
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO compute_instance_faults (id, instance_uuid, code, message, details, host, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, i.UUID, code, msg, details, i.Host, now)
	return err
}

// actionRequestID is the request id of the newest action of an instance
// among names.
func actionRequestID(tx *db.Tx, uuid string, names ...string) (string, error) {
	q, args := inClause(names)
	var id string
	err := tx.QueryRow(`SELECT request_id FROM compute_instance_actions WHERE instance_uuid = ? AND action IN `+q+
		` ORDER BY id DESC LIMIT 1`, append([]any{uuid}, args...)...).Scan(&id)
	if err != nil && errors.Is(err, errNoRows) {
		return "", nil
	}
	return id, err
}
