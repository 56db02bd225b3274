package compute

import (
	"context"
	"net/http"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// finishedMigrationStatuses are the statuses Nova does not count as in
// progress (migration_get_in_progress_by_host_and_node).
const finishedMigrationStatuses = `'confirmed', 'reverted', 'error', 'failed', 'completed', 'cancelled', 'done'`

// deleteService is DELETE /os-services/{id}: a compute service with
// instances or in-progress migrations is refused; otherwise it leaves its
// aggregates, and its compute nodes and their resource providers go too.
func (s *Service) deleteService(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-services:delete", map[string]any{}); err != nil {
		return err
	}
	id := r.PathValue("id")
	cond, arg, err := serviceIDCondition(id, version(r).AtLeast(53))
	if err != nil {
		return err
	}
	var svc *computeService
	var nodes []*computeNode
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if svc, err = loadService(tx, cond, arg); err != nil {
			return err
		}
		if svc == nil {
			return errs.NotFoundf("Service %s not found.", id)
		}
		if svc.Binary == computerpc.ServiceName {
			if nodes, err = s.releaseComputeHost(tx, svc.Host); err != nil {
				return err
			}
		}
		_, err = tx.Exec(`DELETE FROM compute_services WHERE id = ?`, svc.ID)
		return err
	})
	if err != nil {
		return err
	}
	s.dropProviders(r.Context(), nodes)
	if s.opts.Liveness != nil {
		s.opts.Liveness.Forget(svc.Binary, svc.Host)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// serviceIDCondition reads a service path id: a uuid from 2.53, an
// integer before.
func serviceIDCondition(id string, uuid bool) (string, any, error) {
	if uuid {
		if !isUUID(id) {
			return "", nil, errs.BadRequestf("Invalid uuid %s", id)
		}
		return `uuid = ?`, id, nil
	}
	n, err := integerID(id)
	return `id = ?`, n, err
}

// releaseComputeHost checks a compute host can go and removes it from its
// aggregates and its compute nodes; it returns the nodes removed.
func (s *Service) releaseComputeHost(tx *db.Tx, host string) ([]*computeNode, error) {
	n, err := hostInstanceCount(tx, host)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, errs.Conflictf("Unable to delete compute service that is hosting instances. Migrate or delete the instances first.")
	}
	nodes, err := loadNodes(tx, `host = ?`, host)
	if err != nil {
		return nil, err
	}
	for _, node := range nodes {
		busy, err := tx.Exists(`SELECT 1 FROM compute_migrations WHERE status NOT IN (`+finishedMigrationStatuses+`)
			AND ((source_compute = ? AND source_node = ?) OR (dest_compute = ? AND dest_node = ?))`,
			host, node.HypervisorHostname, host, node.HypervisorHostname)
		if err != nil {
			return nil, err
		}
		if busy {
			return nil, errs.Conflictf("Unable to delete compute service that has in-progress migrations. Complete the migrations or delete the instances first.")
		}
	}
	if _, err := tx.Exec(`DELETE FROM compute_aggregate_hosts WHERE host = ?`, host); err != nil {
		return nil, err
	}
	_, err = tx.Exec(`DELETE FROM compute_nodes WHERE host = ?`, host)
	return nodes, err
}

// dropProviders deletes the resource providers of removed nodes; a
// failure is logged, as Nova does.
func (s *Service) dropProviders(ctx context.Context, nodes []*computeNode) {
	if s.opts.Placement == nil {
		return
	}
	for _, n := range nodes {
		if err := s.opts.Placement.DeleteProvider(ctx, n.UUID); err != nil && !errs.Is(err, errs.NotFound) {
			s.log.Error("compute node resource provider not deleted", "node", n.UUID, "error", err.Error())
		}
	}
}
