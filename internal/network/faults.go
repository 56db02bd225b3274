package network

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// faults renders errors as Neutron does: {"NeutronError": {"type": class,
// "message": text, "detail": ""}}. A 401 comes from keystonemiddleware in
// Keystone's shape instead.
type faults struct {
	identityURL func() string
	log         *slog.Logger
}

// genericTypes are the webob classes Neutron's body names for errors that
// are not Neutron exceptions (routing, body size, media type).
var genericTypes = map[errs.Kind]string{
	errs.BadRequest:           "HTTPBadRequest",
	errs.NotFound:             "HTTPNotFound",
	errs.Forbidden:            "HTTPForbidden",
	errs.Conflict:             "HTTPConflict",
	errs.MethodNotAllowed:     "HTTPMethodNotAllowed",
	errs.TooLarge:             "HTTPRequestEntityTooLarge",
	errs.UnsupportedMediaType: "HTTPUnsupportedMediaType",
	errs.NotImplemented:       "HTTPNotImplemented",
	errs.Unavailable:          "HTTPServiceUnavailable",
}

func (f faults) Render(w http.ResponseWriter, r *http.Request, err error) {
	if ne, ok := neutronerr.As(err); ok {
		writeFault(w, r, ne.Status, ne.Type, ne.Message)
		return
	}
	e := errs.As(err)
	switch {
	case e.Kind == errs.Unauthorized:
		f.unauthorized(w, r)
	case e.Kind == errs.Forbidden && e.Rule != "":
		writeFault(w, r, http.StatusForbidden, "PolicyNotAuthorized", neutronerr.PolicyNotAuthorized("rule:"+e.Rule).Message)
	case e.Kind == errs.Internal:
		httpx.LogInternal(f.log, r, err)
		writeFault(w, r, http.StatusInternalServerError, "HTTPInternalServerError",
			"Request Failed: internal server error while processing your request.")
	default:
		typ := genericTypes[e.Kind]
		if typ == "" {
			typ = "HTTPBadRequest"
		}
		writeFault(w, r, e.Status(), typ, e.Message)
	}
}

// writeFault writes Neutron's error body.
func writeFault(w http.ResponseWriter, r *http.Request, status int, typ, msg string) {
	body, _ := json.Marshal(map[string]any{"NeutronError": map[string]any{"type": typ, "message": msg, "detail": ""}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// unauthorized is keystonemiddleware's 401.
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
