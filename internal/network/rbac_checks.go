package network

import (
	"net/http"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
	"github.com/monostack/monostack/internal/pyrepr"
)

// rbacType is an object type RBAC policies may name; each type adds its line.
type rbacType struct {
	table    string   // the objects' table; its shared column mirrors the wildcard access_as_shared policy
	actions  []string // valid actions
	callback string   // upstream's validating callback, named in its failures
	notFound func(id string) *neutronerr.Error
	// bound are the projects that use an object through its sharing (nil: networks, checked by ports).
	bound func(tx *db.Tx, id string) ([]string, error)
}

const ml2Callback = "neutron.plugins.ml2.plugin.Ml2Plugin."

var rbacTypes = map[string]*rbacType{
	"network": {table: "network_networks", actions: []string{accessShared, accessExternal},
		callback: ml2Callback + "validate_network_rbac_policy_change", notFound: neutronerr.NetworkNotFound},
	"subnetpool": {table: "network_subnetpools", actions: []string{accessShared},
		callback: "neutron.objects.subnetpool.SubnetPool.validate_rbac_policy_change", notFound: neutronerr.SubnetPoolNotFound,
		bound: func(tx *db.Tx, id string) ([]string, error) {
			return tx.Strings(`SELECT DISTINCT project_id FROM network_subnets WHERE subnetpool_id = ?`, id)
		}},
	"address_scope": {table: "network_address_scopes", actions: []string{accessShared},
		callback: "neutron.objects.address_scope.AddressScope.validate_rbac_policy_change", notFound: neutronerr.AddressScopeNotFound,
		bound: func(tx *db.Tx, id string) ([]string, error) {
			return tx.Strings(`SELECT DISTINCT project_id FROM network_subnetpools WHERE address_scope_id = ?`, id)
		}},
	"qos_policy": {table: "network_qos_policies", actions: []string{accessShared},
		callback: "neutron.objects.qos.policy.QosPolicy.validate_rbac_policy_change", notFound: neutronerr.QosPolicyNotFound,
		bound: func(tx *db.Tx, id string) ([]string, error) {
			return tx.Strings(`SELECT p.project_id FROM network_qos_port_bindings b JOIN network_ports p ON p.id = b.port_id
				WHERE b.policy_id = ? UNION SELECT n.project_id FROM network_qos_network_bindings b
				JOIN network_networks n ON n.id = b.network_id WHERE b.policy_id = ?`, id, id)
		}},
}

// validActions is the Python tuple repr of a type's actions.
func (t *rbacType) validActions() string {
	parts := make([]string, len(t.actions))
	for i, a := range t.actions {
		parts[i] = pyrepr.String(a)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// createFailed is a BEFORE_CREATE callback's failure: InvalidInput.
func createFailed(callback string, err error) error {
	if ne, ok := neutronerr.As(err); ok {
		return neutronerr.InvalidInput(neutronerr.CallbackFailed(callback, ne))
	}
	return err
}

// changeFailed is a BEFORE_UPDATE or BEFORE_DELETE callback's failure: RbacPolicyInUse.
func changeFailed(p *rbacPolicy, callback string, err error) error {
	if ne, ok := neutronerr.As(err); ok {
		return neutronerr.RbacPolicyInUse(p.ObjectID, neutronerr.CallbackFailed(callback, ne))
	}
	return err
}

// checkRBACCreate runs upstream's BEFORE_CREATE checks, then the action's.
func (s *Service) checkRBACCreate(r *http.Request, tx *db.Tx, p *rbacPolicy) error {
	t := rbacTypes[p.ObjectType]
	valid := slices.Contains(t.actions, p.Action)
	if p.ObjectType == "network" && valid {
		return s.checkNetworkRBACCreate(r, tx, p)
	}
	if p.ObjectType != "network" {
		owner, err := objectOwner(tx, t.table, p.ObjectID, t.notFound(p.ObjectID))
		if err != nil {
			return createFailed(t.callback, err)
		}
		if !s.isAdmin(r) && owner != projectOf(r) {
			return createFailed(t.callback, neutronerr.InvalidInput("Only admins can manipulate policies on objects they do not own"))
		}
	}
	if !valid {
		return neutronerr.InvalidActionForType(p.Action, p.ObjectType, t.validActions())
	}
	return nil
}

// checkNetworkRBACCreate: the caller must see and own the network (or
// be an admin); an access_as_external policy makes the network external.
func (s *Service) checkNetworkRBACCreate(r *http.Request, tx *db.Tx, p *rbacPolicy) error {
	callback := rbacTypes["network"].callback
	if p.Action == accessExternal {
		callback = ml2Callback + "_process_ext_policy_create"
	}
	n, err := getNetwork(tx, p.ObjectID, s.scope(r))
	if err != nil {
		return createFailed(callback, err)
	}
	if !s.isAdmin(r) && n.ProjectID != projectOf(r) {
		return createFailed(callback, neutronerr.InvalidInput("Only admins can manipulate policies on networks they do not own"))
	}
	if p.Action == accessExternal && !n.External {
		_, err = tx.Exec(`UPDATE network_networks SET router_external = TRUE WHERE id = ?`, n.ID)
	}
	return err
}

// checkRBACChange runs upstream's BEFORE_UPDATE (target is the new
// target) or BEFORE_DELETE checks: the project losing access must not
// depend on it.
func (s *Service) checkRBACChange(r *http.Request, tx *db.Tx, p *rbacPolicy, target string, del bool) error {
	if p.ObjectType == "network" {
		return s.checkNetworkRBACChange(r, tx, p, target, del)
	}
	t := rbacTypes[p.ObjectType]
	owner, err := objectOwner(tx, t.table, p.ObjectID, t.notFound(p.ObjectID))
	if err != nil {
		return err
	}
	if !del && !s.isAdmin(r) && owner != projectOf(r) {
		return changeFailed(p, t.callback, neutronerr.InvalidInput("Only admins can manipulate policies on objects they do not own"))
	}
	if p.Target == owner || (!del && (target == p.Target || target == "*")) {
		return nil
	}
	return changeFailed(p, t.callback, s.checkBoundProjects(tx, t, p, owner))
}

// checkBoundProjects is _validate_rbac_policy_delete: no project using
// the object may lose its access. The owner's own use never counts (upstream
// counts it when the wildcard goes, refusing to unshare a pool its owner uses).
func (s *Service) checkBoundProjects(tx *db.Tx, t *rbacType, p *rbacPolicy, owner string) error {
	bound, err := t.bound(tx, p.ObjectID)
	if err != nil {
		return err
	}
	bound = slices.DeleteFunc(bound, func(b string) bool { return b == owner })
	inUse := neutronerr.RbacPolicyInUse(p.ObjectID, "project_id="+p.Target)
	if p.Target != "*" {
		wild, err := rbacExists(tx, p.ObjectType, p.ObjectID, accessShared, "*")
		if err != nil || wild || !slices.Contains(bound, p.Target) {
			return err
		}
		return inUse
	}
	others, err := rbacTargets(tx, p.ObjectType, p.ObjectID, accessShared)
	if err != nil {
		return err
	}
	for _, b := range bound {
		if !slices.Contains(others, b) {
			return inUse
		}
	}
	return nil
}

// checkNetworkRBACChange is _validate_network_rbac_policy_change and
// _validate_ext_not_in_use_by_tenant (whose router checks come with routers).
func (s *Service) checkNetworkRBACChange(r *http.Request, tx *db.Tx, p *rbacPolicy, target string, del bool) error {
	n, err := getNetwork(tx, p.ObjectID, "")
	if err != nil {
		return err
	}
	if p.Action == accessExternal {
		if (del || target != p.Target) && p.Target == "*" && n.IsDefault {
			return changeFailed(p, ml2Callback+"_validate_ext_not_in_use_by_tenant",
				neutronerr.RbacPolicyInUse(p.ObjectID, "Default external networks must be shared to everyone."))
		}
		return nil
	}
	callback := rbacTypes["network"].callback
	if !del && !s.isAdmin(r) && n.ProjectID != projectOf(r) {
		return changeFailed(p, callback, neutronerr.InvalidInput("Only admins can manipulate policies on networks they do not own"))
	}
	if p.Target == n.ProjectID || (!del && target == p.Target) {
		return nil
	}
	return changeFailed(p, callback, ensureNoProjectPorts(tx, n, p.Target))
}

// ensureNoProjectPorts is ensure_no_tenant_ports_on_network: project
// ("*": every project no other policy covers) has no port on n.
func ensureNoProjectPorts(tx *db.Tx, n *network, project string) error {
	q, args := `SELECT 1 FROM network_ports WHERE network_id = ?`, []any{n.ID}
	if project == "*" {
		allowed, err := rbacTargets(tx, "network", n.ID, accessShared)
		if err != nil {
			return err
		}
		allowed = append(slices.DeleteFunc(allowed, func(t string) bool { return t == "*" }), n.ProjectID)
		in, inArgs := inClause(allowed)
		q, args = q+` AND project_id NOT`+in, append(args, inArgs...)
	} else {
		wild, err := rbacExists(tx, "network", n.ID, accessShared, "*")
		if err != nil || wild {
			return err
		}
		q, args = q+` AND project_id = ?`, append(args, project)
	}
	used, err := tx.Exists(q, args...)
	if err != nil || !used {
		return err
	}
	return neutronerr.InvalidSharedSetting(n.ID)
}

// afterRBACChange keeps the object consistent with its policies: the
// shared column mirrors the wildcard policy, a network with no
// access_as_external policy left is no longer external, and a network's
// revision moves (NetworkRBAC revises_on_change).
func (s *Service) afterRBACChange(tx *db.Tx, p *rbacPolicy, deleted bool) error {
	if p.Action == accessShared {
		if err := syncSharedColumn(tx, p.ObjectType, p.ObjectID); err != nil {
			return err
		}
	}
	if p.ObjectType != "network" {
		return nil
	}
	if deleted && p.Action == accessExternal {
		left, err := rbacExists(tx, "network", p.ObjectID, accessExternal, "")
		if err != nil {
			return err
		}
		if !left {
			if _, err := tx.Exec(`UPDATE network_networks SET router_external = FALSE WHERE id = ?`, p.ObjectID); err != nil {
				return err
			}
		}
	}
	_, err := tx.Exec(`UPDATE network_networks SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?`,
		micros(s.now()), p.ObjectID)
	return err
}
