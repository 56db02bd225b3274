package compute

import (
	"context"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// registerNode records the nova-compute service and compute node an agent
// reports, keeps the node's resource provider in placement (inventory,
// traits, aggregates) and answers with the guests that belong on the host.
func (s *Service) registerNode(ctx context.Context, m computerpc.RegisterNode) (*computerpc.RegisterNodeReply, error) {
	info := m.Node
	if info.Host == "" {
		return nil, errs.BadRequestf("A compute node needs a host.")
	}
	if info.HypervisorHostname == "" {
		info.HypervisorHostname = info.Host
	}
	var node *computeNode
	var svc *computeService
	var aggs []string
	var desired []computerpc.Instance
	err := s.db.Write(ctx, func(tx *db.Tx) (err error) {
		if svc, err = s.ensureService(tx, info.Host, computerpc.ServiceName, "compute"); err != nil {
			return err
		}
		if node, err = s.recordNode(tx, svc, info); err != nil {
			return err
		}
		if aggs, err = aggregateUUIDsOfHost(tx, info.Host); err != nil {
			return err
		}
		desired, err = desiredOn(tx, info.Host)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.syncProvider(ctx, node, svc.Disabled, aggs); err != nil {
		return nil, err
	}
	return &computerpc.RegisterNodeReply{NodeUUID: node.UUID, Desired: nonNil(desired)}, nil
}

// recordNode creates or refreshes the compute node of svc's host; the
// first registration picks the node's uuid, later ones keep it.
func (s *Service) recordNode(tx *db.Tx, svc *computeService, info computerpc.NodeInfo) (*computeNode, error) {
	nodes, err := loadNodes(tx, `host = ? AND hypervisor_hostname = ?`, info.Host, info.HypervisorHostname)
	if err != nil {
		return nil, err
	}
	now := s.now().UnixMicro()
	n := &computeNode{UUID: s.newID(), Host: info.Host, HypervisorHostname: info.HypervisorHostname, CreatedAt: now}
	if len(nodes) > 0 {
		n = nodes[0]
	}
	n.ServiceID, n.HypervisorType, n.HypervisorVersion = svc.ID, info.HypervisorType, int64(info.HypervisorVersion)
	n.HostIP, n.VCPUs, n.MemoryMB, n.LocalGB = info.HostIP, info.VCPUs, info.MemoryMB, info.LocalGB
	n.CPUInfo, n.Traits, n.UpdatedAt = info.CPUInfo, info.Traits, now
	return n, saveNode(tx, n)
}

// desiredOn is what should run on host: its live instances.
func desiredOn(tx *db.Tx, host string) ([]computerpc.Instance, error) {
	uuids, err := tx.Strings(`SELECT uuid FROM compute_instances WHERE host = ? AND deleted = FALSE
		ORDER BY created_at, uuid`, host)
	if err != nil {
		return nil, err
	}
	out := make([]computerpc.Instance, 0, len(uuids))
	for _, u := range uuids {
		i, err := loadInstanceFull(tx, u)
		if err != nil {
			return nil, err
		}
		out = append(out, instanceSpec(i))
	}
	return out, nil
}
