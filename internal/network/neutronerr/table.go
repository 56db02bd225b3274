package neutronerr

import "net/http"

// statuses maps each Neutron exception class this service raises to the
// status neutron_lib's FAULT_MAP gives its base class (NotFound 404,
// Conflict and InUse 409, BadRequest 400, ServiceUnavailable 503,
// NotAuthorized and PolicyNotAuthorized 403) or webob's own status.
var statuses = map[string]int{
	// NotFound
	"NotFound":                    http.StatusNotFound,
	"HTTPNotFound":                http.StatusNotFound,
	"NetworkNotFound":             http.StatusNotFound,
	"SubnetNotFound":              http.StatusNotFound,
	"PortNotFound":                http.StatusNotFound,
	"SegmentNotFound":             http.StatusNotFound,
	"NetworkSegmentRangeNotFound": http.StatusNotFound,
	"TagNotFound":                 http.StatusNotFound,
	"ExtensionNotFound":           http.StatusNotFound,
	"TagResourceNotFound":         http.StatusNotFound,
	// BadRequest
	"BadRequest":                             http.StatusBadRequest,
	"HTTPBadRequest":                         http.StatusBadRequest,
	"InvalidInput":                           http.StatusBadRequest,
	"MalformedRequestBody":                   http.StatusBadRequest,
	"SegmentsSetInConjunctionWithProviders":  http.StatusBadRequest,
	"SegmentsContainDuplicateEntry":          http.StatusBadRequest,
	"NetworkSegmentRangeNetTypeNotSupported": http.StatusBadRequest,
	"NetworkSegmentRangeDefaultReadOnly":     http.StatusBadRequest,
	"InvalidSharedSetting":                   http.StatusConflict,
	// Conflict and InUse
	"Conflict":                               http.StatusConflict,
	"InUse":                                  http.StatusConflict,
	"NetworkInUse":                           http.StatusConflict,
	"VlanIdInUse":                            http.StatusConflict,
	"TunnelIdInUse":                          http.StatusConflict,
	"FlatNetworkInUse":                       http.StatusConflict,
	"SegmentInUse":                           http.StatusConflict,
	"NetworkSegmentRangeReferencedByProject": http.StatusConflict,
	"NetworkSegmentRangeOverlaps":            http.StatusConflict,
	// ServiceUnavailable
	"ServiceUnavailable": http.StatusServiceUnavailable,
	"NoNetworkAvailable": http.StatusServiceUnavailable,
	// Authorization
	"NotAuthorized":       http.StatusForbidden,
	"PolicyNotAuthorized": http.StatusForbidden,
	"HTTPForbidden":       http.StatusForbidden,
	// webob statuses Neutron raises directly
	"RevisionNumberConstraintFailed": http.StatusPreconditionFailed,
	"HTTPMethodNotAllowed":           http.StatusMethodNotAllowed,
	"HTTPRequestEntityTooLarge":      http.StatusRequestEntityTooLarge,
	"HTTPUnsupportedMediaType":       http.StatusUnsupportedMediaType,
	"HTTPInternalServerError":        http.StatusInternalServerError,
	"NotImplementedError":            http.StatusNotImplemented,
}

// Register adds exception classes raised by other parts of the service
// (IPAM, L3, security groups); call it from an init in the file that
// defines their constructors.
func Register(typ string, status int) { statuses[typ] = status }

// StatusOf is the status of a class; unknown classes are 500.
func StatusOf(typ string) int {
	if s, ok := statuses[typ]; ok {
		return s
	}
	return http.StatusInternalServerError
}
