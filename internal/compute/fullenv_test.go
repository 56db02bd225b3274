package compute_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	agentcompute "github.com/monostack/monostack/internal/agent/compute"
	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/hypervisor"
	"github.com/monostack/monostack/internal/hypervisor/fake"
	"github.com/monostack/monostack/internal/placement"
)

// cloud is the whole compute side in one test: identity, placement, an
// embedded bus, the compute API with its conductor, and agents running
// fake hosts, talking exactly as separate processes would.
type cloud struct {
	*env
	imgs      *fakeImages
	image     string
	placement *placement.Service
	conn      *bus.Conn
	drivers   []*fake.Driver
	agents    []*agentcompute.Agent
}

// uploadingImages points snapshot uploads at a test server that takes them.
type uploadingImages struct {
	*fakeImages
	base string
}

func (u uploadingImages) DataURL(id string) string { return u.base + "/v2/images/" + id + "/file" }

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// hostConfig sizes the fake hosts of a test cloud.
type hostConfig struct {
	hosts, vcpus, memoryMB, diskGB int
	agentPerHost                   bool
}

func startCloud(t testing.TB, hc hostConfig, change ...func(*compute.Options)) *cloud {
	t.Helper()
	e, err := bus.StartEmbedded(bus.EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	conn, err := e.Connect(bus.ConnectOptions{Logger: quietLog, CloseGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	live, err := bus.WatchLiveness(conn, bus.LivenessOptions{Missed: 30})
	if err != nil {
		t.Fatal(err)
	}
	c := &cloud{imgs: newFakeImages(), conn: conn}
	uploads := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(uploads.Close)
	c.image = c.imgs.add(compute.ImageMeta{Name: "cirros", DiskFormat: "raw", Visibility: "public", Size: 1 << 20})
	c.env = startT(t, append([]func(*compute.Options){func(o *compute.Options) {
		pl, err := placement.New(placement.Options{DB: o.DB, Validator: o.Validator, Log: quietLog})
		if err != nil {
			t.Fatal(err)
		}
		c.placement = pl
		o.Bus, o.Liveness, o.Placement = conn, live, pl
		o.Images = uploadingImages{c.imgs, uploads.URL}
		o.CPUAllocationRatio, o.ReservedHostMemoryMB = 1, 0
		o.QuotaDefaults = map[string]int{"instances": 10000, "cores": 100000, "ram": 100000000}
	}}, change...)...)
	ctx := context.Background()
	if err := c.svc.Bootstrap(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.svc.StartConductor(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.svc.StopConductor)
	c.startAgents(t, hc)
	return c
}

func (c *cloud) startAgents(t testing.TB, hc hostConfig) {
	t.Helper()
	var hosts []agentcompute.Host
	for i := range hc.hosts {
		name := fmt.Sprintf("host%d", i+1)
		d, err := fake.New(hypervisor.HostConfig{Host: name, VCPUs: hc.vcpus, MemoryMB: hc.memoryMB, DiskGB: hc.diskGB})
		if err != nil {
			t.Fatal(err)
		}
		c.drivers = append(c.drivers, d)
		hosts = append(hosts, agentcompute.Host{Name: name, Driver: d})
	}
	groups := [][]agentcompute.Host{hosts}
	if hc.agentPerHost {
		groups = nil
		for _, h := range hosts {
			groups = append(groups, []agentcompute.Host{h})
		}
	}
	for _, g := range groups {
		a := agentcompute.New(agentcompute.Options{Conn: c.conn, Hosts: g, HeartbeatInterval: 100 * time.Millisecond,
			SyncInterval: time.Hour, Log: quietLog})
		if err := a.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.Stop)
		c.agents = append(c.agents, a)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := 0
		c.getJSON(t, "/v2.1/os-hypervisors/detail", func(b map[string]any) {
			for _, h := range b["hypervisors"].([]any) {
				inv, err := c.placement.ProviderInventories(context.Background(), h.(map[string]any)["id"].(string))
				if err == nil && len(inv) > 0 {
					n++
				}
			}
		})
		if n == hc.hosts {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d hosts registered", n, hc.hosts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// getJSON reads an admin GET.
func (c *cloud) getJSON(t testing.TB, path string, read func(map[string]any)) {
	t.Helper()
	r := c.doTB(t, "GET", path, c.admin, nil, "OpenStack-API-Version", "compute 2.79")
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Raw)
	}
	read(r.Body)
}

// boot creates a server as admin and returns its id.
func (c *cloud) boot(t testing.TB, name, flavor string, extra map[string]any) string {
	t.Helper()
	server := map[string]any{"name": name, "imageRef": c.image, "flavorRef": flavor, "networks": "none"}
	for k, v := range extra {
		server[k] = v
	}
	body := map[string]any{"server": server}
	if hints, ok := extra["os:scheduler_hints"]; ok {
		delete(server, "os:scheduler_hints")
		body["os:scheduler_hints"] = hints
	}
	r := c.doTB(t, "POST", "/v2.1/servers", c.admin, body, "OpenStack-API-Version", "compute 2.79")
	if r.Status != 202 {
		t.Fatalf("boot %s: %d %s", name, r.Status, r.Raw)
	}
	return r.Body["server"].(map[string]any)["id"].(string)
}

// server reads a server as admin; nil once it is gone.
func (c *cloud) server(t testing.TB, id string) map[string]any {
	t.Helper()
	r := c.doTB(t, "GET", "/v2.1/servers/"+id, c.admin, nil, "OpenStack-API-Version", "compute 2.79")
	if r.Status == 404 {
		return nil
	}
	if r.Status != 200 {
		t.Fatalf("show %s: %d %s", id, r.Status, r.Raw)
	}
	return r.Body["server"].(map[string]any)
}

// settle waits until the server leaves BUILD (and any task) and returns it.
func (c *cloud) settle(t testing.TB, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := c.server(t, id)
		if s == nil || s["status"] != "BUILD" && s["OS-EXT-STS:task_state"] == nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s stuck in %v/%v", id, s["status"], s["OS-EXT-STS:task_state"])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// remove deletes a server and waits until it is gone.
func (c *cloud) remove(t testing.TB, id string) { c.removeAfter(t, id, 0, 5*time.Millisecond) }

// removeAfter deletes a server, waits prepoll, then polls every interval
// until it is gone.
func (c *cloud) removeAfter(t testing.TB, id string, prepoll, interval time.Duration) {
	t.Helper()
	if r := c.doTB(t, "DELETE", "/v2.1/servers/"+id, c.admin, nil); r.Status != 204 {
		t.Fatalf("delete %s: %d %s", id, r.Status, r.Raw)
	}
	time.Sleep(prepoll)
	deadline := time.Now().Add(15 * time.Second)
	for c.server(t, id) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("server %s never went away", id)
		}
		time.Sleep(interval)
	}
}

// usage is a host's placement usage of a resource class.
func (c *cloud) usage(t testing.TB, host, rc string) int {
	t.Helper()
	var uuid string
	c.getJSON(t, "/v2.1/os-hypervisors/detail", func(b map[string]any) {
		for _, h := range b["hypervisors"].([]any) {
			hm := h.(map[string]any)
			if hm["hypervisor_hostname"] == host {
				uuid = hm["id"].(string)
			}
		}
	})
	u, err := c.placement.ProviderUsages(context.Background(), uuid)
	if err != nil {
		t.Fatal(err)
	}
	return u[rc]
}

// waitStatus waits until the server shows status with no task running.
func (c *cloud) waitStatus(t testing.TB, id, status string) {
	c.waitStatusEvery(t, id, status, 5*time.Millisecond)
}

// waitStatusEvery is waitStatus polling every interval.
func (c *cloud) waitStatusEvery(t testing.TB, id, status string, interval time.Duration) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := c.server(t, id)
		if s["status"] == status && s["OS-EXT-STS:task_state"] == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s is %v/%v, never %s (fault %v)", id, s["status"], s["OS-EXT-STS:task_state"], status, s["fault"])
		}
		time.Sleep(interval)
	}
}
