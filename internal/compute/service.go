package compute

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/policy"
	"github.com/monostack/monostack/internal/scheduler"
)

// Options configure the compute service.
type Options struct {
	DB        *db.DB
	Validator auth.Validator // the identity service, in-process
	Log       *slog.Logger

	// Bus carries API → conductor and conductor ↔ agent messages;
	// Liveness says which services heartbeat.
	Bus      *bus.Conn
	Liveness *bus.Liveness

	Placement Placement
	Images    Images
	Network   Network

	PolicyFile         string
	EnforceNewDefaults bool
	MaxBodySize        int64
	ListLimit          int    // largest page (Nova's max_limit); 0 means 1000
	DefaultAZ          string // Nova's default_availability_zone; "" means "nova"

	IdentityURL func() string // for WWW-Authenticate on 401
	PublicURL   string        // compute endpoint clients reach; "" means as the request reached us

	Clock func() time.Time
	NewID func() string

	// StubNetworkName and StubNetworkCIDR name the one network the stub
	// network service offers until the network service exists ("" means
	// "private" and 10.0.0.0/24).
	StubNetworkName string
	StubNetworkCIDR string

	// Compute node inventory in placement (nodes*.go): Nova's
	// initial_cpu/ram/disk_allocation_ratio (0 means 4.0, 1.0, 1.0) and
	// reserved_host_memory_mb / reserved_host_disk_mb (0 means none; the
	// config default of memory is Nova's 512). InternalAZ is Nova's
	// internal_service_availability_zone ("" means "internal").
	CPUAllocationRatio   float64
	RAMAllocationRatio   float64
	DiskAllocationRatio  float64
	ReservedHostMemoryMB int
	ReservedHostDiskMB   int
	InternalAZ           string

	// Resources (flavors, keypairs, quotas): QuotaDefaults are Nova's
	// [quota] defaults by resource name (instances, cores, ram,
	// metadata_items, injected_files, injected_file_content_bytes,
	// injected_file_path_bytes, key_pairs, server_groups,
	// server_group_members); missing names keep Nova's values.
	// ProjectExists is Nova's verify_project_id (nil: not checked).
	QuotaDefaults map[string]int
	ProjectExists func(ctx context.Context, projectID string) (bool, error)

	// Conductor: MaxAttempts is Nova's [scheduler]max_attempts (0 means
	// 3); AllowResizeToSameHost Nova's option of that name;
	// RecoveryInterval how often lost work is looked for (0 means 30 s);
	// BuildTimeout how long a build may sit on an unresponsive host
	// before it is rescheduled (0 means 2 minutes).
	MaxAttempts           int
	AllowResizeToSameHost bool
	Scheduler             scheduler.Config // zero: scheduler.DefaultConfig()
	RecoveryInterval      time.Duration
	BuildTimeout          time.Duration
}

// Service is the compute service: API handlers and, once StartConductor
// runs, the conductor.
type Service struct {
	db     *db.DB
	bus    *bus.Conn
	policy *policy.Enforcer
	log    *slog.Logger
	opts   Options
	now    func() time.Time
	newID  func() string

	mu       sync.Mutex
	subs     []*bus.Subscription // the conductor's, when running
	bg       sync.WaitGroup      // conductor background work
	stop     chan struct{}
	stopOnce sync.Once
}

// New builds the compute service.
func New(o Options) (*Service, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.NewID == nil {
		o.NewID = NewUUID
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.ListLimit == 0 {
		o.ListLimit = 1000
	}
	if o.DefaultAZ == "" {
		o.DefaultAZ = "nova"
	}
	if o.Network == nil {
		o.Network = newStubNetwork()
	}
	enforcer, err := policy.New(policyDefaults(), policy.Options{File: o.PolicyFile,
		EnforceNewDefaults: o.EnforceNewDefaults, ReloadInterval: time.Second, Log: o.Log})
	if err != nil {
		return nil, err
	}
	s := &Service{db: o.DB, bus: o.Bus, policy: enforcer, log: o.Log, opts: o,
		now: func() time.Time { return o.Clock().UTC() }, newID: o.NewID, stop: make(chan struct{})}
	s.bindStubNetwork()
	return s, nil
}

// NewUUID returns a random version-4 UUID.
func NewUUID() string { return httpx.NewUUID() }

// Handler serves the compute API.
func (s *Service) Handler() http.Handler {
	rt := httpx.NewRouter(httpx.Config{Faults: faults{identityURL: s.opts.IdentityURL, log: s.log},
		Validator: s.opts.Validator, Log: s.log, MaxBody: s.opts.MaxBodySize,
		// "/images/" is an image with a blank id, not the list: 404 as Nova.
		KeepTrailingSlash: true})
	s.addRoutes(rt)
	return computeRequestID(microversions.Middleware(rt.Handler(), s.refuseVersion))
}

// computeRequestID also sends the request id as X-Compute-Request-Id, the
// header Nova has always sent beside X-OpenStack-Request-Id.
func computeRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&requestIDCopier{ResponseWriter: w}, r)
	})
}

// requestIDCopier copies the request id header when the headers go out.
type requestIDCopier struct {
	http.ResponseWriter
	done bool
}

func (c *requestIDCopier) WriteHeader(status int) {
	if !c.done {
		c.done = true
		if id := c.Header().Get(httpx.RequestIDHeader); id != "" {
			c.Header().Set("X-Compute-Request-Id", id)
		}
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *requestIDCopier) Write(b []byte) (int, error) {
	if !c.done {
		c.WriteHeader(http.StatusOK)
	}
	return c.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (c *requestIDCopier) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func caller(r *http.Request) *auth.Token { return auth.FromContext(r.Context()) }

// projectOf is the caller's project id, "" when not project-scoped.
func projectOf(r *http.Request) string { return caller(r).ProjectID() }

// version is the request's negotiated microversion.
func version(r *http.Request) httpx.Microversion { return httpx.MicroversionOf(r.Context()) }

// creds are the caller's policy credentials.
func creds(r *http.Request) policy.Creds { return policy.CredsFromToken(caller(r)) }

// isAdmin is Nova's context.is_admin: the context_is_admin rule.
func (s *Service) isAdmin(r *http.Request) bool {
	return s.policy.Check("context_is_admin", creds(r), map[string]any{})
}

// enforce checks a Nova rule against target; the 403 names the rule as
// upstream does ("Policy doesn't allow … to be performed.").
func (s *Service) enforce(r *http.Request, rule string, target map[string]any) error {
	return s.policy.Enforce(rule, creds(r), target)
}

// projectTarget is the target of project-owned resources, as Nova's
// {'project_id': …, 'user_id': …}.
func projectTarget(projectID, userID string) map[string]any {
	return map[string]any{"project_id": projectID, "user_id": userID}
}

// callerTarget is the target Nova uses when no resource exists yet: the
// caller's own project and user.
func callerTarget(r *http.Request) map[string]any {
	t := caller(r)
	return projectTarget(t.ProjectID(), t.UserID)
}

// baseURL is where clients reach the compute API (without /v2.1).
func (s *Service) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimSuffix(s.opts.PublicURL, "/")
	}
	return httpx.BaseURL(r)
}
