package image

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/image/store"
	"github.com/monostack/monostack/internal/policy"
)

// Options configure the image service.
type Options struct {
	DB        *db.DB
	Store     store.Store
	Validator auth.Validator // the identity service, in-process
	Log       *slog.Logger

	PolicyFile         string
	EnforceNewDefaults bool
	MaxBodySize        int64
	ListLimit          int   // largest page (Glance's api_limit_max); 0 means 1000
	ImageSizeCap       int64 // largest image in bytes (Glance's image_size_cap); 0 means 1 TiB
	ImageMemberQuota   int   // most members of one image (Glance's image_member_quota); 0 means 128, negative unlimited
	ImagePropertyQuota int   // most properties of one image (Glance's image_property_quota); 0 means 128, negative unlimited
	ImageTagQuota      int   // most tags of one image (Glance's image_tag_quota); 0 means 128, negative unlimited
	QuotaImages        int64 // images a project may own (Keystone limit image_count_total); 0 means unlimited
	QuotaBytes         int64 // bytes a project's images may hold (Glance's user_storage_quota); 0 means unlimited

	ImportMethods    []string // enabled import methods (Glance's enabled_import_methods); nil means glance-direct
	WebDownload      bool     // enables the web-download import method; off by default
	WebDownloadAllow []string // what web-download may fetch: "host", "host:port" or URL prefixes

	IdentityURL func() string // for WWW-Authenticate on 401
	PublicURL   string        // image endpoint clients reach; "" means as the request reached us

	Clock func() time.Time
	NewID func() string
}

// Service is the image service.
type Service struct {
	db     *db.DB
	store  store.Store
	policy *policy.Enforcer
	log    *slog.Logger
	opts   Options
	now    func() time.Time
	newID  func() string

	imports sync.WaitGroup // imports running after their request (import.go)
}

// New builds the image service.
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
	if o.ImageSizeCap == 0 {
		o.ImageSizeCap = 1 << 40
	}
	methods, err := importMethods(o)
	if err != nil {
		return nil, err
	}
	o.ImportMethods = methods
	enforcer, err := policy.New(policyDefaults(), policy.Options{File: o.PolicyFile,
		EnforceNewDefaults: o.EnforceNewDefaults, ReloadInterval: time.Second, Log: o.Log})
	if err != nil {
		return nil, err
	}
	return &Service{db: o.DB, store: o.Store, policy: enforcer, log: o.Log, opts: o,
		now: func() time.Time { return o.Clock().UTC() }, newID: o.NewID}, nil
}

// NewUUID returns a random version-4 UUID, the form Glance's ids take.
func NewUUID() string { return httpx.NewUUID() }

// Handler serves the image API.
func (s *Service) Handler() http.Handler {
	rt := httpx.NewRouter(httpx.Config{Faults: faults{identityURL: s.opts.IdentityURL, log: s.log},
		Validator: s.opts.Validator, Log: s.log, MaxBody: s.opts.MaxBodySize, KeepTrailingSlash: true})
	s.addRoutes(rt)
	return rt.Handler()
}

func caller(r *http.Request) *auth.Token { return auth.FromContext(r.Context()) }

// projectOf is the caller's project id, "" when not project-scoped.
func projectOf(r *http.Request) string { return caller(r).ProjectID() }

// isAdmin is Glance's context.is_admin: the context_is_admin rule.
func (s *Service) isAdmin(r *http.Request) bool {
	return s.policy.Check("context_is_admin", policy.CredsFromToken(caller(r)), map[string]any{})
}

// enforce checks a Glance rule; the 403 names the rule as upstream does.
func (s *Service) enforce(r *http.Request, rule string, target map[string]any) error {
	return s.policy.Enforce(rule, policy.CredsFromToken(caller(r)), target)
}

// target is the policy target of an image, as Glance's ImageTarget.
func (s *Service) target(r *http.Request, im *image) map[string]any {
	t := map[string]any{"project_id": im.owner(), "owner": im.owner(), "visibility": im.Visibility,
		"member_id": projectOf(r), "id": im.ID}
	for k, v := range im.Props {
		t[k] = v
	}
	return t
}

// baseURL is where clients reach the image API.
func (s *Service) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimSuffix(s.opts.PublicURL, "/")
	}
	return httpx.BaseURL(r)
}

// mutable is Glance's legacy check_is_image_mutable: admins and the
// owner's project may change an image.
func (s *Service) mutable(r *http.Request, im *image) error {
	if s.isAdmin(r) || (im.Owner != nil && *im.Owner == projectOf(r)) {
		return nil
	}
	return errs.Forbiddenf("You do not own this image")
}
