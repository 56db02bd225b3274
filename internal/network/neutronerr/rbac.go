package neutronerr

import "net/http"

func init() {
	for typ, status := range map[string]int{
		"RbacPolicyNotFound":   http.StatusNotFound,
		"RbacPolicyInUse":      http.StatusConflict,
		"DuplicateRbacPolicy":  http.StatusConflict,
		"InvalidActionForType": http.StatusBadRequest,
		"OverQuota":            http.StatusConflict,
		"TenantQuotaNotFound":  http.StatusNotFound,
		"QuotaMissingTenant":   http.StatusBadRequest,
		"AdminRequired":        http.StatusForbidden,
		"HTTPNotImplemented":   http.StatusNotImplemented,
	} {
		Register(typ, status)
	}
}

// RbacPolicyNotFound is Neutron's RbacPolicyNotFound; objectType is
// "unknown" when the id names no policy the caller may see.
func RbacPolicyNotFound(id, objectType string) *Error {
	return New("RbacPolicyNotFound", "RBAC policy of type %s with ID %s not found", objectType, id)
}

// RbacPolicyInUse is Neutron's RbacPolicyInUse.
func RbacPolicyInUse(objectID, details string) *Error {
	return New("RbacPolicyInUse", "RBAC policy on object %s cannot be removed because other objects depend on it.\nDetails: %s", objectID, details)
}

// DuplicateRbacPolicy is Neutron's DuplicateRbacPolicy.
func DuplicateRbacPolicy() *Error {
	return New("DuplicateRbacPolicy", "An RBAC policy already exists with those values.")
}

// InvalidActionForType is Neutron's InvalidActionForType; valid is the
// Python tuple repr of the type's actions.
func InvalidActionForType(action, objectType, valid string) *Error {
	return New("InvalidActionForType", "Invalid action '%s' for object type '%s'. Valid actions: %s", action, objectType, valid)
}

// InvalidSharedSetting is neutron_lib's InvalidSharedSetting.
func InvalidSharedSetting(network string) *Error {
	return New("InvalidSharedSetting", "Unable to reconfigure sharing settings for network %s. Multiple tenants are using it.", network)
}

// CallbackFailed is the text of a callback's failure as neutron_lib's
// CallbackFailure renders it (without the callback's Python hash).
func CallbackFailed(callback string, err *Error) string {
	return "Callback " + callback + " failed with \"" + err.Message + "\""
}

// OverQuota is neutron_lib's OverQuota; overs is the Python list repr
// of the resources over their limit.
func OverQuota(overs string) *Error {
	return New("OverQuota", "Quota exceeded for resources: %s.", overs)
}

// TenantQuotaNotFound is neutron_lib's TenantQuotaNotFound.
func TenantQuotaNotFound(project string) *Error {
	return New("TenantQuotaNotFound", "Quota for tenant %s could not be found.", project)
}

// QuotaMissingTenant is neutron_lib's QuotaMissingTenant.
func QuotaMissingTenant() *Error {
	return New("QuotaMissingTenant", "Tenant-id was missing from quota request.")
}

// AdminRequired is neutron_lib's AdminRequired.
func AdminRequired(reason string) *Error {
	return New("AdminRequired", "User does not have admin privileges: %s.", reason)
}

// HTTPNotImplemented is a webob 501 raised with an explanation.
func HTTPNotImplemented(msg string) *Error { return New("HTTPNotImplemented", "%s", msg) }
