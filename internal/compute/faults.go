package compute

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// faultNames are Nova's fault body keys by status; others are computeFault.
var faultNames = map[int]string{
	400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
	405: "badMethod", 409: "conflictingRequest", 413: "overLimit", 415: "badMediaType",
	429: "overLimit", 501: "notImplemented", 503: "serviceUnavailable",
}

// unexpectedError is Nova's message for an error it did not expect.
const unexpectedError = "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible."

// faults renders errors as Nova does: {"itemNotFound": {"code": 404,
// "message": "…"}}. A 401 comes from keystonemiddleware in Keystone's
// shape instead.
type faults struct {
	identityURL func() string
	log         *slog.Logger
}

func (f faults) Render(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	status := e.Status()
	if status == http.StatusUnauthorized {
		f.unauthorized(w, r)
		return
	}
	msg := e.Message
	if e.Kind == errs.Internal {
		reqID := httpx.LogInternal(f.log, r, err)
		msg = unexpectedError + "\n<class 'nova.exception_Remote.InternalError'> (request id " + reqID + ")"
		status = http.StatusInternalServerError
	}
	writeFault(w, r, status, msg)
}

// writeFault writes Nova's fault body.
func writeFault(w http.ResponseWriter, r *http.Request, status int, msg string) {
	name, ok := faultNames[status]
	if !ok {
		name = "computeFault"
	}
	body, _ := json.Marshal(map[string]any{name: map[string]any{"code": status, "message": msg}})
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func (f faults) unauthorized(w http.ResponseWriter, r *http.Request) {
	if f.identityURL != nil {
		w.Header().Set("WWW-Authenticate", `Keystone uri="`+f.identityURL()+`"`)
	}
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": 401, "title": "Unauthorized",
		"message": "The request you have made requires authentication."}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// refuseVersion answers a request for a microversion Nova cannot serve:
// 400 for a malformed one, 406 for one out of range.
func (s *Service) refuseVersion(w http.ResponseWriter, r *http.Request, err *httpx.MicroversionError) {
	status := http.StatusNotAcceptable
	if err.BadFormat {
		status = http.StatusBadRequest
	}
	writeFault(w, r, status, err.Error())
}
