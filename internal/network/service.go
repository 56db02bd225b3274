package network

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/policy"
)

// Options configure the network service.
type Options struct {
	DB        *db.DB
	Validator auth.Validator // the identity service, in-process
	Log       *slog.Logger

	PolicyFile         string
	EnforceNewDefaults bool
	MaxBodySize        int64

	// ML2 ([ml2] and [ml2_type_*]): TenantNetworkTypes nil means
	// ["vxlan"]; VLANRanges are "physnet" or "physnet:min:max";
	// VXLANRanges and GRERanges "min:max" (nil means 1:1000 each);
	// FlatNetworks nil means ["*"]; GlobalPhysnetMTU 0 means 1500.
	// MechanismDrivers nil means ["fake"].
	TenantNetworkTypes []string
	VLANRanges         []string
	VXLANRanges        []string
	GRERanges          []string
	FlatNetworks       []string
	GlobalPhysnetMTU   int
	MechanismDrivers   []string

	// QuotaDefaults override the default quota limits ([QUOTAS] quota_<resource>;
	// -1 unlimited); resources not named keep upstream's defaults.
	QuotaDefaults map[string]int64
	// Bus, when set, serves the network agents' calls and carries the
	// notifications to them (agentrpc.go).
	Bus *bus.Conn
	// NetworkChanged, when set, hears of instances whose ports' addresses
	// changed (Neutron's nova notifier sending network-changed).
	NetworkChanged func(ctx context.Context, instanceUUIDs []string)

	IdentityURL func() string // for WWW-Authenticate on 401
	PublicURL   string        // network endpoint clients reach; "" means as the request reached us

	// Agents: AgentDownTime is agent_down_time (0 means 75 s), used to
	// tell an agent alive from its last report when AgentLiveness, the
	// bus heartbeat tracker, is nil.
	AgentDownTime time.Duration
	AgentLiveness AgentLiveness

	Clock func() time.Time
	NewID func() string
}

// Service is the network service.
type Service struct {
	db     *db.DB
	policy *policy.Enforcer
	rules  map[string]bool // registered rule names (attribute rules fall back to "default")
	log    *slog.Logger
	opts   Options
	now    func() time.Time
	newID  func() string
	types  *ml2.Manager
	mechs  *ml2.Mechanisms

	agentSubs []*bus.Subscription // the agent calls served (agentrpc.go)
}

// New builds the network service.
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
	cfg, err := ml2Config(o)
	if err != nil {
		return nil, err
	}
	types, err := ml2.NewManager(cfg)
	if err != nil {
		return nil, err
	}
	if o.MechanismDrivers == nil {
		o.MechanismDrivers = []string{"fake"}
	}
	mechs, err := ml2.NewMechanisms(o.MechanismDrivers)
	if err != nil {
		return nil, err
	}
	defaults := policyDefaults()
	enforcer, err := policy.New(defaults, policy.Options{File: o.PolicyFile,
		EnforceNewDefaults: o.EnforceNewDefaults, ReloadInterval: time.Second, Log: o.Log})
	if err != nil {
		return nil, err
	}
	rules := map[string]bool{}
	for _, d := range defaults {
		rules[d.Name] = true
	}
	s := &Service{db: o.DB, policy: enforcer, rules: rules, log: o.Log, opts: o,
		now: func() time.Time { return o.Clock().UTC() }, newID: o.NewID, types: types, mechs: mechs}
	if err := s.serveAgents(); err != nil {
		return nil, err
	}
	return s, nil
}

// ml2Config turns the options into ML2's configuration.
func ml2Config(o Options) (ml2.Config, error) {
	c := ml2.Config{TenantNetworkTypes: o.TenantNetworkTypes, FlatNetworks: o.FlatNetworks,
		GlobalPhysnetMTU: o.GlobalPhysnetMTU}
	if c.TenantNetworkTypes == nil {
		c.TenantNetworkTypes = []string{ml2.TypeVXLAN}
	}
	if c.FlatNetworks == nil {
		c.FlatNetworks = []string{"*"}
	}
	if c.GlobalPhysnetMTU == 0 {
		c.GlobalPhysnetMTU = 1500
	}
	var err error
	if c.VLANRanges, err = ml2.ParseVLANRanges(o.VLANRanges); err != nil {
		return c, err
	}
	if c.VXLANRanges, err = ml2.ParseRanges(orDefault(o.VXLANRanges, "1:1000"), ml2.MinVNI, ml2.MaxVNI); err != nil {
		return c, fmt.Errorf("vxlan %w", err)
	}
	if c.GRERanges, err = ml2.ParseRanges(orDefault(o.GRERanges, "1:1000"), ml2.MinGRE, ml2.MaxGRE); err != nil {
		return c, fmt.Errorf("gre %w", err)
	}
	return c, nil
}

func orDefault(v []string, d string) []string {
	if v == nil {
		return []string{d}
	}
	return v
}

// Handler serves the network API.
func (s *Service) Handler() http.Handler {
	rt := httpx.NewRouter(httpx.Config{Faults: faults{identityURL: s.opts.IdentityURL, log: s.log},
		Validator: s.opts.Validator, Log: s.log, MaxBody: s.opts.MaxBodySize})
	s.addRoutes(rt)
	return withCredsCache(rt.Handler())
}

func caller(r *http.Request) *auth.Token { return auth.FromContext(r.Context()) }

// projectOf is the caller's project id, "" when not project-scoped.
func projectOf(r *http.Request) string { return caller(r).ProjectID() }

// baseURL is where clients reach the network API.
func (s *Service) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimSuffix(s.opts.PublicURL, "/")
	}
	return httpx.BaseURL(r)
}

// micros is t in Unix microseconds, the form times are stored in.
func micros(t time.Time) int64 { return t.UnixMicro() }

// isoTime renders stored microseconds as Neutron does.
func isoTime(us int64) string { return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05Z") }
