package neutronerr

import "net/http"

// Port forwarding exceptions (neutron/services/portforwarding/common/exceptions.py).

func init() {
	for typ, status := range map[string]int{
		"PortForwardingNotFound":   http.StatusNotFound,
		"PortHasPortForwarding":    http.StatusBadRequest,
		"FipInUseByPortForwarding": http.StatusConflict,
		"PortHasBindingFloatingIP": http.StatusConflict,
	} {
		Register(typ, status)
	}
}

// PortForwardingNotFound is the class of that name.
func PortForwardingNotFound(id string) *Error {
	return New("PortForwardingNotFound", "Port Forwarding %s could not be found.", id)
}

// PortHasPortForwarding is the class of that name.
func PortHasPortForwarding(portID string) *Error {
	return New("PortHasPortForwarding", "Cannot associate floating IP to port %s because it already has a Port Forwarding binding.", portID)
}

// FipInUseByPortForwarding is the class of that name.
func FipInUseByPortForwarding(fipID string) *Error {
	return New("FipInUseByPortForwarding", "Floating IP %s in use by Port Forwarding resources.", fipID)
}

// PortHasBindingFloatingIP is the class of that name.
func PortHasBindingFloatingIP(fipAddress, fipID, portID, fixedIP string) *Error {
	return New("PortHasBindingFloatingIP", "Cannot create port forwarding to floating IP %s (%s) with port %s using fixed IP %s, as that port already has a binding floating IP.", fipAddress, fipID, portID, fixedIP)
}
