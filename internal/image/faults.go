package image

import (
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// faults renders errors as Glance does. Glance's errors are webob's: the
// body's form follows the Accept header (JSON, HTML or plain text), with
// webob's own quirks kept (the "<br /><br />" tail in JSON messages). A 401
// comes from keystonemiddleware in Keystone's JSON shape instead.
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
	fill := f.bodyTemplate(r, err, e)
	statusLine := strconv.Itoa(status) + " " + errs.StatusTitle(status)
	var body []byte
	switch acceptForm(r.Header.Get("Accept")) {
	case "json":
		body = []byte(`{"message": ` + jsonString(fill(noEscape)) + `, "code": ` + jsonString(statusLine) +
			`, "title": ` + jsonString(errs.StatusTitle(status)) + `}`)
		w.Header().Set("Content-Type", "application/json")
	case "html":
		body = []byte("<html>\n <head>\n  <title>" + statusLine + "</title>\n </head>\n <body>\n  <h1>" + statusLine +
			"</h1>\n  " + fill(htmlEscape) + "\n </body>\n</html>")
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	default:
		body = []byte(statusLine + "\n\n" + stripTags(fill(noEscape)))
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// bodyTemplate is webob's body template for err, filled in with each part
// passed through an escaper: the explanation (Glance's message), or for a
// detailed error the status's stock explanation and then the detail, or
// for 405 and 415 webob's own sentence naming the method or media type.
func (f faults) bodyTemplate(r *http.Request, err error, e *errs.Error) func(esc func(string) string) string {
	msg := e.Message
	switch {
	case e.Kind == errs.Internal:
		reqID := httpx.LogInternal(f.log, r, err)
		msg = "The server has either erred or is incapable of performing the requested operation. (request id " + reqID + ")"
	case e.Kind == errs.Forbidden && e.Rule != "":
		msg = "You are not authorized to complete " + e.Rule + " action."
	case e.Kind == errs.UnsupportedMediaType:
		return func(esc func(string) string) string {
			return "The request media type " + esc(requestMediaType(r)) + " is not supported by this server.\n<br /><br />\n"
		}
	case e.Kind == errs.MethodNotAllowed:
		return func(esc func(string) string) string {
			return "The method " + esc(r.Method) + " is not allowed for this resource. <br /><br />\n"
		}
	}
	var d detailError
	if errors.As(err, &d) {
		explanation := stockExplanations[e.Status()]
		return func(esc func(string) string) string { return esc(explanation) + "<br /><br />\n" + esc(msg) + "\n\n" }
	}
	return func(esc func(string) string) string { return esc(msg) + "<br /><br />\n\n\n" }
}

// detailError is an error Glance raises with webob's detail (its first
// positional argument, as in HTTPConflict(msg)) instead of an explanation.
type detailError struct{ err *errs.Error }

func (d detailError) Error() string { return d.err.Error() }
func (d detailError) Unwrap() error { return d.err }

// withDetail renders e as webob's detail under the status's stock explanation.
func withDetail(e *errs.Error) error { return detailError{e} }

// stockExplanations are webob's explanations of the statuses Glance raises
// with a detail.
var stockExplanations = map[int]string{
	http.StatusBadRequest: "The server could not comply with the request since\r\nit is either malformed or otherwise incorrect.\r\n",
	http.StatusForbidden:  "Access was denied to this resource.",
	http.StatusNotFound:   "The resource could not be found.",
	http.StatusConflict:   "There was a conflict when trying to complete your request.",
}

// requestMediaType is the Content-Type as the WSGI server saw it (text/plain when absent).
func requestMediaType(r *http.Request) string {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		return ct
	}
	return "text/plain"
}

func noEscape(s string) string { return s }

// htmlEscape is webob's html_escape: Python's html.escape with quotes, then
// non-ASCII characters as decimal references.
func htmlEscape(s string) string {
	var b strings.Builder
	for _, c := range htmlEscaper.Replace(s) {
		if c < 0x80 {
			b.WriteRune(c)
		} else {
			b.WriteString("&#" + strconv.Itoa(int(c)) + ";")
		}
	}
	return b.String()
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;")

var (
	brTag      = regexp.MustCompile(`(?is)<br.*?>`)
	anyTag     = regexp.MustCompile(`(?s)<.*?>`)
	commentTag = regexp.MustCompile(`<!--|-->`)
)

// stripTags is webob's plain-text rendering of a body: newlines become
// spaces, <br> tags newlines, other tags vanish.
func stripTags(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "\r", "")
	s = brTag.ReplaceAllString(s, "\n")
	s = commentTag.ReplaceAllString(s, "")
	return anyTag.ReplaceAllString(s, "")
}

// jsonString encodes s as a JSON string without HTML escaping, as
// Python's json.dumps does.
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// unauthorized is keystonemiddleware's 401.
func (f faults) unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Keystone uri="`+f.identityURL()+`"`)
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": 401, "title": "Unauthorized",
		"message": "The request you have made requires authentication."}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// acceptForm is webob's choice among text/html, application/json and
// text/plain (in that order of preference on ties) for an Accept header;
// no header means plain text.
func acceptForm(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return "plain"
	}
	offers := []struct{ form, typ string }{{"html", "text/html"}, {"json", "application/json"}, {"plain", "text/plain"}}
	best, bestQ := "plain", 0.0
	for _, o := range offers {
		if q := acceptQ(accept, o.typ); q > bestQ {
			best, bestQ = o.form, q
		}
	}
	return best
}

// acceptQ is the quality the most specific matching media range of accept
// gives typ.
func acceptQ(accept, typ string) float64 {
	q, specificity := 0.0, -1
	major, _, _ := strings.Cut(typ, "/")
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		s := -1
		switch mt {
		case typ:
			s = 2
		case major + "/*":
			s = 1
		case "*/*":
			s = 0
		}
		if s <= specificity {
			continue
		}
		specificity, q = s, 1
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
	}
	return q
}
