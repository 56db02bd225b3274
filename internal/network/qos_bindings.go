package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// QoS policies of networks and ports (neutron/core_extensions/qos.py):
// bindings in side tables, read with the resources and changed after
// their rows are written.

// qosBinding is a binding table: its name and its resource column.
type qosBinding struct{ table, col string }

var (
	networkQoS = qosBinding{"network_qos_network_bindings", "network_id"}
	portQoS    = qosBinding{"network_qos_port_bindings", "port_id"}
)

// load reads the policy ids bound to resources, by resource id.
func (b qosBinding) load(tx *db.Tx, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		err := eachRow(tx, `SELECT `+b.col+`, policy_id FROM `+b.table+` WHERE `+b.col+in, args,
			func(sc func(...any) error) error {
				var id, policy string
				err := sc(&id, &policy)
				out[id] = policy
				return err
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// loadAll reads every binding of the table, by resource id.
func (b qosBinding) loadAll(tx *db.Tx) (map[string]string, error) {
	out := map[string]string{}
	err := eachRow(tx, `SELECT `+b.col+`, policy_id FROM `+b.table, nil, func(sc func(...any) error) error {
		var id, policy string
		err := sc(&id, &policy)
		out[id] = policy
		return err
	})
	return out, err
}

// bound is the policy bound to one resource, "" when none.
func (b qosBinding) bound(tx *db.Tx, id string) (string, error) {
	m, err := b.load(tx, []string{id})
	return m[id], err
}

// set replaces a resource's binding ("" policy: none).
func (b qosBinding) set(tx *db.Tx, id, policy string) error {
	if _, err := tx.Exec(`DELETE FROM `+b.table+` WHERE `+b.col+` = ?`, id); err != nil || policy == "" {
		return err
	}
	_, err := tx.Exec(`INSERT INTO `+b.table+` (`+b.col+`, policy_id) VALUES (?, ?)`, id, policy)
	return err
}

// fillNetworkQoS loads the policies of networks.
func fillNetworkQoS(tx *db.Tx, nets []*network) error {
	ids := make([]string, len(nets))
	for i, n := range nets {
		ids[i] = n.ID
	}
	bound, err := networkQoS.load(tx, ids)
	for _, n := range nets {
		n.QoSPolicyID = bound[n.ID]
	}
	return err
}

// fillPortQoS loads the policies of ports and of their networks.
func fillPortQoS(tx *db.Tx, ports []*port, all bool) error {
	ids, netIDs := make([]string, len(ports)), make([]string, 0, len(ports))
	seen := map[string]bool{}
	for i, p := range ports {
		ids[i] = p.ID
		if !seen[p.NetworkID] {
			seen[p.NetworkID] = true
			netIDs = append(netIDs, p.NetworkID)
		}
	}
	var own map[string]string
	var err error
	if all {
		own, err = portQoS.loadAll(tx)
	} else {
		own, err = portQoS.load(tx, ids)
	}
	if err != nil {
		return err
	}
	nets, err := networkQoS.load(tx, netIDs)
	for _, p := range ports {
		p.QoSPolicyID, p.QoSNetworkPolicyID = own[p.ID], nets[p.NetworkID]
	}
	return err
}

// changeQoS applies a body's qos_policy_id to a resource bound through b:
// the old policy must be one the caller may use (PolicyRemoveAuthorizationError),
// the new one must exist for it (QosPolicyNotFound). On a network create
// without one, the project's default policy applies. The bound id is returned.
func (s *Service) changeQoS(r *http.Request, tx *db.Tx, b qosBinding, id, project string, item map[string]any, create bool) (string, error) {
	v, given := item["qos_policy_id"]
	want, _ := v.(string)
	if create && want == "" && b == networkQoS {
		def, err := defaultQoSPolicyID(tx, project)
		if err != nil || def == "" {
			return "", err
		}
		want, given = def, true
	}
	if !given && create {
		return "", nil // nothing is bound to a new resource yet
	}
	if !given {
		return b.bound(tx, id)
	}
	if err := s.releaseQoS(r, tx, b, id); err != nil {
		return "", err
	}
	if want != "" {
		if _, err := getQoSPolicy(tx, want, s.scope(r)); err != nil {
			return "", err
		}
	}
	return want, b.set(tx, id, want)
}

// releaseQoS checks the caller may detach a resource's current policy.
func (s *Service) releaseQoS(r *http.Request, tx *db.Tx, b qosBinding, id string) error {
	old, err := b.bound(tx, id)
	if err != nil || old == "" {
		return err
	}
	if _, err := getQoSPolicy(tx, old, s.scope(r)); err != nil {
		return neutronerr.PolicyRemoveAuthorizationError(old)
	}
	return nil
}

// bindNetworkQoS sets a created or updated network's policy.
func (s *Service) bindNetworkQoS(r *http.Request, tx *db.Tx, n *network, item map[string]any, create bool) (err error) {
	n.QoSPolicyID, err = s.changeQoS(r, tx, networkQoS, n.ID, n.ProjectID, item, create)
	return err
}

// bindPortQoS sets a created or updated port's policy (and reads its
// network's).
func (s *Service) bindPortQoS(r *http.Request, tx *db.Tx, p *port, item map[string]any, create bool) (err error) {
	if p.QoSPolicyID, err = s.changeQoS(r, tx, portQoS, p.ID, p.ProjectID, item, create); err != nil {
		return err
	}
	p.QoSNetworkPolicyID, err = networkQoS.bound(tx, p.NetworkID)
	return err
}
