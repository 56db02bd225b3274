package bus

import (
	"sync"
	"testing"
	"time"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestLivenessWindowGoodbyeAndRestart(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	l := NewLiveness(LivenessOptions{Missed: 3, Now: clk.now})
	up := time.Unix(900, 0)
	if l.Up("nova-compute", "h1") {
		t.Fatal("up before any beat")
	}
	l.Observe(Beat{Service: "nova-compute", Host: "h1", UpSince: up, Sequence: 1, IntervalMS: 1000})
	clk.add(2900 * time.Millisecond)
	if !l.Up("nova-compute", "h1") {
		t.Fatal("down inside the window")
	}
	clk.add(200 * time.Millisecond)
	if l.Up("nova-compute", "h1") {
		t.Fatal("up after three missed intervals")
	}
	l.Observe(Beat{Service: "nova-compute", Host: "h1", UpSince: up, Sequence: 1, IntervalMS: 1000})
	if l.Up("nova-compute", "h1") {
		t.Fatal("a repeated old beat brought it back")
	}
	l.Observe(Beat{Service: "nova-compute", Host: "h1", UpSince: up, Sequence: 2, IntervalMS: 1000})
	if !l.Up("nova-compute", "h1") {
		t.Fatal("a newer beat did not bring it back")
	}
	l.Observe(Beat{Service: "nova-compute", Host: "h1", UpSince: up, Sequence: 3, IntervalMS: 1000, Stopping: true})
	if l.Up("nova-compute", "h1") {
		t.Fatal("up after its goodbye")
	}
	l.Observe(Beat{Service: "nova-compute", Host: "h1", UpSince: up.Add(time.Hour), Sequence: 1, IntervalMS: 1000})
	if !l.Up("nova-compute", "h1") {
		t.Fatal("a restarted publisher (newer up_since, sequence 1) is not up")
	}
	if s := l.Services(); len(s) != 1 || !s[0].Up || s[0].Host != "h1" {
		t.Fatalf("services %+v", s)
	}
}

func TestHeartbeatsReachTrackersOverTheBus(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "agent")
	l, err := WatchLiveness(c, LivenessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Stop()
	h, err := StartHeartbeat(c, HeartbeatOptions{Service: "nova-compute", Host: "h1", Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "up", func() bool { return l.Up("nova-compute", "h1") })
	h.Stop()
	eventually(t, 5*time.Second, "down after goodbye", func() bool { return !l.Up("nova-compute", "h1") })
}
