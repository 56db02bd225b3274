package network

import (
	"fmt"
	"slices"
)

// Direction values of QoS rules (neutron_lib.constants).
const (
	dirIngress = "ingress"
	dirEgress  = "egress"
)

// dbIntMax is DB_INTEGER_MAX_VALUE, the upper bound of rate values.
const dbIntMax = 1<<31 - 1

// validDSCPMarks is VALID_DSCP_MARKS.
var validDSCPMarks = []any{int64(0), int64(8), int64(10), int64(12), int64(14), int64(16), int64(18), int64(20),
	int64(22), int64(24), int64(26), int64(28), int64(30), int64(32), int64(34), int64(36), int64(38), int64(40),
	int64(46), int64(48), int64(56)}

// validDirections is VALID_DIRECTIONS.
var validDirections = []any{dirIngress, dirEgress}

// qosPolicyResource is the QoS policy attribute map (qos, qos-default and
// the standard attributes).
var qosPolicyResource = NewResource("policy", "policies", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "shared", Post: true, Put: true, Default: false, Convert: toBool, Filter: true},
	{Name: "is_default", Post: true, Put: true, Default: false, Convert: toBool, Filter: true},
	{Name: "rules"},
}, stdAttrDefs()))

// rangeOf is type:range.
func rangeOf(lo, hi int64) func(any) string {
	return func(v any) string {
		i, ok := v.(int64)
		switch {
		case !ok:
			return fmt.Sprintf("'%s' is not an integer", pyStr(v))
		case i < lo:
			return fmt.Sprintf("'%d' is too small - must be at least '%d'", i, lo)
		case i > hi:
			return fmt.Sprintf("'%d' is too large - must be no larger than '%d'", i, hi)
		}
		return ""
	}
}

// valuesOf is type:values without a display string.
func valuesOf(values []any) func(any) string {
	return func(v any) string {
		if slices.ContainsFunc(values, func(x any) bool { return x == v }) {
			return ""
		}
		return pyStr(v) + " is not in valid_values"
	}
}

// qosRuleType is one rule type: its names, its sub-resource attribute map
// under a policy and its alias map (qos-rules-alias), and the parameters
// the rule type details show.
type qosRuleType struct {
	Name   string // "bandwidth_limit"
	Res    *Resource
	Alias  *Resource
	Params []qosParam
}

// qosParam is a rule parameter as qos-rule-type-details shows it.
type qosParam struct {
	Name   string
	Range  [2]int64 // when Values is nil
	Values []any
}

// ruleAttrs are a rule map's id and owner attributes; post says whether
// tenant_id may be given (sub-resource) or not (alias).
func ruleAttrs(post bool, params ...Attr) []Attr {
	return concat([]Attr{
		{Name: "id", Filter: true, Sort: true},
		{Name: "tenant_id", Post: post},
		{Name: "project_id", Post: post},
	}, params)
}

// aliasParams are the parameters of an alias map: updatable only.
func aliasParams(params []Attr) []Attr {
	out := slices.Clone(params)
	for i := range out {
		out[i].Post, out[i].Required = false, false
	}
	return out
}

func newRuleType(name string, params []qosParam, attrs ...Attr) qosRuleType {
	return qosRuleType{Name: name, Params: params,
		Res:   NewResource(name+"_rule", name+"_rules", ruleAttrs(true, attrs...)),
		Alias: NewResource("alias_"+name+"_rule", "alias_"+name+"_rules", ruleAttrs(false, aliasParams(attrs)...))}
}

// qosRuleTypes are the rule types this service supports, in upstream's
// VALID_RULE_TYPES order (the order of a policy's rules).
var qosRuleTypes = []qosRuleType{
	newRuleType("bandwidth_limit",
		[]qosParam{{Name: "max_kbps", Range: [2]int64{0, dbIntMax}}, {Name: "max_burst_kbps", Range: [2]int64{0, dbIntMax}},
			{Name: "direction", Values: validDirections}},
		Attr{Name: "max_kbps", Post: true, Put: true, Required: true, Convert: toInt, Validate: rangeOf(0, dbIntMax), Filter: true, Sort: true},
		Attr{Name: "max_burst_kbps", Post: true, Put: true, Default: int64(0), Convert: toInt, Validate: rangeOf(0, dbIntMax), Filter: true, Sort: true},
		Attr{Name: "direction", Post: true, Put: true, Default: dirEgress, Validate: valuesOf(validDirections), Filter: true, Sort: true}),
	newRuleType("dscp_marking",
		[]qosParam{{Name: "dscp_mark", Values: validDSCPMarks}},
		Attr{Name: "dscp_mark", Post: true, Put: true, Required: true, Convert: toInt, Validate: valuesOf(validDSCPMarks), Filter: true, Sort: true}),
	newRuleType("minimum_bandwidth",
		[]qosParam{{Name: "min_kbps", Range: [2]int64{0, dbIntMax}}, {Name: "direction", Values: validDirections}},
		Attr{Name: "min_kbps", Post: true, Put: true, Required: true, Convert: toInt, Validate: rangeOf(0, dbIntMax), Filter: true, Sort: true},
		Attr{Name: "direction", Post: true, Put: true, Default: dirEgress, Validate: valuesOf(validDirections), Filter: true, Sort: true}),
}

// ruleTypeNamed is the rule type called name, nil if none.
func ruleTypeNamed(name string) *qosRuleType {
	for i := range qosRuleTypes {
		if qosRuleTypes[i].Name == name {
			return &qosRuleTypes[i]
		}
	}
	return nil
}

// qosPolicyIDAttr is the qos extension's qos_policy_id of networks and ports.
var qosPolicyIDAttr = Attr{Name: "qos_policy_id", Post: true, Put: true, Policy: true, Validate: uuidOrNone}
