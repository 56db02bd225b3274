package placement

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The error codes of placement's JSON errors (placement/errors.py).
const (
	codeDefault          = "placement.undefined_code"
	codeInventoryInUse   = "placement.inventory.inuse"
	codeConcurrentUpdate = "placement.concurrent_update"
	codeDuplicateName    = "placement.duplicate_name"
	codeProviderInUse    = "placement.resource_provider.inuse"
	codeCannotDelParent  = "placement.resource_provider.cannot_delete_parent"
	codeProviderNotFound = "placement.resource_provider.not_found"
	codeDuplicateQuery   = "placement.query.duplicate_key"
	codeQueryBadValue    = "placement.query.bad_value"
	codeQueryMissing     = "placement.query.missing_value"
)

// coded carries a placement error code inside an *errs.Error.
type coded string

func (c coded) Error() string { return string(c) }

// withCode is e carrying a placement error code.
func withCode(e *errs.Error, code string) *errs.Error {
	e.Err = coded(code)
	return e
}

// codeOf is err's placement error code, or the default one.
func codeOf(err error) string {
	var c coded
	if errors.As(err, &c) {
		return string(c)
	}
	return codeDefault
}

func notFound(msg string) *errs.Error   { return errs.NotFoundf("%s", msg) }
func badRequest(msg string) *errs.Error { return errs.BadRequestf("%s", msg) }
func forbidden(msg string) *errs.Error  { return errs.Forbiddenf("%s", msg) }
func conflict(msg, code string) *errs.Error {
	return withCode(errs.Conflictf("%s", msg), code)
}

// concurrentUpdate is the 409 of a generation that moved.
func concurrentUpdate(msg string) *errs.Error { return conflict(msg, codeConcurrentUpdate) }

// faults renders errors as placement does: webob's text, stripped of tags,
// in {"errors": [{status, title, detail, code, request_id}]}; a 401 comes
// from keystonemiddleware in Keystone's shape.
type faults struct {
	identityURL func() string
	log         *slog.Logger
}

// explanations are webob's stock explanations that precede the detail.
var explanations = map[int]string{
	400: "The server could not comply with the request since it is either malformed or otherwise incorrect.",
	403: "Access was denied to this resource.",
	404: "The resource could not be found.",
	409: "There was a conflict when trying to complete your request.",
	413: "The body of your request was too large for this server.",
	500: "The server has either erred or is incapable of performing the requested operation.",
}

func (f faults) Render(w http.ResponseWriter, r *http.Request, err error) {
	var mv *httpx.MicroversionError
	if errors.As(err, &mv) {
		f.renderMicroversion(w, r, mv)
		return
	}
	e := errs.As(err)
	status := e.Status()
	if status == http.StatusUnauthorized {
		f.unauthorized(w, r)
		return
	}
	detail := e.Message
	switch {
	case e.Kind == errs.Internal:
		detail = "Internal error (request id " + httpx.LogInternal(f.log, r, err) + ")"
	case e.Kind == errs.Forbidden && e.Rule != "":
		detail = "Policy does not allow " + e.Rule + " to be performed."
	case e.Kind == errs.MethodNotAllowed:
		detail = "The method specified is not allowed for this resource."
	case e.Kind == errs.NotFound && detail == "The resource could not be found.":
		detail = ""
	}
	body := map[string]any{"status": status, "title": errs.StatusTitle(status),
		"detail": webobDetail(r, status, detail), "request_id": httpx.RequestID(r.Context())}
	if v, verr := versions.Negotiate(r.Header); verr == nil {
		versions.SetHeaders(w, v)
		if v.AtLeast(23) {
			body["code"] = codeOf(err)
		}
	}
	writeError(w, r, status, body)
}

// webobDetail is webob's body for status around detail, with tags stripped.
func webobDetail(r *http.Request, status int, detail string) string {
	switch status {
	case 405:
		return "The method " + r.Method + " is not allowed for this resource. \n\n " + detail
	case 406:
		return "The resource could not be generated that was acceptable to your browser (content of type " +
			r.Header.Get("Accept") + ". \n\n " + detail
	case 415:
		return "The request media type " + r.Header.Get("Content-Type") + " is not supported by this server. \n\n " + detail
	}
	return explanations[status] + "\n\n " + detail + "  "
}

// renderMicroversion is microversion_parse's refusal: 406 for a version
// out of range (with the range), 400 for an unparsable one.
func (f faults) renderMicroversion(w http.ResponseWriter, r *http.Request, mv *httpx.MicroversionError) {
	status := http.StatusNotAcceptable
	detail := "Invalid microversion: Unacceptable version header: " + mv.Requested
	if mv.BadFormat {
		status = http.StatusBadRequest
		detail = "Invalid microversion: invalid version string: " + mv.Requested + "; " + pythonVersionError(mv.Requested)
	}
	body := map[string]any{"status": status, "title": errs.StatusTitle(status),
		"detail": webobDetail(r, status, detail), "request_id": httpx.RequestID(r.Context())}
	if status == http.StatusNotAcceptable {
		body["max_version"] = versions.Max.String()
		body["min_version"] = versions.Min.String()
	}
	writeError(w, r, status, body)
}

// pythonVersionError is the Python error microversion_parse reports for an
// unparsable "major.minor".
func pythonVersionError(s string) string {
	parts := strings.SplitN(s, ".", 2)
	for _, p := range parts {
		if _, err := strconv.Atoi(strings.TrimSpace(p)); err != nil {
			return "invalid literal for int() with base 10: '" + p + "'"
		}
	}
	return "Version.__new__() missing 1 required positional argument: 'minor'"
}

func writeError(w http.ResponseWriter, r *http.Request, status int, body map[string]any) {
	b, _ := json.Marshal(map[string]any{"errors": []any{body}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
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
