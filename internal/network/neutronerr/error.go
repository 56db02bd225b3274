package neutronerr

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/monostack/monostack/internal/errs"
)

// Error is a Neutron exception: its class name, its message, its status.
type Error struct {
	Type    string
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Unwrap gives the generic domain error, so errs.Status and bus codes work.
func (e *Error) Unwrap() error { return &errs.Error{Kind: kindOf(e.Status), Message: e.Message} }

// New builds an error of class typ; its status comes from the table.
func New(typ, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Type: typ, Message: msg, Status: StatusOf(typ)}
}

// As finds a Neutron error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// kindOf is the generic kind of a status.
func kindOf(status int) errs.Kind {
	switch status {
	case http.StatusBadRequest, http.StatusPreconditionFailed:
		return errs.BadRequest
	case http.StatusUnauthorized:
		return errs.Unauthorized
	case http.StatusForbidden:
		return errs.Forbidden
	case http.StatusNotFound:
		return errs.NotFound
	case http.StatusConflict:
		return errs.Conflict
	case http.StatusServiceUnavailable:
		return errs.Unavailable
	case http.StatusNotImplemented:
		return errs.NotImplemented
	}
	return errs.Internal
}
