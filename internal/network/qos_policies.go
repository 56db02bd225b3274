package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// addQoSRoutes adds the QoS policy, rule, alias and rule type routes.
func (s *Service) addQoSRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/qos/policies", s.listQoSPolicies)
	rt.Handle("POST", "/v2.0/qos/policies", s.createQoSPolicies)
	rt.Handle("GET", "/v2.0/qos/policies/{policy_id}", s.showQoSPolicy)
	rt.Handle("PUT", "/v2.0/qos/policies/{policy_id}", s.updateQoSPolicy)
	rt.Handle("DELETE", "/v2.0/qos/policies/{policy_id}", s.deleteQoSPolicy)
	for _, t := range qosRuleTypes {
		base := "/v2.0/qos/policies/{policy_id}/" + t.Res.Collection
		rt.Handle("GET", base, s.listQoSRules(t))
		rt.Handle("POST", base, s.createQoSRule(t))
		rt.Handle("GET", base+"/{rule_id}", s.showQoSRule(t, false))
		rt.Handle("PUT", base+"/{rule_id}", s.updateQoSRule(t, false))
		rt.Handle("DELETE", base+"/{rule_id}", s.deleteQoSRule(t, false))
		alias := "/v2.0/qos/" + t.Alias.Collection + "/{rule_id}"
		rt.Handle("GET", alias, s.showQoSRule(t, true))
		rt.Handle("PUT", alias, s.updateQoSRule(t, true))
		rt.Handle("DELETE", alias, s.deleteQoSRule(t, true))
	}
	rt.Handle("GET", "/v2.0/qos/rule-types", s.listRuleTypes)
	rt.Handle("GET", "/v2.0/qos/rule-types/{rule_type}", s.showRuleType)
}

// qosPolicyDict is a policy as the API shows it, with its rules.
func qosPolicyDict(p *qosPolicy) map[string]any {
	rules := make([]map[string]any, len(p.Rules))
	for i, r := range p.Rules {
		rules[i] = qosRuleDict(r)
		rules[i]["qos_policy_id"], rules[i]["type"] = r.PolicyID, r.Type
	}
	m := map[string]any{"id": p.ID, "name": p.Name, "shared": p.Shared || p.SharedWith, "is_default": p.IsDefault,
		"project_id": p.ProjectID, "tenant_id": p.ProjectID, "rules": rules}
	p.Std.put(m)
	return m
}

func (s *Service) listQoSPolicies(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, qosPolicyResource, "get_policy", func(tx *db.Tx, scope string) ([]*qosPolicy, error) {
		return queryQoSPolicies(tx, scope, "1 = 1")
	}, qosPolicyDict, nil)
}

func (s *Service) showQoSPolicy(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("policy_id")
	return showOne(s, w, r, qosPolicyResource,
		func(tx *db.Tx) (*qosPolicy, error) { return getQoSPolicy(tx, id, s.scope(r)) },
		func(p *qosPolicy) (map[string]any, bool) {
			m := qosPolicyDict(p)
			ok, _ := s.allowed(r, "get_policy", m, nil)
			return m, ok
		}, neutronerr.QosPolicyNotFound(id))
}

func (s *Service) createQoSPolicies(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, qosPolicyResource,
		func(tx *db.Tx, item map[string]any) (*qosPolicy, []*ml2.Change, error) {
			if err := s.enforce(r, "create_policy", item, qosPolicyResource.PolicyAttrs(item, true)); err != nil {
				return nil, nil, err
			}
			now := micros(s.now())
			p := &qosPolicy{ID: s.newID(), Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
			p.ProjectID, _ = item["project_id"].(string)
			applyQoSPolicyItem(p, item)
			if err := s.checkDefaultFree(tx, p); err != nil {
				return nil, nil, err
			}
			if err := insertQoSPolicy(tx, p); err != nil {
				return nil, nil, err
			}
			if p.Shared {
				return p, nil, s.ensureWildcard(tx, "qos_policy", p.ID, p.ProjectID, accessShared)
			}
			return p, nil, nil
		}, nil, qosPolicyDict)
}

// applyQoSPolicyItem copies the attributes a body sets to p.
func applyQoSPolicyItem(p *qosPolicy, item map[string]any) {
	if v, ok := item["name"].(string); ok {
		p.Name = v
	}
	if v, ok := item["description"].(string); ok {
		p.Std.Description = v
	}
	if v, ok := item["shared"].(bool); ok {
		p.Shared = v
	}
	if v, ok := item["is_default"].(bool); ok {
		p.IsDefault = v
	}
}

// checkDefaultFree refuses to make p its project's default when another
// policy is (set_default).
func (s *Service) checkDefaultFree(tx *db.Tx, p *qosPolicy) error {
	if !p.IsDefault {
		return nil
	}
	current, err := defaultQoSPolicyID(tx, p.ProjectID)
	if err != nil {
		return err
	}
	if current != "" && current != p.ID {
		return neutronerr.QoSPolicyDefaultAlreadyExists(p.ProjectID)
	}
	return nil
}

// authorizedQoSPolicy reads a policy for a change and enforces action
// (with the attributes item sets); one the caller may not see is not found.
func (s *Service) authorizedQoSPolicy(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*qosPolicy, error) {
	p, err := getQoSPolicy(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := qosPolicyDict(p)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforce(r, action, target, qosPolicyResource.PolicyAttrs(item, false)); err != nil {
		if ok, _ := s.allowed(r, "get_policy", qosPolicyDict(p), nil); !ok {
			return nil, neutronerr.QosPolicyNotFound(id)
		}
		return nil, err
	}
	return p, checkRevision(r, p.Std.Revision)
}

func (s *Service) updateQoSPolicy(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("policy_id")
	items, _, err := s.decodeBody(r, qosPolicyResource, false)
	if err != nil {
		return err
	}
	var p *qosPolicy
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if p, err = s.authorizedQoSPolicy(r, tx, id, "update_policy", items[0]); err != nil {
			return err
		}
		if err := s.updateQoSPolicySharing(r, tx, p, items[0]); err != nil {
			return err
		}
		applyQoSPolicyItem(p, items[0])
		if err := s.checkDefaultFree(tx, p); err != nil {
			return err
		}
		p.Std.Revision++
		p.Std.UpdatedAt = micros(s.now())
		return saveQoSPolicy(tx, p)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"policy": qosPolicyDict(p)})
}

func (s *Service) deleteQoSPolicy(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("policy_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := s.authorizedQoSPolicy(r, tx, id, "delete_policy", nil); err != nil {
			return err
		}
		return removeQoSPolicy(tx, id)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readQoSPolicy is the tags API's read of a policy the caller may see.
func (s *Service) readQoSPolicy(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	p, err := getQoSPolicy(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	m := qosPolicyDict(p)
	if ok, _ := s.allowed(r, "get_policy", m, nil); !ok {
		return nil, neutronerr.QosPolicyNotFound(id)
	}
	return m, nil
}

// updateQoSPolicySharing turns shared into the wildcard policy: unsharing
// deletes it as DELETE /rbac-policies would, refused while a project
// without a policy of its own has a port or network bound to p.
func (s *Service) updateQoSPolicySharing(r *http.Request, tx *db.Tx, p *qosPolicy, item map[string]any) error {
	shared, ok := item["shared"].(bool)
	if !ok || shared == p.Shared {
		return nil
	}
	if shared {
		return s.ensureWildcard(tx, "qos_policy", p.ID, p.ProjectID, accessShared)
	}
	wild := &rbacPolicy{ObjectType: "qos_policy", ObjectID: p.ID, Action: accessShared, Target: "*"}
	if err := s.checkRBACChange(r, tx, wild, "", true); err != nil {
		return err
	}
	return deleteObjectRBAC(tx, "qos_policy", p.ID, accessShared, "*")
}
