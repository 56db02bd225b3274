package bus

import (
	"errors"
	"fmt"

	"github.com/monostack/monostack/internal/errs"
)

// Code is the stable name of an error that crosses the bus. For the domain
// kinds it is errs' own code name (errs.Error.Code), so internal/errs stays
// the one table; Timeout and UnsupportedVersion exist only on the bus.
type Code string

// The codes services test for. Any other errs kind crosses the bus under its
// errs code name too (for example "over_limit").
const (
	Internal           Code = "internal"
	Invalid            Code = "bad_request" // errs.BadRequest
	NotFound           Code = "not_found"
	Conflict           Code = "conflict"
	Forbidden          Code = "forbidden"
	Unavailable        Code = "unavailable" // no responder, connection lost
	Timeout            Code = "timeout"     // the caller's deadline passed
	UnsupportedVersion Code = "unsupported_version"
)

// kindByCode inverts errs' kind → code table.
var kindByCode = func() map[Code]errs.Kind {
	m := map[Code]errs.Kind{}
	for k := errs.Kind(0); k < 256; k++ {
		if name := (&errs.Error{Kind: k}).Code(); name != "" {
			m[Code(name)] = k
		}
	}
	return m
}()

// Error is an error as it crosses the bus: a code and a message meant for
// the caller. It unwraps to the *errs.Error of the equivalent kind, so
// errs.Is and the HTTP fault renderers treat it as a domain error, and to
// the local cause (a context or connection error) when there is one.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	cause   error
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "bus: " + string(e.Code)
	}
	return "bus: " + string(e.Code) + ": " + e.Message
}

// Unwrap gives the equivalent domain error and the local cause.
func (e *Error) Unwrap() []error {
	out := []error{&errs.Error{Kind: e.Kind(), Message: e.Message}}
	if e.cause != nil {
		out = append(out, e.cause)
	}
	return out
}

// Kind is the errs kind the code stands for: its own kind for domain codes,
// Unavailable for Timeout (the service did not answer in time), Internal
// for UnsupportedVersion (a deployment mismatch) and for codes this side
// does not know.
func (e *Error) Kind() errs.Kind {
	if k, ok := kindByCode[e.Code]; ok {
		return k
	}
	if e.Code == Timeout {
		return errs.Unavailable
	}
	return errs.Internal
}

func newError(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), cause: cause}
}

// CodeOf is the code err would cross the bus with; nil has no code.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return toWire(err).Code
}

// toWire turns a handler's error into what the caller receives. The
// outermost bus, version or domain error in the chain decides, as for HTTP;
// anything else is Internal with a generic message (the cause is logged by
// the handler's side, never sent).
func toWire(err error) *Error {
	var out *Error
	walk(err, func(e error) bool {
		switch x := e.(type) {
		case *Error:
			out = &Error{Code: x.Code, Message: x.Message}
		case *VersionError:
			out = &Error{Code: UnsupportedVersion, Message: x.Error()}
		case *errs.Error:
			out = &Error{Code: Code(x.Code()), Message: x.Message}
		default:
			return false
		}
		return true
	})
	if out == nil {
		out = &Error{Code: Internal, Message: "internal error"}
	}
	return out
}

// walk visits err's chain depth first, outermost first, until visit says stop.
func walk(err error, visit func(error) bool) bool {
	for err != nil {
		if visit(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walk(e, visit) {
					return true
				}
			}
			return false
		default:
			err = errors.Unwrap(err)
		}
	}
	return false
}
