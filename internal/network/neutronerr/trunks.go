package neutronerr

import "net/http"

// Trunk exceptions (neutron/services/trunk/exceptions.py).

func init() {
	for typ, status := range map[string]int{
		"TrunkNotFound":                     http.StatusNotFound,
		"SubPortNotFound":                   http.StatusNotFound,
		"TrunkPortInUse":                    http.StatusConflict,
		"DuplicateSubPort":                  http.StatusConflict,
		"ParentPortInUse":                   http.StatusConflict,
		"SubPortMtuGreaterThanTrunkPortMtu": http.StatusConflict,
		"PortInUseAsTrunkParent":            http.StatusConflict,
		"PortInUseAsSubPort":                http.StatusConflict,
		"TrunkInUse":                        http.StatusConflict,
		"TrunkDisabled":                     http.StatusConflict,
		"TrunkInErrorState":                 http.StatusConflict,
	} {
		Register(typ, status)
	}
}

// TrunkNotFound is the trunk plugin's TrunkNotFound.
func TrunkNotFound(id string) *Error {
	return New("TrunkNotFound", "Trunk %s could not be found.", id)
}

// SubPortNotFound is the trunk plugin's SubPortNotFound.
func SubPortNotFound(trunkID, portID string) *Error {
	return New("SubPortNotFound", "SubPort %s on trunk %s could not be found.", portID, trunkID)
}

// TrunkPortInUse is raised for a port that is already a subport.
func TrunkPortInUse(portID string) *Error {
	return New("TrunkPortInUse", "Port %s is in use by another trunk.", portID)
}

// DuplicateSubPort is raised for a segmentation a trunk already uses.
func DuplicateSubPort(segType string, segID int64, trunkID string) *Error {
	return New("DuplicateSubPort", "segmentation_type %s and segmentation_id %d already in use on trunk %s.", segType, segID, trunkID)
}

// ParentPortInUse is raised for a port that may not be a trunk's parent.
func ParentPortInUse(portID string) *Error {
	return New("ParentPortInUse", "Port %s is currently in use and is not eligible for use as a parent port.", portID)
}

// SubPortMtuGreaterThanTrunkPortMtu names the parent port as the trunk,
// as upstream does.
func SubPortMtuGreaterThanTrunkPortMtu(portID string, portMTU int, trunkID string, trunkMTU int) *Error {
	return New("SubPortMtuGreaterThanTrunkPortMtu", "MTU %d of subport %s cannot be greater than MTU %d of trunk %s.",
		portMTU, portID, trunkMTU, trunkID)
}

// PortInUseAsTrunkParent refuses deleting a trunk's parent port.
func PortInUseAsTrunkParent(portID, trunkID string) *Error {
	return New("PortInUseAsTrunkParent", "Port %s is currently a parent port for trunk %s.", portID, trunkID)
}

// PortInUseAsSubPort refuses deleting a trunk's subport.
func PortInUseAsSubPort(portID, trunkID string) *Error {
	return New("PortInUseAsSubPort", "Port %s is currently a subport for trunk %s.", portID, trunkID)
}

// TrunkInUse refuses deleting a trunk whose parent is bound.
func TrunkInUse(id string) *Error { return New("TrunkInUse", "Trunk %s is currently in use.", id) }

// TrunkDisabled refuses managing a trunk with admin_state_up false.
func TrunkDisabled(id string) *Error {
	return New("TrunkDisabled", "Trunk %s is currently disabled.", id)
}

// TrunkInErrorState refuses adding subports to a trunk in ERROR.
func TrunkInErrorState(id string) *Error {
	return New("TrunkInErrorState", "Trunk %s is in error state. Attempt to resolve the error condition before proceeding.", id)
}
