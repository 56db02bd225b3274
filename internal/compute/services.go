package compute

import (
	"context"
	"net/http"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// RegisterControllerService records a controller role's service row
// (nova-conductor, nova-scheduler) for host, so os-services lists it;
// idempotent.
func (s *Service) RegisterControllerService(ctx context.Context, binary, host string) error {
	topics := map[string]string{computerpc.ConductorService: "conductor", computerpc.SchedulerService: "scheduler"}
	topic, ok := topics[binary]
	if !ok {
		return errs.BadRequestf("Unknown controller service %s.", binary)
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		_, err := s.ensureService(tx, host, binary, topic)
		return err
	})
}

// serviceUp is Nova's service_is_up for the compute service of host:
// heartbeats arrive and it is not forced down (enabled or not).
func (s *Service) serviceUp(host string) bool {
	if s.opts.Liveness == nil || !s.opts.Liveness.Up(computerpc.ServiceName, host) {
		return false
	}
	var forced bool
	err := s.db.Read(context.Background(), func(tx *db.Tx) error {
		svc, err := computeServiceOf(tx, host)
		forced = svc != nil && svc.ForcedDown
		return err
	})
	return err == nil && !forced
}

// liveness is a snapshot of what the heartbeat tracker knows.
type liveness map[[2]string]bus.ServiceState

func (s *Service) livenessNow() liveness {
	out := liveness{}
	if s.opts.Liveness == nil {
		return out
	}
	for _, st := range s.opts.Liveness.Services() {
		out[[2]string{st.Service, st.Host}] = st
	}
	return out
}

// up is service_is_up: beats arrive and the service is not forced down.
func (l liveness) up(svc *computeService) bool {
	return !svc.ForcedDown && l[[2]string{svc.Binary, svc.Host}].Up
}

// updatedAt is when the service last reported: its last heartbeat, or
// the row's last change when none was heard.
func (l liveness) updatedAt(svc *computeService) int64 {
	if st, ok := l[[2]string{svc.Binary, svc.Host}]; ok && !st.LastSeen.IsZero() {
		return st.LastSeen.UnixMicro()
	}
	return svc.UpdatedAt
}

// serviceView is a service as GET /os-services shows it.
func (s *Service) serviceView(svc *computeService, zone string, live liveness, v httpx.Microversion) map[string]any {
	out := map[string]any{"binary": svc.Binary, "host": svc.Host, "id": svc.ID, "zone": zone,
		"status": "enabled", "state": "down", "updated_at": microTime(live.updatedAt(svc)),
		"disabled_reason": svc.DisabledReason}
	if v.AtLeast(53) {
		out["id"] = svc.UUID
	}
	if svc.Disabled {
		out["status"] = "disabled"
	}
	if live.up(svc) {
		out["state"] = "up"
	}
	if v.AtLeast(11) {
		out["forced_down"] = svc.ForcedDown
	}
	return out
}

// listServices is GET /os-services.
func (s *Service) listServices(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if version(r).AtLeast(75) {
		if err := onlyQueryKeys(q, "host", "binary"); err != nil {
			return err
		}
	}
	if err := s.enforce(r, "os_compute_api:os-services:list", map[string]any{}); err != nil {
		return err
	}
	host, _ := lastQuery(q, "host")
	binary, _ := lastQuery(q, "binary")
	var list []*computeService
	var zones map[string][]string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if list, err = loadServices(tx, ""); err != nil {
			return err
		}
		zones, err = hostZones(tx)
		return err
	})
	if err != nil {
		return err
	}
	live := s.livenessNow()
	out := []map[string]any{}
	for _, svc := range list {
		if (host != "" && svc.Host != host) || (binary != "" && svc.Binary != binary) {
			continue
		}
		out = append(out, s.serviceView(svc, s.zoneOfService(zones, svc), live, version(r)))
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"services": out})
}

// notComputeService is the 400 for updating another binary.
func notComputeService(binary string) error {
	return errs.BadRequestf("Updating a %s service is not supported. Only nova-compute services can be updated.", binary)
}

// checkNoDoneEvacuations refuses forcing a host up while evacuations
// from it are "done" (its compute has not restarted since).
func checkNoDoneEvacuations(tx *db.Tx, host string) error {
	found, err := tx.Exists(`SELECT 1 FROM compute_migrations WHERE source_compute = ? AND status = 'done'
		AND migration_type = 'evacuation'`, host)
	if err != nil || !found {
		return err
	}
	return errs.BadRequestf("Unable to force up host %s as `done` evacuation migration records remain associated with the host. Ensure the compute service has been restarted, allowing these records to move to `completed` before retrying this request.", host)
}

// afterServiceUpdate mirrors a compute service's disabled state to its
// providers' COMPUTE_STATUS_DISABLED trait, as Nova's compute does.
func (s *Service) afterServiceUpdate(ctx context.Context, svc *computeService) {
	if s.opts.Placement == nil || svc.Binary != computerpc.ServiceName {
		return
	}
	var nodes []*computeNode
	if err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		nodes, err = loadNodes(tx, `host = ?`, svc.Host)
		return err
	}); err != nil {
		s.log.Warn("compute status trait not updated", "host", svc.Host, "error", err.Error())
		return
	}
	for _, n := range nodes {
		if err := s.opts.Placement.SetProviderTraits(ctx, n.UUID, providerTraits(n.Traits, svc.Disabled)); err != nil {
			s.log.Warn("compute status trait not updated", "node", n.UUID, "error", err.Error())
		}
	}
}
