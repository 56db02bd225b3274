package identity

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// faults renders errors as Keystone does: {"error": {code, message, title}},
// with WWW-Authenticate on 401s.
type faults struct {
	publicURL string
	log       *slog.Logger
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Title   string `json:"title"`
}

func (f faults) Render(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	status := e.Status()
	msg := e.Message
	switch {
	case e.Kind == errs.Internal:
		reqID := httpx.LogInternal(f.log, r, err)
		msg = "An unexpected error prevented the server from fulfilling your request. (request id " + reqID + ")"
	case e.Kind == errs.Forbidden && e.Rule != "":
		msg = "You are not authorized to perform the requested action: " + e.Rule + "."
	case e.Kind == errs.Unauthorized && !errors.Is(err, errVisible):
		// As upstream, why authentication failed is the operator's to know.
		f.log.Debug("unauthorized", "request_id", httpx.RequestID(r.Context()), "reason", msg)
		msg = genericUnauthorized
	}
	if status == http.StatusUnauthorized {
		base := f.publicURL
		if base == "" {
			base = httpx.BaseURL(r)
		}
		w.Header().Set("WWW-Authenticate", `Keystone uri="`+base+`"`)
	}
	b, _ := json.Marshal(errorBody{errorDetail{Code: status, Message: msg, Title: errs.StatusTitle(status)}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

// genericUnauthorized is what every 401 says unless its detail is visible.
const genericUnauthorized = "The request you have made requires authentication."

// errVisible marks a 401 whose message upstream shows to the client
// (locked, disabled or expired accounts, missing MFA methods...).
var errVisible = errors.New("visible to the client")

// visible401 is a 401 whose message the client sees.
func visible401(format string, args ...any) error {
	e := errs.Unauthorizedf(format, args...)
	e.Err = errVisible
	return e
}
