package network

import (
	"net/http"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// ruleDict is a rule as the API shows it.
func ruleDict(r *sgRule) map[string]any {
	m := map[string]any{
		"id": r.ID, "tenant_id": r.ProjectID, "project_id": r.ProjectID, "security_group_id": r.GroupID,
		"ethertype": r.Ethertype, "direction": r.Direction, "protocol": strOrNil(r.Protocol),
		"port_range_min": intOrNil(r.PortMin), "port_range_max": intOrNil(r.PortMax),
		"remote_ip_prefix": strOrNil(r.RemoteIPPrefix), "remote_group_id": strOrNil(r.RemoteGroupID),
		"remote_address_group_id": strOrNil(r.RemoteAddressGroupID), "normalized_cidr": normalizedCIDR(r.RemoteIPPrefix),
	}
	r.Std.put(m)
	delete(m, "tags")
	return m
}

// ruleTarget is a rule's policy target: its dict and its group's owner.
func ruleTarget(r *sgRule) map[string]any {
	m := ruleDict(r)
	m["security_group:tenant_id"], m["security_group:project_id"] = r.GroupProject, r.GroupProject
	return m
}

func intOrNil(i *int64) any {
	if i == nil {
		return nil
	}
	return *i
}

// normalizedCIDR is the prefix with its host bits cleared.
func normalizedCIDR(prefix *string) any {
	if prefix == nil {
		return nil
	}
	p, err := netip.ParsePrefix(*prefix)
	if err != nil {
		return nil
	}
	return p.Masked().String()
}

// notFoundResource is the 404 Neutron answers for an item the caller may
// not see.
func notFoundResource() error { return neutronerr.HTTPNotFound("The resource could not be found.") }

func (s *Service) listRules(w http.ResponseWriter, r *http.Request) error {
	lq, err := parseListQuery(r, sgRuleResource)
	if err != nil {
		return err
	}
	if err := s.ensureDefaultOnList(r); err != nil {
		return err
	}
	var rules []sgRule
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if p := s.scope(r); p != "" {
			rules, err = queryRules(tx, "r.project_id = ? OR g.project_id = ?", p, p)
		} else {
			rules, err = queryRules(tx, "1 = 1")
		}
		return err
	})
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(rules))
	for i := range rules {
		if ok, _ := s.allowed(r, "get_security_group_rule", ruleTarget(&rules[i]), nil); ok {
			items = append(items, ruleDict(&rules[i]))
		}
	}
	return s.writeList(w, r, sgRuleResource, items, lq, nil)
}

func (s *Service) showRule(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("rule_id")
	return showOne(s, w, r, sgRuleResource, func(tx *db.Tx) (sgRule, error) { return getRule(tx, id) },
		func(rule sgRule) (map[string]any, bool) {
			ok, _ := s.allowed(r, "get_security_group_rule", ruleTarget(&rule), nil)
			return ruleDict(&rule), ok
		}, notFoundResource())
}

func (s *Service) createRules(w http.ResponseWriter, r *http.Request) error {
	items, bulk, err := s.decodeBody(r, sgRuleResource, true)
	if err != nil {
		return err
	}
	rules := make([]*sgRule, len(items))
	for i, item := range items {
		if err := s.enforce(r, "create_security_group_rule", item, nil); err != nil {
			return err
		}
		rules[i] = s.ruleFromItem(item)
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		quota, err := s.reserveQuota(tx, "security_group_rule", items)
		if err != nil {
			return err
		}
		if err := s.insertRules(tx, rules, bulk, s.scope(r)); err != nil {
			return err
		}
		return quota.check()
	})
	if err != nil {
		return err
	}
	s.notifyRulesUpdated(r.Context(), rules[0].GroupID)
	out := make([]map[string]any, len(rules))
	for i, rule := range rules {
		out[i] = ruleDict(rule)
	}
	if bulk {
		return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"security_group_rules": out})
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"security_group_rule": out[0]})
}

// insertRules validates and stores new rules of one group, bumping the
// group's revision once per rule.
func (s *Service) insertRules(tx *db.Tx, rules []*sgRule, bulk bool, project string) error {
	if bulk {
		if err := checkBulkRules(rules); err != nil {
			return err
		}
	}
	for _, rule := range rules {
		if err := s.validateRule(tx, rule, project); err != nil {
			return err
		}
	}
	if err := checkDuplicateRules(tx, rules); err != nil {
		return err
	}
	for _, rule := range rules {
		if err := insertRule(tx, rule); err != nil {
			return err
		}
	}
	return s.bumpSecurityGroup(tx, rules[0].GroupID, len(rules))
}

func (s *Service) deleteRuleHandler(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("rule_id")
	var group string
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		rule, err := getRule(tx, id)
		if err != nil {
			return err
		}
		target := ruleTarget(&rule)
		if err := s.enforce(r, "delete_security_group_rule", target, nil); err != nil {
			if ok, _ := s.allowed(r, "get_security_group_rule", target, nil); !ok {
				return notFoundResource()
			}
			return err
		}
		group = rule.GroupID
		return s.removeRule(tx, rule)
	})
	if err != nil {
		return err
	}
	s.notifyRulesUpdated(r.Context(), group)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
