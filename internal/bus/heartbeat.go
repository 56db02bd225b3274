package bus

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// HeartbeatSubject is where heartbeats go unless configured otherwise.
const HeartbeatSubject = "monostack.heartbeat"

// DefaultHeartbeatInterval is Nova's report_interval.
const DefaultHeartbeatInterval = 10 * time.Second

// Beat is one heartbeat.
type Beat struct {
	Service  string    `json:"service"`
	Host     string    `json:"host"`
	UpSince  time.Time `json:"up_since"`
	Sequence uint64    `json:"sequence"`
	// IntervalMS is the publisher's interval, so each service is judged by
	// its own rhythm.
	IntervalMS int64 `json:"interval_ms"`
	// Stopping is the goodbye of a publisher that stops cleanly.
	Stopping bool `json:"stopping,omitempty"`
}

// MessageType implements Versioned.
func (Beat) MessageType() string { return "heartbeat" }

// MessageVersion implements Versioned.
func (Beat) MessageVersion() Version { return Version{1, 0} }

// HeartbeatOptions configure a Heartbeat.
type HeartbeatOptions struct {
	Subject  string        // default HeartbeatSubject
	Service  string        // required, for example "nova-compute"
	Host     string        // required
	Interval time.Duration // default DefaultHeartbeatInterval
	Now      func() time.Time
}

// Heartbeat publishes a service's Beat every interval.
type Heartbeat struct {
	c       *Conn
	opts    HeartbeatOptions
	upSince time.Time
	mu      sync.Mutex
	seq     uint64
	once    sync.Once
	stop    chan struct{}
	done    chan struct{}
}

// StartHeartbeat sends a first beat at once and then one every interval
// until Stop.
func StartHeartbeat(c *Conn, opts HeartbeatOptions) (*Heartbeat, error) {
	if opts.Service == "" || opts.Host == "" {
		return nil, errors.New("bus: heartbeat needs a service and a host")
	}
	if opts.Subject == "" {
		opts.Subject = HeartbeatSubject
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultHeartbeatInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Heartbeat{c: c, opts: opts, upSince: opts.Now().UTC(),
		stop: make(chan struct{}), done: make(chan struct{})}
	if err := h.Beat(context.Background()); err != nil {
		return nil, err
	}
	go h.loop()
	return h, nil
}

func (h *Heartbeat) loop() {
	defer close(h.done)
	t := time.NewTicker(h.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			if err := h.Beat(context.Background()); err != nil {
				h.c.log.Debug("heartbeat not sent", slog.String("service", h.opts.Service),
					slog.String("error", err.Error()))
			}
		}
	}
}

// Beat publishes one heartbeat now.
func (h *Heartbeat) Beat(ctx context.Context) error { return h.send(ctx, false) }

func (h *Heartbeat) send(ctx context.Context, stopping bool) error {
	h.mu.Lock()
	h.seq++
	b := Beat{Service: h.opts.Service, Host: h.opts.Host, UpSince: h.upSince, Sequence: h.seq,
		IntervalMS: h.opts.Interval.Milliseconds(), Stopping: stopping}
	h.mu.Unlock()
	return h.c.Cast(ctx, h.opts.Subject, b)
}

// Stop ends the beats and says goodbye, so trackers mark the service down
// at once rather than after the window.
func (h *Heartbeat) Stop() {
	h.once.Do(func() {
		close(h.stop)
		<-h.done
		_ = h.send(context.Background(), true)
	})
}

// LivenessOptions configure a Liveness tracker.
type LivenessOptions struct {
	Subject string // default HeartbeatSubject
	// Missed is how many of a service's intervals may pass without a beat
	// before it counts as down (default 6: Nova's service_down_time of 60 s
	// over its report_interval of 10 s).
	Missed int
	Now    func() time.Time
}

// ServiceState is what a tracker knows of one service on one host.
type ServiceState struct {
	Service  string
	Host     string
	Up       bool
	UpSince  time.Time // the publisher's start
	LastSeen time.Time // when its last beat arrived here
	Sequence uint64
	Stopped  bool // it said goodbye
}

// Liveness tracks heartbeats in memory and answers whether a service is
// up. A tracker that has not heard from a service yet says down.
type Liveness struct {
	opts LivenessOptions
	sub  *Subscription
	mu   sync.Mutex
	seen map[[2]string]*seen
}

type seen struct {
	beat     Beat
	lastSeen time.Time
}

// WatchLiveness subscribes to heartbeats on c (every tracker sees every
// beat).
func WatchLiveness(c *Conn, opts LivenessOptions) (*Liveness, error) {
	l := NewLiveness(opts)
	sub, err := c.Handle(l.opts.Subject, "", func(_ context.Context, m *Message) (any, error) {
		var b Beat
		if err := m.Decode(&b); err != nil {
			return nil, err
		}
		l.Observe(b)
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	l.sub = sub
	return l, nil
}

// NewLiveness is a tracker fed only through Observe (for tests and for
// callers with their own subscription).
func NewLiveness(opts LivenessOptions) *Liveness {
	if opts.Subject == "" {
		opts.Subject = HeartbeatSubject
	}
	if opts.Missed <= 0 {
		opts.Missed = 6
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Liveness{opts: opts, seen: map[[2]string]*seen{}}
}

// Observe records a beat as arrived now. A beat older than the last one of
// the same publisher run, or from an earlier run, is ignored.
func (l *Liveness) Observe(b Beat) {
	key := [2]string{b.Service, b.Host}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.seen[key]; ok {
		if b.UpSince.Before(s.beat.UpSince) ||
			b.UpSince.Equal(s.beat.UpSince) && b.Sequence <= s.beat.Sequence {
			return
		}
	}
	l.seen[key] = &seen{beat: b, lastSeen: l.opts.Now()}
}

// Up says whether service on host sent a beat within its window and has not
// said goodbye since.
func (l *Liveness) Up(service, host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.seen[[2]string{service, host}]
	return ok && l.up(s, l.opts.Now())
}

func (l *Liveness) up(s *seen, now time.Time) bool {
	interval := time.Duration(s.beat.IntervalMS) * time.Millisecond
	if interval <= 0 {
		interval = DefaultHeartbeatInterval
	}
	return !s.beat.Stopping && now.Sub(s.lastSeen) < time.Duration(l.opts.Missed)*interval
}

// Services lists every service heard from, sorted by service then host.
func (l *Liveness) Services() []ServiceState {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.opts.Now()
	out := make([]ServiceState, 0, len(l.seen))
	for _, s := range l.seen {
		out = append(out, ServiceState{Service: s.beat.Service, Host: s.beat.Host,
			Up: l.up(s, now), UpSince: s.beat.UpSince, LastSeen: s.lastSeen,
			Sequence: s.beat.Sequence, Stopped: s.beat.Stopping})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		return out[i].Host < out[j].Host
	})
	return out
}

// Forget drops a service (after it was deleted).
func (l *Liveness) Forget(service, host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.seen, [2]string{service, host})
}

// Stop unsubscribes a tracker started by WatchLiveness.
func (l *Liveness) Stop() {
	if l.sub != nil {
		l.sub.Stop()
	}
}
