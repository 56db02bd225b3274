package compute_test

import (
	"context"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/computerpc"
)

// TestSameBuildFailureReportedTwice reports one failed build twice, as
// the agent and the recovery loop both may: the second report must find
// the build already rescheduled and change nothing (it once freed the
// new host's claim and used up another attempt).
func TestSameBuildFailureReportedTwice(t *testing.T) {
	c := startCloud(t, hostConfig{hosts: 2})
	for _, d := range c.drivers {
		d.SetDelay(time.Hour)
	}
	id := c.boot(t, "twice", "1", nil)
	first := c.hostOf(t, id)
	var reqID string
	c.getJSON(t, "/v2.1/servers/"+id+"/os-instance-actions", func(m map[string]any) {
		reqID = m["instanceActions"].([]any)[0].(map[string]any)["request_id"].(string)
	})
	failure := computerpc.OpResult{Op: computerpc.OpBuild, Host: first, InstanceUUID: id, ActionRequestID: reqID,
		Reschedulable: true, Fault: &computerpc.Fault{Code: 500, Message: "spawn failed"}}
	for range 2 {
		if err := c.svc.HandleResult(context.Background(), failure); err != nil {
			t.Fatal(err)
		}
	}
	second := c.hostOf(t, id)
	if second == first {
		t.Fatalf("still on %s after its failure", first)
	}
	if u := c.usage(t, second, "VCPU"); u != 1 {
		t.Fatalf("%s holds %d VCPU for the rebuilt server, want 1", second, u)
	}
	if u := c.usage(t, first, "VCPU"); u != 0 {
		t.Fatalf("the failed host %s still holds %d VCPU", first, u)
	}
	var builds int
	c.getJSON(t, "/v2.1/servers/"+id+"/os-instance-actions/"+reqID, func(m map[string]any) {
		for _, e := range m["instanceAction"].(map[string]any)["events"].([]any) {
			if e.(map[string]any)["event"] == "compute__do_build_and_run_instance" {
				builds++
			}
		}
	})
	if builds != 2 {
		t.Fatalf("%d build events, want 2 (the failed one and the retry)", builds)
	}
}

// hostOf waits until a server has a host and returns it.
func (c *cloud) hostOf(t *testing.T, id string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if h, ok := c.server(t, id)["OS-EXT-SRV-ATTR:host"].(string); ok {
			return h
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("server %s never got a host", id)
	return ""
}
