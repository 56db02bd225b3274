package neutronerr

import "net/http"

// QoS and agent exceptions (neutron_lib/exceptions/qos.py, agent.py,
// availability_zone.py).

func init() {
	for typ, status := range map[string]int{
		"QosPolicyNotFound":              http.StatusNotFound,
		"QosRuleNotFound":                http.StatusNotFound,
		"QoSPolicyDefaultAlreadyExists":  http.StatusConflict,
		"QosPolicyInUse":                 http.StatusConflict,
		"QoSRulesConflict":               http.StatusConflict,
		"QoSRuleParameterConflict":       http.StatusConflict,
		"QosRuleNotSupported":            http.StatusConflict,
		"PolicyRemoveAuthorizationError": http.StatusForbidden,
		"AgentNotFound":                  http.StatusNotFound,
		"AvailabilityZoneNotFound":       http.StatusNotFound,
	} {
		Register(typ, status)
	}
}

// QosPolicyNotFound is neutron_lib's class.
func QosPolicyNotFound(id string) *Error {
	return New("QosPolicyNotFound", "QoS policy %s could not be found.", id)
}

// QosRuleNotFound is neutron_lib's class.
func QosRuleNotFound(policyID, ruleID string) *Error {
	return New("QosRuleNotFound", "QoS rule %s for policy %s could not be found.", ruleID, policyID)
}

// QoSPolicyDefaultAlreadyExists is neutron_lib's class.
func QoSPolicyDefaultAlreadyExists(project string) *Error {
	return New("QoSPolicyDefaultAlreadyExists", "A default QoS policy exists for project %s.", project)
}

// QosPolicyInUse is neutron_lib's class; objectType is "port" or "network".
func QosPolicyInUse(policyID, objectType, objectID string) *Error {
	return New("QosPolicyInUse", "QoS Policy %s is used by %s %s.", policyID, objectType, objectID)
}

// QoSRulesConflict is neutron_lib's class.
func QoSRulesConflict(newType, ruleID, policyID string) *Error {
	return New("QoSRulesConflict", "Rule %s conflicts with rule %s which already exists in QoS Policy %s.",
		newType, ruleID, policyID)
}

// QoSRuleParameterConflict is neutron_lib's class.
func QoSRuleParameterConflict(value int64, policyID, existingRule string, existingValue int64) *Error {
	return New("QoSRuleParameterConflict", "Unable to add the rule with value %d to the policy %s as the existing rule of type %s has value %d.",
		value, policyID, existingRule, existingValue)
}

// QosRuleNotSupported is neutron_lib's class.
func QosRuleNotSupported(ruleType, portID string) *Error {
	return New("QosRuleNotSupported", "Rule %s is not supported by port %s", ruleType, portID)
}

// PolicyRemoveAuthorizationError is neutron_lib's class.
func PolicyRemoveAuthorizationError(policyID string) *Error {
	return New("PolicyRemoveAuthorizationError", "Failed to remove provided policy %s because you are not authorized.", policyID)
}

// AgentNotFound is neutron_lib's class.
func AgentNotFound(id string) *Error { return New("AgentNotFound", "Agent %s could not be found.", id) }

// AvailabilityZoneNotFound is neutron_lib's class.
func AvailabilityZoneNotFound(name string) *Error {
	return New("AvailabilityZoneNotFound", "AvailabilityZone %s could not be found.", name)
}
