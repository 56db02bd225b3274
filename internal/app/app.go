package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	agentcompute "github.com/monostack/monostack/internal/agent/compute"
	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/config"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/identity"
	"github.com/monostack/monostack/internal/identity/keyrepo"
	"github.com/monostack/monostack/internal/image"
	"github.com/monostack/monostack/internal/image/store"
	"github.com/monostack/monostack/internal/network"
	"github.com/monostack/monostack/internal/placement"
)

// App is one monostack process.
type App struct {
	cfg       *config.Config
	log       *slog.Logger
	db        *db.DB
	Identity  *identity.Service
	Image     *image.Service
	Placement *placement.Service
	Compute   *compute.Service
	Network   *network.Service
	agent     *agentcompute.Agent

	Bus        *bus.Conn
	Liveness   *bus.Liveness
	embedded   *bus.Embedded
	heartbeats []*bus.Heartbeat

	servers []*server
	errc    chan error
	ready   atomic.Bool
}

type server struct {
	name string
	ln   net.Listener
	srv  *http.Server
}

// New opens the state directory, connects to the bus and builds what the
// configured roles need: controllers (api, scheduler, conductor) open and
// migrate the database and build the services; an agent-only process
// (compute) needs no database.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*App, error) {
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	a := &App{cfg: cfg, log: log}
	if err := a.build(ctx); err != nil {
		a.stopBus()
		if a.db != nil {
			a.db.Close()
		}
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context) error {
	if len(a.cfg.Roles) > 0 {
		if err := a.startBus(a.controller()); err != nil {
			return err
		}
	}
	if a.needsDB() {
		if err := a.buildControllers(ctx); err != nil {
			return err
		}
	}
	if a.controller() {
		if err := a.watchLiveness(); err != nil {
			return err
		}
	}
	if a.db != nil {
		if err := a.buildCompute(); err != nil {
			return err
		}
	}
	if a.hasRole("compute") {
		return a.buildAgent()
	}
	return nil
}

// buildControllers opens the database and builds the services that live
// on it.
func (a *App) buildControllers(ctx context.Context) error {
	d, err := db.Open(ctx, a.cfg.DB, a.cfg.StateDir)
	if err != nil {
		return err
	}
	a.db = d
	if _, err := d.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := a.buildIdentity(); err != nil {
		return err
	}
	if err := a.buildImage(); err != nil {
		return err
	}
	if err := a.Image.LoadDefaultMetadefs(ctx); err != nil {
		return fmt.Errorf("metadata definitions: %w", err)
	}
	if err := a.buildNetwork(ctx); err != nil {
		return err
	}
	return a.buildPlacement()
}

// hasRole says whether the process serves role.
func (a *App) hasRole(role string) bool { return slices.Contains(a.cfg.Roles, role) }

// needsDB says whether the process works on the database: every
// controller, and admin commands (no roles); not an agent-only process.
func (a *App) needsDB() bool { return a.controller() || len(a.cfg.Roles) == 0 }

// controller says whether the process runs any controller role.
func (a *App) controller() bool {
	return a.hasRole("api") || a.hasRole("scheduler") || a.hasRole("conductor")
}

func (a *App) buildImage() error {
	st, err := store.NewFilesystem(filepath.Join(a.cfg.StateDir, "images"))
	if err != nil {
		return err
	}
	a.Image, err = image.New(image.Options{DB: a.db, Store: st, Validator: a.Identity, Log: a.log,
		PolicyFile: a.imagePolicyFile(), EnforceNewDefaults: a.cfg.EnforceNewDefaults,
		MaxBodySize: a.cfg.MaxRequestBodySize, IdentityURL: func() string { return a.URL("identity") },
		ImageSizeCap: a.cfg.ImageSizeCap, QuotaImages: a.cfg.ImageQuotaImages, QuotaBytes: a.cfg.ImageQuotaBytes,
		ImageMemberQuota: a.cfg.ImageMemberQuota, ImagePropertyQuota: a.cfg.ImagePropertyQuota, ImageTagQuota: a.cfg.ImageTagQuota,
		ImportMethods: a.cfg.ImageImportMethods,
		WebDownload:   a.cfg.ImageWebDownload, WebDownloadAllow: a.cfg.ImageWebDownloadAllow})
	return err
}

// imagePolicyFile is STATE_DIR/image-policy.yaml, Glance's policy.yaml.
func (a *App) imagePolicyFile() string { return filepath.Join(a.cfg.StateDir, "image-policy.yaml") }

func (a *App) buildIdentity() error {
	tokens, err := keyrepo.Open(filepath.Join(a.cfg.StateDir, "fernet-keys"), a.cfg.FernetMaxActiveKeys)
	if err != nil {
		return fmt.Errorf("token keys: %w", err)
	}
	creds, err := keyrepo.Open(filepath.Join(a.cfg.StateDir, "credential-keys"), a.cfg.FernetMaxActiveKeys)
	if err != nil {
		return fmt.Errorf("credential keys: %w", err)
	}
	a.Identity, err = identity.New(identity.Options{DB: a.db, TokenKeys: tokens, CredentialKeys: creds, Log: a.log,
		TokenExpiration: a.cfg.TokenExpiration, BcryptCost: a.cfg.BcryptCost, ListLimit: a.cfg.ListLimit,
		MaxBodySize: a.cfg.MaxRequestBodySize, Security: securityOptions(a.cfg),
		PolicyFile: a.policyFile(), EnforceNewDefaults: a.cfg.EnforceNewDefaults})
	return err
}

func securityOptions(c *config.Config) identity.Security {
	return identity.Security{LockoutFailureAttempts: c.LockoutFailureAttempts, LockoutDuration: c.LockoutDuration,
		PasswordExpiresDays: c.PasswordExpiresDays, MinimumPasswordAgeDays: c.MinimumPasswordAge,
		UniqueLastPasswordCount: c.UniqueLastPasswordCount, PasswordRegex: c.PasswordRegex,
		PasswordRegexDescription: c.PasswordRegexDescription, ChangePasswordUponFirstUse: c.ChangePasswordUponFirstUse}
}

// policyFile is the configured policy file, else STATE_DIR/policy.yaml
// (read when it appears).
func (a *App) policyFile() string {
	if a.cfg.PolicyFile != "" {
		return a.cfg.PolicyFile
	}
	return filepath.Join(a.cfg.StateDir, "policy.yaml")
}

// DB is the process's database.
func (a *App) DB() *db.DB { return a.db }

// Listen opens the API ports of the process's roles. Port 0 picks a free
// port; URLs reports what was picked.
func (a *App) Listen() error {
	if !a.hasRole("api") {
		return nil
	}
	for _, l := range []struct {
		name string
		port int
		h    http.Handler
	}{
		{"identity", a.cfg.IdentityPort, a.Identity.Handler()},
		{"image", a.cfg.ImagePort, a.Image.Handler()},
		{"placement", a.cfg.PlacementPort, a.Placement.Handler()},
		{"compute", a.cfg.ComputePort, a.Compute.Handler()},
		{"network", a.cfg.NetworkPort, a.Network.Handler()},
	} {
		ln, err := net.Listen("tcp", net.JoinHostPort(a.cfg.BindHost, strconv.Itoa(l.port)))
		if err != nil {
			return fmt.Errorf("%s port: %w", l.name, err)
		}
		a.addServer(l.name, ln, l.h)
	}
	return nil
}

func (a *App) addServer(name string, ln net.Listener, h http.Handler) {
	a.servers = append(a.servers, &server{name: name, ln: ln,
		srv: &http.Server{Handler: a.withHealth(h), ReadHeaderTimeout: 30 * time.Second,
			ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}})
}

// withHealth answers GET /healthcheck: 200 once ready, 503 before.
func (a *App) withHealth(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthcheck" {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		if !a.ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("starting\n"))
			return
		}
		_, _ = w.Write([]byte("OK\n"))
	})
}

// URL is the public base URL of a service, e.g. "identity": its real
// port when this process listens on it, else the configured one.
func (a *App) URL(name string) string {
	port := ""
	for _, s := range a.servers {
		if s.name == name {
			_, port, _ = net.SplitHostPort(s.ln.Addr().String())
		}
	}
	if port == "" {
		p, ok := map[string]int{"identity": a.cfg.IdentityPort, "image": a.cfg.ImagePort,
			"placement": a.cfg.PlacementPort, "compute": a.cfg.ComputePort, "network": a.cfg.NetworkPort}[name]
		if !ok {
			return ""
		}
		port = strconv.Itoa(p)
	}
	return "http://" + net.JoinHostPort(a.cfg.CatalogHost(), port)
}

// Catalog lists the catalog entries of the services this process serves.
func (a *App) Catalog() []identity.CatalogEntry {
	var out []identity.CatalogEntry
	if u := a.URL("identity"); u != "" {
		out = append(out, identity.CatalogEntry{Type: "identity", Name: "keystone", URL: u + "/v3"})
	}
	if u := a.URL("image"); u != "" {
		out = append(out, identity.CatalogEntry{Type: "image", Name: "glance", URL: u})
	}
	if u := a.URL("placement"); u != "" {
		out = append(out, identity.CatalogEntry{Type: "placement", Name: "placement", URL: u})
	}
	if u := a.URL("compute"); u != "" {
		out = append(out, identity.CatalogEntry{Type: "compute", Name: "nova", URL: u + "/v2.1"})
	}
	if u := a.URL("network"); u != "" {
		out = append(out, identity.CatalogEntry{Type: "network", Name: "neutron", URL: u})
	}
	return out
}

// Start serves the listeners in the background. The health check says
// "starting" until MarkReady.
func (a *App) Start() {
	a.errc = make(chan error, len(a.servers))
	for _, s := range a.servers {
		go func() {
			if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.errc <- fmt.Errorf("%s server: %w", s.name, err)
			}
		}()
	}
}

// MarkReady makes the health check answer 200.
func (a *App) MarkReady() { a.ready.Store(true) }

// Wait serves until ctx ends (SIGTERM) or a server fails, then shuts down
// gracefully: new connections stop at once and in-flight requests get up
// to shutdown-timeout to finish.
func (a *App) Wait(ctx context.Context) error {
	var err error
	select {
	case <-ctx.Done():
	case err = <-a.errc:
	}
	a.ready.Store(false)
	err = errors.Join(err, a.shutdown())
	a.stopRoles()
	a.stopBus()
	if a.Image != nil {
		a.Image.Wait() // background imports finish before the database closes
	}
	return err
}

func (a *App) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	for _, s := range a.servers {
		if err := s.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s shutdown: %w", s.name, err))
		}
	}
	return errors.Join(errs...)
}

// Close releases the database.
func (a *App) Close() error {
	a.stopBus()
	if a.db == nil {
		return nil
	}
	return a.db.Close()
}
