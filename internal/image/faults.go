package image

import (
	"encoding/json"
	"html"
	"log/slog"
	"mime"
	"net/http"
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
	msg := e.Message
	switch {
	case e.Kind == errs.Internal:
		reqID := httpx.LogInternal(f.log, r, err)
		msg = "The server has either erred or is incapable of performing the requested operation. (request id " + reqID + ")"
	case e.Kind == errs.Forbidden && e.Rule != "":
		msg = "You are not authorized to complete " + e.Rule + " action."
	}
	if status == http.StatusUnauthorized {
		f.unauthorized(w, r)
		return
	}
	statusLine := strconv.Itoa(status) + " " + errs.StatusTitle(status)
	var body []byte
	switch acceptForm(r.Header.Get("Accept")) {
	case "json":
		body = []byte(`{"message": ` + jsonString(msg+"<br /><br />\n\n\n") + `, "code": ` + jsonString(statusLine) +
			`, "title": ` + jsonString(errs.StatusTitle(status)) + `}`)
		w.Header().Set("Content-Type", "application/json")
	case "html":
		body = []byte("<html>\n <head>\n  <title>" + statusLine + "</title>\n </head>\n <body>\n  <h1>" + statusLine +
			"</h1>\n  " + html.EscapeString(msg) + "<br /><br />\n\n\n\n </body>\n</html>")
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	default:
		body = []byte(statusLine + "\n\n" + msg + "\n\n   ")
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
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
