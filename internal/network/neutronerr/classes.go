package neutronerr

// Constructors for the exceptions the network core raises, with
// neutron_lib's message texts.

// InvalidInput is neutron_lib's InvalidInput.
func InvalidInput(msg string) *Error {
	return New("InvalidInput", "Invalid input for operation: %s.", msg)
}

// BadRequest is neutron_lib's BadRequest for resource.
func BadRequest(resource, msg string) *Error {
	return New("BadRequest", "Bad %s request: %s.", resource, msg)
}

// HTTPBadRequest is a webob 400 raised with an explanation.
func HTTPBadRequest(msg string) *Error { return New("HTTPBadRequest", "%s", msg) }

// HTTPNotFound is a webob 404 raised with an explanation.
func HTTPNotFound(msg string) *Error { return New("HTTPNotFound", "%s", msg) }

// NetworkNotFound is neutron_lib's NetworkNotFound.
func NetworkNotFound(id string) *Error {
	return New("NetworkNotFound", "Network %s could not be found.", id)
}

// NetworkInUse is neutron_lib's NetworkInUse; "" is the default reason.
func NetworkInUse(id, reason string) *Error {
	if reason == "" {
		reason = "There are one or more ports still in use on the network"
	}
	return New("NetworkInUse", "Unable to complete operation on network %s. %s.", id, reason)
}

// SegmentNotFound is Neutron's segments SegmentNotFound.
func SegmentNotFound(id string) *Error {
	return New("SegmentNotFound", "Segment %s could not be found.", id)
}

// NoNetworkAvailable is neutron_lib's NoNetworkAvailable.
func NoNetworkAvailable() *Error {
	return New("NoNetworkAvailable", "Unable to create the network. No tenant network is available for allocation.")
}

// VlanIdInUse is neutron_lib's VlanIdInUse.
func VlanIdInUse(vlan int64, physnet string) *Error {
	return New("VlanIdInUse", "Unable to create the network. The VLAN %d on physical network %s is in use.", vlan, physnet)
}

// TunnelIdInUse is neutron_lib's TunnelIdInUse.
func TunnelIdInUse(id int64) *Error {
	return New("TunnelIdInUse", "Unable to create the network. The tunnel ID %d is in use.", id)
}

// FlatNetworkInUse is neutron_lib's FlatNetworkInUse.
func FlatNetworkInUse(physnet string) *Error {
	return New("FlatNetworkInUse", "Unable to create the flat network. Physical network %s is in use.", physnet)
}

// PolicyNotAuthorized is oslo.policy's PolicyNotAuthorized for a rule
// string as oslo renders it ("rule:x" or "(rule:x and rule:y)").
func PolicyNotAuthorized(rule string) *Error {
	return New("PolicyNotAuthorized", "%s is disallowed by policy", rule)
}

// RevisionNumberConstraintFailed is Neutron's 412 for a failed If-Match.
func RevisionNumberConstraintFailed(expected, current int64) *Error {
	return New("RevisionNumberConstraintFailed", "Constrained to %d, but current revision is %d", expected, current)
}
