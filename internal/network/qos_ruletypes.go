package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// listRuleTypes is GET /v2.0/qos/rule-types: the types every loaded
// driver supports (each mechanism driver here supports all of them).
func (s *Service) listRuleTypes(w http.ResponseWriter, r *http.Request) error {
	out := []map[string]any{}
	for _, t := range qosRuleTypes {
		m := map[string]any{"type": t.Name}
		if ok, _ := s.allowed(r, "get_rule_type", m, nil); ok {
			out = append(out, selectFields(m, nonEmpty(r.URL.Query()["fields"])))
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"rule_types": out})
}

// showRuleType is qos-rule-type-details: the drivers supporting a type
// and the parameter values each accepts; admins only, as upstream.
func (s *Service) showRuleType(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("rule_type")
	if err := s.enforce(r, "get_rule_type", map[string]any{"type": name}, nil); err != nil {
		return err
	}
	if !s.isAdmin(r) {
		return neutronerr.NotAuthorized()
	}
	t := ruleTypeNamed(name)
	if t == nil {
		return neutronerr.HTTPBadRequest("Field value " + name + " is invalid")
	}
	drivers := []map[string]any{}
	for _, d := range s.opts.MechanismDrivers {
		drivers = append(drivers, map[string]any{"name": d, "supported_parameters": ruleParams(t)})
	}
	m := map[string]any{"type": t.Name, "drivers": drivers}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"rule_type": selectFields(m, nonEmpty(r.URL.Query()["fields"]))})
}

// ruleParams renders a type's parameters as the driver manager does.
func ruleParams(t *qosRuleType) []map[string]any {
	out := make([]map[string]any, len(t.Params))
	for i, p := range t.Params {
		if p.Values != nil {
			out[i] = map[string]any{"parameter_name": p.Name, "parameter_type": "choices", "parameter_values": p.Values}
			continue
		}
		out[i] = map[string]any{"parameter_name": p.Name, "parameter_type": "range",
			"parameter_values": map[string]any{"start": p.Range[0], "end": p.Range[1]}}
	}
	return out
}
