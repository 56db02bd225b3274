package network

import (
	"context"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/rpc"
)

// getFDB answers an L2 agent's get_fdb: for each tunnelled network, the
// other hosts with ACTIVE ports on it and those ports' addresses
// (l2population's fdb_entries, pulled).
func (s *Service) getFDB(ctx context.Context, req *rpc.GetFDB) (any, error) {
	var reply rpc.FDBReply
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		reply = rpc.FDBReply{Networks: []rpc.FDBNetwork{}}
		ids := req.NetworkIDs
		if len(ids) == 0 {
			var err error
			if ids, err = hostNetworks(tx, req.Host); err != nil {
				return err
			}
		}
		segs, err := loadSegments(tx, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			for _, seg := range segs[id] {
				if !isTunnel(seg.Type) {
					continue
				}
				peers, err := fdbPeers(tx, id, req.Host)
				if err != nil {
					return err
				}
				reply.Networks = append(reply.Networks, rpc.FDBNetwork{NetworkID: id, Segment: rpcSegment(seg), Peers: peers})
				break
			}
		}
		return nil
	})
	return reply, err
}

// hostNetworks are the networks with a port bound to host, sorted.
func hostNetworks(tx *db.Tx, host string) ([]string, error) {
	var out []string
	err := eachRow(tx, `SELECT DISTINCT network_id FROM network_ports WHERE binding_host_id = ? ORDER BY network_id`,
		[]any{host}, func(sc func(...any) error) error {
			var id string
			err := sc(&id)
			out = append(out, id)
			return err
		})
	return out, err
}

// fdbPeers are the hosts other than host with ACTIVE ports on a network,
// sorted by host, each with its ports' MACs and addresses.
func fdbPeers(tx *db.Tx, networkID, host string) ([]rpc.FDBPeer, error) {
	byHost := map[string][]rpc.MACAdd{}
	err := eachRow(tx, `SELECT p.binding_host_id, p.mac_address, COALESCE(a.ip_address, '') FROM network_ports p
		LEFT JOIN network_ip_allocations a ON a.port_id = p.id
		WHERE p.network_id = ? AND p.status = ? AND p.binding_host_id <> '' AND p.binding_host_id <> ?
		ORDER BY p.mac_address, a.ip_address`, []any{networkID, rpc.PortStatusActive, host},
		func(sc func(...any) error) error {
			var h string
			var m rpc.MACAdd
			if err := sc(&h, &m.MACAddress, &m.IPAddress); err != nil {
				return err
			}
			byHost[h] = append(byHost[h], m)
			return nil
		})
	if err != nil {
		return nil, err
	}
	hosts := sortedKeys(byHost)
	ips, err := tunnelingIPs(tx, hosts)
	if err != nil {
		return nil, err
	}
	peers := make([]rpc.FDBPeer, len(hosts))
	for i, h := range hosts {
		peers[i] = rpc.FDBPeer{Host: h, AgentIP: ips[h], Ports: byHost[h]}
	}
	return peers, nil
}

// tunnelingIPs are the hosts' L2 agents' tunneling_ip, as their
// report_state configurations give it; a host whose agent has not
// reported one is absent.
func tunnelingIPs(tx *db.Tx, hosts []string) (map[string]string, error) {
	out := map[string]string{}
	if len(hosts) == 0 {
		return out, nil
	}
	in, args := inClause(hosts)
	agents, err := queryAgents(tx, `agent_type IN (?, ?) AND host`+in,
		append([]any{rpc.AgentTypeLinuxBridge, rpc.AgentTypeOVS}, args...)...)
	if err != nil {
		return nil, err
	}
	for _, a := range agents {
		if ip, ok := a.Configurations[rpc.ConfTunnelingIP].(string); ok && ip != "" {
			out[a.Host] = ip
		}
	}
	return out, nil
}
