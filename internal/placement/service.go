package placement

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/policy"
)

// Options configure the placement service.
type Options struct {
	DB        *db.DB
	Validator auth.Validator // the identity service, in-process
	Log       *slog.Logger

	PolicyFile         string
	EnforceNewDefaults bool
	MaxBodySize        int64

	IdentityURL func() string // for WWW-Authenticate on 401; nil leaves it out

	Clock func() time.Time
	NewID func() string
}

// Service is the placement service.
type Service struct {
	db     *db.DB
	policy *policy.Enforcer
	log    *slog.Logger
	opts   Options
	now    func() time.Time
	newID  func() string
}

// versions is placement's microversion range.
var versions = httpx.MicroversionSpec{ServiceType: "placement",
	Min: httpx.Microversion{Major: 1, Minor: 0}, Max: httpx.Microversion{Major: 1, Minor: 39}}

// New builds the placement service.
func New(o Options) (*Service, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.NewID == nil {
		o.NewID = httpx.NewUUID
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	enforcer, err := policy.New(policyDefaults(), policy.Options{File: o.PolicyFile,
		EnforceNewDefaults: o.EnforceNewDefaults, ReloadInterval: time.Second, Log: o.Log})
	if err != nil {
		return nil, err
	}
	return &Service{db: o.DB, policy: enforcer, log: o.Log, opts: o,
		now: func() time.Time { return o.Clock().UTC() }, newID: o.NewID}, nil
}

// Handler serves the placement API.
func (s *Service) Handler() http.Handler {
	rt := httpx.NewRouter(httpx.Config{Faults: faults{identityURL: s.opts.IdentityURL, log: s.log},
		Log: s.log, MaxBody: s.opts.MaxBodySize})
	s.addRoutes(rt)
	return rt.Handler()
}

// handler wraps a placement handler: microversion negotiation first (as
// upstream's middleware order has it), then the token unless public, then
// a 404 below the route's first microversion.
func (s *Service) handler(minor int, public bool, h httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := versions.Negotiate(r.Header)
		if err != nil {
			return err
		}
		versions.SetHeaders(w, v)
		r = r.WithContext(httpx.WithMicroversion(r.Context(), v))
		if !public && s.opts.Validator != nil {
			raw := r.Header.Get("X-Auth-Token")
			if raw == "" {
				return errs.Unauthorizedf("The request you have made requires authentication.")
			}
			tok, err := s.opts.Validator.Validate(r.Context(), raw)
			if err != nil {
				return err
			}
			r = r.WithContext(auth.WithToken(r.Context(), tok))
		}
		if !v.AtLeast(minor) {
			return notFound("")
		}
		return h(w, r)
	}
}

// want is the request's negotiated microversion.
func want(r *http.Request) httpx.Microversion { return httpx.MicroversionOf(r.Context()) }

// enforce checks a placement rule with upstream's default target (the
// caller's own project and user).
func (s *Service) enforce(r *http.Request, rule string) error {
	tok := auth.FromContext(r.Context())
	if tok == nil {
		return nil
	}
	return s.enforceTarget(r, rule, map[string]any{"project_id": tok.ProjectID(), "user_id": tok.UserID})
}

func (s *Service) enforceTarget(r *http.Request, rule string, target map[string]any) error {
	tok := auth.FromContext(r.Context())
	if tok == nil {
		return nil // no validator configured: every caller is trusted
	}
	if !s.policy.Check(rule, policy.CredsFromToken(tok), target) {
		return forbidden("Policy does not allow " + rule + " to be performed.")
	}
	return nil
}
