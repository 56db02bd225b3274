package compute_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

func TestBootToActiveAndDeleteLeavesNoAllocations(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2})
	var ids []string
	for i := range 4 {
		ids = append(ids, c.boot(t, fmt.Sprintf("vm%d", i), "1", nil))
	}
	hosts := map[string]bool{}
	for _, id := range ids {
		s := c.settle(t, id)
		if s["status"] != "ACTIVE" || s["OS-EXT-STS:power_state"] != float64(1) || s["OS-SRV-USG:launched_at"] == nil {
			t.Fatalf("server %v", s)
		}
		hosts[s["OS-EXT-SRV-ATTR:host"].(string)] = true
	}
	if len(hosts) != 2 {
		t.Fatalf("4 servers spread over %v; the default weighers spread", hosts)
	}
	if c.usage(t, "host1", "VCPU")+c.usage(t, "host2", "VCPU") != 4 {
		t.Fatal("placement does not hold one VCPU per server")
	}
	for _, id := range ids {
		c.remove(t, id)
	}
	for _, h := range []string{"host1", "host2"} {
		for _, rc := range []string{"VCPU", "MEMORY_MB", "DISK_GB"} {
			if u := c.usage(t, h, rc); u != 0 {
				t.Fatalf("%s still uses %d %s after every delete", h, u, rc)
			}
		}
	}
}

func TestFailedSpawnIsRescheduled(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2})
	if err := c.drivers[0].Inject("spawn:always"); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		s := c.settle(t, c.boot(t, fmt.Sprintf("vm%d", i), "1", nil))
		if s["status"] != "ACTIVE" || s["OS-EXT-SRV-ATTR:host"] != "host2" {
			t.Fatalf("server %v on %v", s["status"], s["OS-EXT-SRV-ATTR:host"])
		}
	}
	if c.usage(t, "host1", "VCPU") != 0 {
		t.Fatal("the failed host kept an allocation")
	}
}

func TestBuildFailingEverywhereExhaustsRetries(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2})
	for _, d := range c.drivers {
		if err := d.Inject("spawn:always"); err != nil {
			t.Fatal(err)
		}
	}
	s := c.settle(t, c.boot(t, "doomed", "1", nil))
	fault, _ := s["fault"].(map[string]any)
	if s["status"] != "ERROR" || !strings.HasPrefix(fmt.Sprint(fault["message"]), "Exceeded maximum number of retries.") {
		t.Fatalf("server %v fault %v", s["status"], fault)
	}
	if c.usage(t, "host1", "VCPU")+c.usage(t, "host2", "VCPU") != 0 {
		t.Fatal("a failed build kept its allocation")
	}
}

func TestAntiAffinityThirdMemberHasNoValidHost(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2})
	r := c.doTB(t, "POST", "/v2.1/os-server-groups", c.admin, map[string]any{"server_group": map[string]any{
		"name": "apart", "policy": "anti-affinity"}}, "OpenStack-API-Version", "compute 2.64")
	if r.Status != 200 {
		t.Fatalf("group: %d %s", r.Status, r.Raw)
	}
	group := r.Body["server_group"].(map[string]any)["id"].(string)
	hints := map[string]any{"os:scheduler_hints": map[string]any{"group": group}}
	var hosts []string
	for i := range 2 {
		s := c.settle(t, c.boot(t, fmt.Sprintf("m%d", i), "1", hints))
		hosts = append(hosts, fmt.Sprint(s["OS-EXT-SRV-ATTR:host"]))
	}
	if hosts[0] == hosts[1] {
		t.Fatalf("both members on %s", hosts[0])
	}
	s := c.settle(t, c.boot(t, "third", "1", hints))
	fault, _ := s["fault"].(map[string]any)
	if s["status"] != "ERROR" || !strings.HasPrefix(fmt.Sprint(fault["message"]), "No valid host was found.") ||
		!strings.Contains(fmt.Sprint(fault["details"]), "ServerGroupAntiAffinityFilter removed") {
		t.Fatalf("third member %v, fault %v", s["status"], fault)
	}
}

func TestConcurrentBootsNeverOvercommit(t *testing.T) {
	// 10 hosts with 4 vCPUs each (ratio 1.0): room for exactly 40 1-vCPU servers.
	c := startCloud(t, hostConfig{hosts: 10, vcpus: 4})
	const boots = 100
	ids := make([]string, boots)
	var wg sync.WaitGroup
	for i := range boots {
		wg.Go(func() { ids[i] = c.boot(t, fmt.Sprintf("vm%d", i), "42", nil) })
	}
	wg.Wait()
	active := 0
	for _, id := range ids {
		switch s := c.settle(t, id); s["status"] {
		case "ACTIVE":
			active++
		case "ERROR":
		default:
			t.Fatalf("server %s ended %v", id, s["status"])
		}
	}
	if active != 40 {
		t.Fatalf("%d servers active, want exactly the 40 that fit", active)
	}
	for i := range 10 {
		if u := c.usage(t, fmt.Sprintf("host%d", i+1), "VCPU"); u != 4 {
			t.Fatalf("host%d uses %d VCPU, want 4", i+1, u)
		}
	}
	for _, id := range ids {
		wg.Go(func() { c.remove(t, id) })
	}
	wg.Wait()
	for i := range 10 {
		if u := c.usage(t, fmt.Sprintf("host%d", i+1), "VCPU"); u != 0 {
			t.Fatalf("host%d still uses %d VCPU after the deletes", i+1, u)
		}
	}
}

func TestBuildOnASilentHostIsRescheduled(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2, agentPerHost: true}, func(o *compute.Options) {
		o.RecoveryInterval, o.BuildTimeout = 50*time.Millisecond, 100*time.Millisecond
	})
	c.drivers[0].SetDelay(time.Hour)
	c.drivers[1].SetDelay(time.Hour)
	id := c.boot(t, "stranded", "1", nil)
	var first string
	deadline := time.Now().Add(5 * time.Second)
	for first == "" && time.Now().Before(deadline) {
		if h, ok := c.server(t, id)["OS-EXT-SRV-ATTR:host"].(string); ok {
			first = h
		}
	}
	other := slices.IndexFunc([]string{"host1", "host2"}, func(h string) bool { return h != first })
	c.drivers[other].SetDelay(0)
	c.agents[1-other].Stop() // the chosen host's agent goes away mid-build
	s := c.settle(t, id)
	if s["status"] != "ACTIVE" || s["OS-EXT-SRV-ATTR:host"] == first {
		t.Logf("usage host1 %d host2 %d", c.usage(t, "host1", "VCPU"), c.usage(t, "host2", "VCPU"))
		var hv any
		c.getJSON(t, "/v2.1/os-hypervisors/detail", func(b map[string]any) { hv = b })
		t.Logf("hypervisors %v", hv)
		t.Fatalf("server %v on %v; first host %s; fault %v", s["status"], s["OS-EXT-SRV-ATTR:host"], first, s["fault"])
	}
	if c.usage(t, first, "VCPU") != 0 {
		t.Fatal("the silent host kept the allocation")
	}
}

func TestActionsWalkTheStateMachine(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2})
	id := c.settle(t, c.boot(t, "walker", "1", nil))["id"].(string)
	steps := []struct {
		action any
		status string
	}{
		{map[string]any{"os-stop": nil}, "SHUTOFF"}, {map[string]any{"os-start": nil}, "ACTIVE"},
		{map[string]any{"reboot": map[string]any{"type": "HARD"}}, "ACTIVE"},
		{map[string]any{"pause": nil}, "PAUSED"}, {map[string]any{"unpause": nil}, "ACTIVE"},
		{map[string]any{"suspend": nil}, "SUSPENDED"}, {map[string]any{"resume": nil}, "ACTIVE"},
		{map[string]any{"rescue": nil}, "RESCUE"}, {map[string]any{"unrescue": nil}, "ACTIVE"},
		{map[string]any{"os-stop": nil}, "SHUTOFF"},
		{map[string]any{"rebuild": map[string]any{"imageRef": c.image}}, "SHUTOFF"},
		{map[string]any{"os-start": nil}, "ACTIVE"},
		{map[string]any{"resize": map[string]any{"flavorRef": "2"}}, "VERIFY_RESIZE"},
		{map[string]any{"revertResize": nil}, "ACTIVE"},
		{map[string]any{"resize": map[string]any{"flavorRef": "2"}}, "VERIFY_RESIZE"},
		{map[string]any{"confirmResize": nil}, "ACTIVE"},
		{map[string]any{"shelve": nil}, "SHELVED_OFFLOADED"}, {map[string]any{"unshelve": nil}, "ACTIVE"},
	}
	for _, st := range steps {
		r := c.doTB(t, "POST", "/v2.1/servers/"+id+"/action", c.admin, st.action, "OpenStack-API-Version", "compute 2.79")
		if r.Status/100 != 2 {
			t.Fatalf("%v: %d %s", st.action, r.Status, r.Raw)
		}
		c.waitStatus(t, id, st.status)
	}
	s := c.server(t, id)
	if fl := s["flavor"].(map[string]any); fl["original_name"] != "m1.small" {
		t.Fatalf("flavor after confirm %v", fl)
	}
	total := 0
	for _, h := range []string{"host1", "host2"} {
		total += c.usage(t, h, "MEMORY_MB")
	}
	if total != 2048 {
		t.Fatalf("placement holds %d MB for one m1.small", total)
	}
	r := c.doTB(t, "GET", "/v2.1/servers/"+id+"/os-instance-actions", c.admin, nil)
	var names []string
	for _, a := range r.Body["instanceActions"].([]any) {
		names = append(names, a.(map[string]any)["action"].(string))
	}
	sort.Strings(names)
	for _, want := range []string{"confirmResize", "create", "reboot", "resize", "revertResize", "shelve", "unshelve"} {
		if !slices.Contains(names, want) {
			t.Fatalf("instance actions %v lack %s", names, want)
		}
	}
}

func TestResizeSetsDiskConfig(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2})
	id := c.settle(t, c.boot(t, "dcf", "1", nil))["id"].(string)
	if s := c.server(t, id); s["OS-DCF:diskConfig"] != "MANUAL" {
		t.Fatalf("boot disk config %v", s["OS-DCF:diskConfig"])
	}
	r := c.doTB(t, "POST", "/v2.1/servers/"+id+"/action", c.admin,
		map[string]any{"resize": map[string]any{"flavorRef": "2", "OS-DCF:diskConfig": "AUTO"}})
	if r.Status != 202 {
		t.Fatalf("resize: %d %s", r.Status, r.Raw)
	}
	c.waitStatus(t, id, "VERIFY_RESIZE")
	if s := c.server(t, id); s["OS-DCF:diskConfig"] != "AUTO" {
		t.Fatalf("disk config after resize %v", s["OS-DCF:diskConfig"])
	}
	before := c.id.Snapshot(t)
	r = c.doTB(t, "POST", "/v2.1/servers/"+id+"/action", c.admin,
		map[string]any{"resize": map[string]any{"flavorRef": "3", "OS-DCF:diskConfig": "SOMETIMES"}})
	if r.Status != 400 || c.id.Snapshot(t) != before {
		t.Fatalf("bad disk config: %d %s", r.Status, r.Raw)
	}
}

// A recovery pass or request whose deadline passes between committing a
// build and casting it must still send the cast: nothing else would.
func TestOpLeavesAfterTheCallerGaveUp(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 1})
	got := make(chan string, 1)
	sub, err := c.conn.Handle(computerpc.HostSubject("elsewhere"), "", func(_ context.Context, m *bus.Message) (any, error) {
		var op computerpc.Operation
		err := m.Decode(&op)
		got <- op.Op
		return nil, err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.svc.CastOp(ctx, computerpc.Operation{Op: computerpc.OpBuild, Host: "elsewhere",
		Instance: computerpc.Instance{UUID: "i-1"}}); err != nil {
		t.Fatal(err)
	}
	select {
	case op := <-got:
		if op != computerpc.OpBuild {
			t.Fatalf("got %q", op)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cast never left")
	}
}
