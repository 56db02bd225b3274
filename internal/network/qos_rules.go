package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// qosRuleDict is a rule as its own API shows it (id and its type's values).
func qosRuleDict(r *qosRule) map[string]any {
	m := map[string]any{"id": r.ID}
	switch r.Type {
	case "bandwidth_limit":
		m["max_kbps"], m["max_burst_kbps"], m["direction"] = r.MaxKbps, r.MaxBurst, r.Direction
	case "dscp_marking":
		m["dscp_mark"] = r.DSCPMark
	case "minimum_bandwidth":
		m["min_kbps"], m["direction"] = r.MinKbps, r.Direction
	}
	return m
}

// qosRuleTarget is a rule's policy target: its dict with its policy's owner.
func qosRuleTarget(p *qosPolicy, r *qosRule, item map[string]any) map[string]any {
	m := map[string]any{}
	if r != nil {
		m = qosRuleDict(r)
	}
	for k, v := range item {
		m[k] = v
	}
	m["project_id"], m["tenant_id"], m["qos_policy_id"] = p.ProjectID, p.ProjectID, p.ID
	return m
}

// ruleAction is the policy rule name of an action on a rule type, through
// its policy or its alias.
func ruleAction(verb string, t qosRuleType, alias bool) string {
	if alias {
		return verb + "_alias_" + t.Name + "_rule"
	}
	return verb + "_policy_" + t.Name + "_rule"
}

func (s *Service) listQoSRules(t qosRuleType) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lq, err := parseListQuery(r, t.Res)
		if err != nil {
			return err
		}
		var p *qosPolicy
		if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
			p, err = getQoSPolicy(tx, r.PathValue("policy_id"), s.scope(r))
			return err
		}); err != nil {
			return err
		}
		items := []map[string]any{}
		for _, rule := range p.Rules {
			if rule.Type != t.Name {
				continue
			}
			if ok, _ := s.allowed(r, ruleAction("get", t, false), qosRuleTarget(p, rule, nil), nil); ok {
				items = append(items, qosRuleDict(rule))
			}
		}
		return s.writeList(w, r, t.Res, items, lq, nil)
	}
}

// ruleOf finds a rule of type t in policy p (get_rule_by_id).
func ruleOf(p *qosPolicy, t qosRuleType, id string) (*qosRule, error) {
	for _, rule := range p.Rules {
		if rule.ID == id && rule.Type == t.Name {
			return rule, nil
		}
	}
	return nil, neutronerr.QosRuleNotFound(p.ID, id)
}

// loadRule reads a rule and its policy: by the policy in the path, or for
// the alias API by the rule id alone.
func (s *Service) loadRule(r *http.Request, tx *db.Tx, t qosRuleType, alias bool) (*qosPolicy, *qosRule, error) {
	id, policyID := r.PathValue("rule_id"), r.PathValue("policy_id")
	if alias {
		rule, err := getQoSRule(tx, id, t.Name)
		if err != nil {
			return nil, nil, err
		}
		policyID = rule.PolicyID
	}
	p, err := getQoSPolicy(tx, policyID, s.scope(r))
	if err != nil {
		return nil, nil, err
	}
	rule, err := ruleOf(p, t, id)
	return p, rule, err
}

// ruleName is the body and response key of a rule type's resource.
func ruleName(t qosRuleType, alias bool) string {
	if alias {
		return t.Alias.Name
	}
	return t.Res.Name
}

func (s *Service) showQoSRule(t qosRuleType, alias bool) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var p *qosPolicy
		var rule *qosRule
		if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
			p, rule, err = s.loadRule(r, tx, t, alias)
			return err
		}); err != nil {
			return err
		}
		if err := s.enforce(r, ruleAction("get", t, alias), qosRuleTarget(p, rule, nil), nil); err != nil {
			return neutronerr.QosRuleNotFound(p.ID, rule.ID)
		}
		m := selectFields(qosRuleDict(rule), nonEmpty(r.URL.Query()["fields"]))
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{ruleName(t, alias): m})
	}
}

func (s *Service) createQoSRule(t qosRuleType) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		items, bulk, err := s.decodeBody(r, t.Res, true)
		if err != nil {
			return err
		}
		if bulk {
			return neutronerr.HTTPBadRequest("Bulk operation not supported")
		}
		item := items[0]
		rule := &qosRule{ID: s.newID(), Type: t.Name, CreatedAt: micros(s.now())}
		err = s.db.Write(r.Context(), func(tx *db.Tx) error {
			p, err := getQoSPolicy(tx, r.PathValue("policy_id"), s.scope(r))
			if err != nil {
				return err
			}
			if err := s.enforce(r, ruleAction("create", t, false), qosRuleTarget(p, nil, item), nil); err != nil {
				return err
			}
			rule.PolicyID = p.ID
			applyRuleDefaults(rule)
			return s.storeRule(tx, p, rule, item, insertQoSRule)
		})
		if err != nil {
			return err
		}
		return httpx.WriteJSON(w, http.StatusCreated, map[string]any{t.Res.Name: qosRuleDict(rule)})
	}
}

// applyRuleDefaults gives a new rule its type's defaults.
func applyRuleDefaults(rule *qosRule) {
	if rule.Type != "dscp_marking" {
		rule.Direction = dirEgress
	}
}

// storeRule checks a created or changed rule against the policy's other
// rules, writes it with write and bumps the policy's revision.
func (s *Service) storeRule(tx *db.Tx, p *qosPolicy, rule *qosRule, item map[string]any, write func(*db.Tx, *qosRule) error) error {
	if err := checkBandwidthConflict(p, item); err != nil {
		return err
	}
	applyRuleItem(rule, item)
	if err := checkRulesConflict(p, rule); err != nil {
		return err
	}
	if err := write(tx, rule); err != nil {
		return err
	}
	return s.bumpQoSPolicy(tx, p)
}

// applyRuleItem copies the values a body sets to rule.
func applyRuleItem(rule *qosRule, item map[string]any) {
	num := func(k string, dst *int64) {
		if v, ok := item[k].(int64); ok {
			*dst = v
		}
	}
	num("max_kbps", &rule.MaxKbps)
	num("max_burst_kbps", &rule.MaxBurst)
	num("min_kbps", &rule.MinKbps)
	num("dscp_mark", &rule.DSCPMark)
	if v, ok := item["direction"].(string); ok {
		rule.Direction = v
	}
}

// checkBandwidthConflict is check_bandwidth_rule_conflict: a maximum under
// the policy's minimum, or a minimum over its maximum.
func checkBandwidthConflict(p *qosPolicy, item map[string]any) error {
	for _, r := range p.Rules {
		switch r.Type {
		case "minimum_bandwidth":
			if v, ok := item["max_kbps"].(int64); ok && r.MinKbps > v {
				return neutronerr.QoSRuleParameterConflict(v, p.ID, r.Type, r.MinKbps)
			}
		case "bandwidth_limit":
			if v, ok := item["min_kbps"].(int64); ok && r.MaxKbps < v {
				return neutronerr.QoSRuleParameterConflict(v, p.ID, r.Type, r.MaxKbps)
			}
		}
	}
	return nil
}

// checkRulesConflict is check_rules_conflict: one rule per type and
// direction in a policy.
func checkRulesConflict(p *qosPolicy, rule *qosRule) error {
	for _, r := range p.Rules {
		if r.ID != rule.ID && r.Type == rule.Type && r.Direction == rule.Direction {
			return neutronerr.QoSRulesConflict(rule.Type, r.ID, p.ID)
		}
	}
	return nil
}

func (s *Service) updateQoSRule(t qosRuleType, alias bool) httpx.HandlerFunc {
	res := t.Res
	if alias {
		res = t.Alias
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		items, _, err := s.decodeBody(r, res, false)
		if err != nil {
			return err
		}
		var rule *qosRule
		err = s.db.Write(r.Context(), func(tx *db.Tx) error {
			var p *qosPolicy
			if p, rule, err = s.loadRule(r, tx, t, alias); err != nil {
				return err
			}
			if err := s.enforce(r, ruleAction("update", t, alias), qosRuleTarget(p, rule, items[0]), nil); err != nil {
				return err
			}
			return s.storeRule(tx, p, rule, items[0], saveQoSRule)
		})
		if err != nil {
			return err
		}
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{res.Name: qosRuleDict(rule)})
	}
}

func (s *Service) deleteQoSRule(t qosRuleType, alias bool) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := s.db.Write(r.Context(), func(tx *db.Tx) error {
			p, rule, err := s.loadRule(r, tx, t, alias)
			if err != nil {
				return err
			}
			if err := s.enforce(r, ruleAction("delete", t, alias), qosRuleTarget(p, rule, nil), nil); err != nil {
				return err
			}
			if err := removeQoSRule(tx, rule.ID); err != nil {
				return err
			}
			return s.bumpQoSPolicy(tx, p)
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
