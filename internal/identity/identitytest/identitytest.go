// Package identitytest starts a real identity service for tests: migrated
// database (SQLite, or PostgreSQL when MONOSTACK_TEST_POSTGRES is set),
// Fernet keys in a temporary directory, the real router on an httptest
// server, a controllable clock, and the bootstrap admin. Later services use
// it as their Keystone.
package identitytest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/db/dbtest"
	"github.com/monostack/monostack/internal/identity"
	"github.com/monostack/monostack/internal/identity/keyrepo"
)

// AdminPassword is the bootstrap admin's password in tests.
const AdminPassword = "admin-secret"

// Clock is a settable clock that only moves when told, one microsecond
// per reading so that events stay ordered.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the current time and ticks one microsecond.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Microsecond)
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Env is a running identity service.
type Env struct {
	URL            string // base URL, e.g. http://127.0.0.1:PORT
	Service        *identity.Service
	DB             *db.DB
	Clock          *Clock
	AdminUserID    string
	AdminProjectID string
	StateDir       string
}

// Options tune the service under test.
type Options struct {
	Security   identity.Security
	PolicyFile string
	ListLimit  int
	Expiration time.Duration
}

// Start runs an identity service for the test's lifetime.
func Start(t testing.TB, o Options) *Env {
	t.Helper()
	dir := t.TempDir()
	e := &Env{DB: dbtest.Open(t), Clock: &Clock{now: time.Now().UTC().Truncate(time.Second)}, StateDir: dir}
	srv := e.serve(t, o)
	res, err := e.Service.Bootstrap(context.Background(), identity.BootstrapOptions{AdminUser: "admin", AdminPassword: AdminPassword,
		AdminProject: "admin", Region: "RegionOne",
		Catalog: []identity.CatalogEntry{{Type: "identity", Name: "keystone", URL: srv.URL + "/v3"}}})
	if err != nil {
		t.Fatal(err)
	}
	e.AdminUserID, e.AdminProjectID = res.AdminUserID, res.AdminProjectID
	return e
}

// StartPeer runs a second identity service on e's database, keys and clock,
// as a second controller of the same cloud would.
func (e *Env) StartPeer(t testing.TB, o Options) *Env {
	t.Helper()
	peer := &Env{DB: e.DB, Clock: e.Clock, StateDir: e.StateDir, AdminUserID: e.AdminUserID, AdminProjectID: e.AdminProjectID}
	peer.serve(t, o)
	return peer
}

// serve builds the service on e's database and key directories and
// serves it on an httptest server.
func (e *Env) serve(t testing.TB, o Options) *httptest.Server {
	t.Helper()
	tokens, err := keyrepo.Open(filepath.Join(e.StateDir, "fernet-keys"), 3)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := keyrepo.Open(filepath.Join(e.StateDir, "credential-keys"), 3)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := identity.New(identity.Options{DB: e.DB, TokenKeys: tokens, CredentialKeys: creds,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BcryptCost: 4, TokenExpiration: o.Expiration,
		ListLimit: o.ListLimit, MaxBodySize: 114688, Security: o.Security, PolicyFile: o.PolicyFile, Clock: e.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	e.Service, e.URL = svc, srv.URL
	return srv
}

// Client authenticates with a password, project-scoped unless project is
// "", and returns an identity v3 client.
func (e *Env) Client(t testing.TB, user, password, project string) *gophercloud.ServiceClient {
	t.Helper()
	opts := gophercloud.AuthOptions{IdentityEndpoint: e.URL + "/v3", Username: user, Password: password,
		DomainID: "default"}
	if project != "" {
		opts.Scope = &gophercloud.AuthScope{ProjectName: project, DomainID: "default"}
	}
	pc, err := openstack.AuthenticatedClient(context.Background(), opts)
	if err != nil {
		t.Fatalf("authenticate %s: %v", user, err)
	}
	if project == "" {
		return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: e.URL + "/v3/", ResourceBase: e.URL + "/v3/"}
	}
	c, err := openstack.NewIdentityV3(pc, gophercloud.EndpointOpts{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Admin is a client for the bootstrap admin, scoped to the admin project.
func (e *Env) Admin(t testing.TB) *gophercloud.ServiceClient {
	return e.Client(t, "admin", AdminPassword, "admin")
}
