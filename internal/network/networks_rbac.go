package network

import (
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// networkWildcards makes the wildcard policies of a new network created
// shared or external (create_network_db, _process_l3_create).
func (s *Service) networkWildcards(tx *db.Tx, n *network) error {
	if n.Shared {
		if err := s.ensureWildcard(tx, "network", n.ID, n.ProjectID, accessShared); err != nil {
			return err
		}
	}
	if n.External {
		return s.ensureWildcard(tx, "network", n.ID, n.ProjectID, accessExternal)
	}
	return nil
}

// updateNetworkSharing turns shared and router:external of an update
// into wildcard policies before the columns change (update_network,
// _process_l3_update): unsharing is refused while other projects use the
// network without a policy of their own; un-externalizing drops every
// access_as_external policy.
func (s *Service) updateNetworkSharing(tx *db.Tx, n *network, item map[string]any) error {
	if shared, ok := item["shared"].(bool); ok && shared != n.Shared {
		if shared {
			if err := s.ensureWildcard(tx, "network", n.ID, n.ProjectID, accessShared); err != nil {
				return err
			}
		} else {
			if err := validateSharedUpdate(tx, n); err != nil {
				return err
			}
			if err := deleteObjectRBAC(tx, "network", n.ID, accessShared, "*"); err != nil {
				return err
			}
		}
	}
	if ext, ok := item["router:external"].(bool); ok && ext != n.External {
		if ext {
			return s.ensureWildcard(tx, "network", n.ID, n.ProjectID, accessExternal)
		}
		return deleteObjectRBAC(tx, "network", n.ID, accessExternal, "")
	}
	return nil
}

// validateSharedUpdate is _validate_shared_update for shared going false:
// the projects with user ports or subnets on n must be its owner or
// targets of their own access_as_shared policies.
func validateSharedUpdate(tx *db.Tx, n *network) error {
	users, err := tx.Strings(`SELECT project_id FROM network_ports WHERE network_id = ? AND device_owner NOT LIKE 'network:%'
		UNION SELECT project_id FROM network_subnets WHERE network_id = ?`, n.ID, n.ID)
	if err != nil {
		return err
	}
	if len(users) == 0 || (len(users) == 1 && users[0] == n.ProjectID) {
		return nil
	}
	allowed, err := rbacTargets(tx, "network", n.ID, accessShared)
	if err != nil {
		return err
	}
	allowed = append(slices.DeleteFunc(allowed, func(t string) bool { return t == "*" }), n.ProjectID)
	for _, u := range users {
		if !slices.Contains(allowed, u) {
			return neutronerr.InvalidSharedSetting(n.Name)
		}
	}
	return nil
}
