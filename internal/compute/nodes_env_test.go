package compute_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/placement"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// infraEnv is a compute API with a real placement service on the same
// database and a heartbeat tracker the test feeds.
type infraEnv struct {
	*env
	clock     *fakeClock
	live      *bus.Liveness
	placement *placement.Service
	upSince   time.Time
	seq       uint64

	placementURL string
}

// startInfra starts an infraEnv; change adjusts the compute options.
func startInfra(t *testing.T, change ...func(*compute.Options)) *infraEnv {
	t.Helper()
	ie := &infraEnv{clock: &fakeClock{now: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}}
	ie.upSince = ie.clock.Now().Add(-26 * time.Hour)
	ie.live = bus.NewLiveness(bus.LivenessOptions{Now: ie.clock.Now})
	opts := append([]func(*compute.Options){func(o *compute.Options) {
		p, err := placement.New(placement.Options{DB: o.DB, Validator: o.Validator, Log: o.Log})
		if err != nil {
			t.Fatal(err)
		}
		ie.placement = p
		o.Placement, o.Liveness, o.Clock = p, ie.live, ie.clock.Now
	}}, change...)
	ie.env = start(t, opts...)
	return ie
}

// beat records a heartbeat of service on host, arriving now.
func (e *infraEnv) beat(service, host string) {
	e.seq++
	e.live.Observe(bus.Beat{Service: service, Host: host, UpSince: e.upSince, Sequence: e.seq,
		IntervalMS: int64(bus.DefaultHeartbeatInterval / time.Millisecond)})
}

// node records a compute host with a node of 8 vcpus, 16 GiB and 100 GB
// and returns the node (resource provider) uuid.
func (e *infraEnv) node(t *testing.T, host string) string {
	t.Helper()
	uuid, err := e.svc.InsertTestNode(nodeInfo(host))
	if err != nil {
		t.Fatal(err)
	}
	return uuid
}

func nodeInfo(host string) computerpc.NodeInfo {
	return computerpc.NodeInfo{Host: host, HypervisorHostname: host + ".example.org", HypervisorType: "fake",
		HypervisorVersion: 1000, HostIP: "192.0.2.10", VCPUs: 8, MemoryMB: 16384, LocalGB: 100,
		CPUInfo: `{"arch": "x86_64", "model": "fake", "vendor": "fake", "features": [], "topology": {"cells": 1, "sockets": 1, "cores": 8, "threads": 1}}`,
		Traits:  []string{"COMPUTE_NET_ATTACH_INTERFACE"}}
}

// controller records a controller service row.
func (e *infraEnv) controller(t *testing.T, binary, host string) {
	t.Helper()
	if err := e.svc.RegisterControllerService(context.Background(), binary, host); err != nil {
		t.Fatal(err)
	}
}

// placementDo sends an admin request to the placement API at 1.39.
func (e *infraEnv) placementDo(t *testing.T, method, path string) map[string]any {
	t.Helper()
	if e.placementURL == "" {
		srv := httptest.NewServer(e.placement.Handler())
		t.Cleanup(srv.Close)
		e.placementURL = srv.URL
	}
	req, _ := http.NewRequest(method, e.placementURL+path, nil)
	req.Header.Set("X-Auth-Token", e.admin)
	req.Header.Set("OpenStack-API-Version", "placement 1.39")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 200 {
		t.Fatalf("placement %s %s: %d %v", method, path, resp.StatusCode, out)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// gc is a gophercloud compute client that sends the microversion (the
// client's Type must be "compute" for gophercloud to send it).
func (e *infraEnv) gc(token, mv string) *gophercloud.ServiceClient {
	c := e.client(token, mv)
	c.Type = "compute"
	return c
}
