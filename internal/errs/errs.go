package errs

import (
	"errors"
	"fmt"
	"net/http"
)

// Kind classifies an error; the table below decides its HTTP status.
type Kind int

// The kinds of domain error. Internal is the zero value so that an
// unclassified error never leaks as a 4xx.
const (
	Internal Kind = iota
	BadRequest
	Unauthorized
	Forbidden
	NotFound
	MethodNotAllowed
	Conflict
	Gone
	TooLarge
	UnsupportedMediaType
	OverLimit
	NotImplemented
	Unavailable
	NotAcceptable
)

type kindInfo struct {
	status int
	name   string
}

// table is the single mapping from kind to HTTP status and a stable code
// name, used by fault renderers and (later) across the message bus.
var table = map[Kind]kindInfo{
	Internal:             {http.StatusInternalServerError, "internal"},
	BadRequest:           {http.StatusBadRequest, "bad_request"},
	Unauthorized:         {http.StatusUnauthorized, "unauthorized"},
	Forbidden:            {http.StatusForbidden, "forbidden"},
	NotFound:             {http.StatusNotFound, "not_found"},
	MethodNotAllowed:     {http.StatusMethodNotAllowed, "method_not_allowed"},
	Conflict:             {http.StatusConflict, "conflict"},
	Gone:                 {http.StatusGone, "gone"},
	TooLarge:             {http.StatusRequestEntityTooLarge, "too_large"},
	UnsupportedMediaType: {http.StatusUnsupportedMediaType, "unsupported_media_type"},
	OverLimit:            {http.StatusRequestEntityTooLarge, "over_limit"},
	NotImplemented:       {http.StatusNotImplemented, "not_implemented"},
	Unavailable:          {http.StatusServiceUnavailable, "unavailable"},
	NotAcceptable:        {http.StatusNotAcceptable, "not_acceptable"},
}

// Error is a domain error with a kind, a user-facing message and an optional
// cause that is logged but never shown to clients.
type Error struct {
	Kind    Kind
	Message string
	// Rule is the policy rule that refused a Forbidden request, if any.
	Rule string
	// Err is the wrapped cause; it never reaches a response body.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Status is the HTTP status for the error's kind.
func (e *Error) Status() int { return table[e.Kind].status }

// Code is the stable name of the error's kind.
func (e *Error) Code() string { return table[e.Kind].name }

// New builds an error of kind k with a formatted message.
func New(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds an error of kind k whose cause is err.
func Wrap(k Kind, err error, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...), Err: err}
}

// As returns the outermost *Error in err's chain, or an Internal error
// wrapping err when there is none.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Internal, Message: "internal error", Err: err}
}

// Is reports whether err is a domain error of kind k.
func Is(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// Status is the HTTP status for any error.
func Status(err error) int { return As(err).Status() }

// StatusTitle is the reason phrase for an HTTP status, as upstream services
// spell it in error bodies.
func StatusTitle(status int) string {
	if status == http.StatusRequestEntityTooLarge {
		return "Request Entity Too Large"
	}
	return http.StatusText(status)
}

// Shorthands for the common kinds.

// NotFoundf is a NotFound error.
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// BadRequestf is a BadRequest error.
func BadRequestf(format string, args ...any) *Error { return New(BadRequest, format, args...) }

// Conflictf is a Conflict error.
func Conflictf(format string, args ...any) *Error { return New(Conflict, format, args...) }

// Forbiddenf is a Forbidden error.
func Forbiddenf(format string, args ...any) *Error { return New(Forbidden, format, args...) }

// Unauthorizedf is an Unauthorized error.
func Unauthorizedf(format string, args ...any) *Error { return New(Unauthorized, format, args...) }

// PolicyForbidden is the error a policy check returns when rule refuses.
func PolicyForbidden(rule string) *Error {
	return &Error{Kind: Forbidden, Rule: rule,
		Message: fmt.Sprintf("Policy doesn't allow %s to be performed.", rule)}
}
