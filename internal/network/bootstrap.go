package network

import (
	"context"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ml2"
)

// EnsureNetwork creates a tenant network named name with one IPv4 subnet
// (name-subnet, DHCP on) in project unless the project has a network of
// that name: the network a new cloud boots its first servers on.
func (s *Service) EnsureNetwork(ctx context.Context, project, name, cidr string, shared bool) error {
	var changes []*ml2.Change
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		changes = nil
		if ok, err := tx.Exists(`SELECT 1 FROM network_networks WHERE project_id = ? AND name = ?`, project, name); err != nil || ok {
			return err
		}
		n, err := s.insertNetworkItem(tx, map[string]any{"name": name, "project_id": project, "tenant_id": project, "shared": shared})
		if err != nil {
			return err
		}
		sub, err := s.planSubnet(tx, "", n, map[string]any{"name": name + "-subnet", "project_id": project,
			"network_id": n.ID, "ip_version": int64(4), "cidr": cidr})
		if err != nil {
			return err
		}
		if err := insertSubnet(tx, sub); err != nil {
			return err
		}
		changes = append(changes, &ml2.Change{Op: ml2.OpCreate, Kind: ml2.KindNetwork, Current: networkDict(n), Segments: n.Segments},
			&ml2.Change{Op: ml2.OpCreate, Kind: ml2.KindSubnet, Current: subnetDict(sub), Segments: n.Segments})
		pc, err := s.syncDHCPPort(tx, n)
		changes = append(changes, pc...)
		return err
	})
	if err == nil {
		s.postcommit(ctx, changes)
	}
	return err
}
