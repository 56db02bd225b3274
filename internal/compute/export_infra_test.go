package compute

import (
	"context"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/scheduler"
)

// TestMigration is a compute_migrations row tests write directly (the
// conductor writes them in production).
type TestMigration struct {
	ID                                               int64
	UUID, InstanceUUID, Type, Status                 string
	SourceCompute, SourceNode, DestCompute, DestNode string
	OldFlavorID, NewFlavorID                         string
	CreatedAt, UpdatedAt                             int64
}

// InsertTestMigrations writes migrations in one transaction.
func InsertTestMigrations(d *db.DB, list []TestMigration) error {
	return d.Write(context.Background(), func(tx *db.Tx) error {
		for _, m := range list {
			if _, err := tx.Exec(`INSERT INTO compute_migrations (id, uuid, instance_uuid, migration_type, status,
				source_compute, source_node, dest_compute, dest_node, old_flavor_id, new_flavor_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.UUID, m.InstanceUUID, m.Type, m.Status,
				m.SourceCompute, m.SourceNode, m.DestCompute, m.DestNode, m.OldFlavorID, m.NewFlavorID,
				m.CreatedAt, m.UpdatedAt); err != nil {
				return err
			}
		}
		return nil
	})
}

// InsertTestNode records a compute service and node for host as an
// agent's registration would, with its placement provider; it returns the node uuid.
func (s *Service) InsertTestNode(info computerpc.NodeInfo) (string, error) {
	var node *computeNode
	err := s.db.Write(context.Background(), func(tx *db.Tx) error {
		svc, err := s.ensureService(tx, info.Host, computerpc.ServiceName, "compute")
		if err != nil {
			return err
		}
		now := s.now().UnixMicro()
		n := &computeNode{UUID: s.newID(), ServiceID: svc.ID, Host: info.Host,
			HypervisorHostname: info.HypervisorHostname, HypervisorType: info.HypervisorType,
			HypervisorVersion: int64(info.HypervisorVersion), HostIP: info.HostIP, VCPUs: info.VCPUs,
			MemoryMB: info.MemoryMB, LocalGB: info.LocalGB, CPUInfo: info.CPUInfo, Traits: info.Traits,
			CreatedAt: now, UpdatedAt: now}
		node = n
		return saveNode(tx, n)
	})
	if err != nil {
		return "", err
	}
	return node.UUID, s.syncProvider(context.Background(), node, false, nil)
}

// ServiceUp exposes serviceUp.
func (s *Service) ServiceUp(host string) bool { return s.serviceUp(host) }

// HostStates exposes hostStates.
func (s *Service) HostStates(ctx context.Context) ([]scheduler.HostState, error) {
	return s.hostStates(ctx)
}

// CastOp sends an operation as the conductor does after a committed change.
func (s *Service) CastOp(ctx context.Context, op computerpc.Operation) error {
	return s.castOp(ctx, op)
}
