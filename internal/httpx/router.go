package httpx

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/errs"
)

// HandlerFunc is an HTTP handler that returns an error for the service's
// fault renderer instead of writing one itself.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Faults renders an error in a service's own body shape.
type Faults interface {
	Render(w http.ResponseWriter, r *http.Request, err error)
}

// RouteOption changes how one route is served.
type RouteOption func(*route)

// Public marks a route that needs no token (a token, if sent, is ignored).
func Public(rt *route) { rt.public = true }

// Stream marks a route whose handler streams its request body (image
// data): no body size limit and no JSON content-type check apply.
func Stream(rt *route) { rt.stream = true }

type route struct {
	h      HandlerFunc
	public bool
	stream bool
}

// Router is one service's route table on top of http.ServeMux: it answers
// unknown paths and methods with the service's own 404 and 405 faults.
type Router struct {
	mux       *http.ServeMux
	paths     map[string]map[string]*route
	faults    Faults
	validator auth.Validator
	log       *slog.Logger
	maxBody   int64
	jsonOnly  bool
	trimSlash bool
}

// Config holds what a Router needs besides its routes.
type Config struct {
	Faults    Faults
	Validator auth.Validator // nil: every route is public
	Log       *slog.Logger
	MaxBody   int64 // request body limit in bytes; 0 means 1 MiB
	// JSONBodies refuses request bodies not declared application/json.
	JSONBodies bool
	// KeepTrailingSlash serves "/x/" only where a route says so (Glance),
	// instead of as "/x" (Keystone).
	KeepTrailingSlash bool
}

// NewRouter returns an empty route table.
func NewRouter(c Config) *Router {
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.MaxBody == 0 {
		c.MaxBody = 1 << 20
	}
	rt := &Router{mux: http.NewServeMux(), paths: map[string]map[string]*route{},
		faults: c.Faults, validator: c.Validator, log: c.Log, maxBody: c.MaxBody, jsonOnly: c.JSONBodies,
		trimSlash: !c.KeepTrailingSlash}
	rt.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rt.faults.Render(w, r, errs.NotFoundf("The resource could not be found."))
	})
	return rt
}

// Handle adds a route. pattern is an http.ServeMux path pattern without a
// method; HEAD is served by the GET handler unless registered itself.
func (rt *Router) Handle(method, pattern string, h HandlerFunc, opts ...RouteOption) {
	r := &route{h: h}
	for _, o := range opts {
		o(r)
	}
	methods, ok := rt.paths[pattern]
	if !ok {
		methods = map[string]*route{}
		rt.paths[pattern] = methods
		rt.mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) {
			rt.dispatch(methods, w, req)
		})
	}
	methods[method] = r
}

func (rt *Router) dispatch(methods map[string]*route, w http.ResponseWriter, r *http.Request) {
	h, ok := methods[r.Method]
	if !ok && r.Method == http.MethodHead {
		h, ok = methods[http.MethodGet]
	}
	if !ok {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		rt.faults.Render(w, r, errs.New(errs.MethodNotAllowed, "The method is not allowed for the requested URL."))
		return
	}
	if !h.stream {
		if r.ContentLength > rt.maxBody {
			rt.faults.Render(w, r, errs.New(errs.TooLarge, "Request is too large."))
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, rt.maxBody)
		}
	}
	if rt.jsonOnly && !h.stream && hasBody(r) && !isJSON(r.Header.Get("Content-Type")) {
		rt.faults.Render(w, r, errs.BadRequestf("Expecting to find application/json in Content-Type header. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error."))
		return
	}
	if !h.public && rt.validator != nil {
		tok, err := rt.authenticate(r)
		if err != nil {
			rt.faults.Render(w, r, err)
			return
		}
		r = r.WithContext(auth.WithToken(r.Context(), tok))
	}
	if err := h.h(w, r); err != nil {
		rt.faults.Render(w, r, err)
	}
}

func (rt *Router) authenticate(r *http.Request) (*auth.Token, error) {
	raw := r.Header.Get("X-Auth-Token")
	if raw == "" {
		return nil, errs.Unauthorizedf("The request you have made requires authentication.")
	}
	return rt.validator.Validate(r.Context(), raw)
}

// Handler returns the route table wrapped in the shared middleware stack:
// request id, access log and panic recovery. The body size limit is applied
// per route, after routing, so that streaming routes can opt out.
func (rt *Router) Handler() http.Handler {
	var h http.Handler = rt.mux
	if rt.trimSlash {
		h = trimTrailingSlash(h)
	}
	h = recoverPanics(h, rt.faults, rt.log)
	h = accessLog(h, rt.log)
	return requestID(h)
}

// Route is one registered path pattern and the methods it serves.
type Route struct {
	Pattern string
	Methods []string
}

// Routes lists the registered routes, sorted by pattern.
func (rt *Router) Routes() []Route {
	out := make([]Route, 0, len(rt.paths))
	for p, methods := range rt.paths {
		ms := make([]string, 0, len(methods))
		for m := range methods {
			ms = append(ms, m)
		}
		slices.Sort(ms)
		out = append(out, Route{Pattern: p, Methods: ms})
	}
	slices.SortFunc(out, func(a, b Route) int { return strings.Compare(a.Pattern, b.Pattern) })
	return out
}

// trimTrailingSlash serves "/v3/projects/" as "/v3/projects", as upstream
// services do.
func trimTrailingSlash(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			r2 := *r
			u := *r.URL
			u.Path = strings.TrimRight(p, "/")
			if u.Path == "" {
				u.Path = "/"
			}
			u.RawPath = ""
			r2.URL = &u
			r = &r2
		}
		next.ServeHTTP(w, r)
	})
}

func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/json")
}
