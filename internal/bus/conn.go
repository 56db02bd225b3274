package bus

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnectOptions configure a connection. The zero value is usable.
type ConnectOptions struct {
	// Name identifies the connection in the NATS server's monitoring, for
	// example "monostack-compute@host1".
	Name string
	// Logger receives connection events and handler failures; nil means
	// slog.Default().
	Logger *slog.Logger
	// CallTimeout bounds a Call whose context has no deadline (default 60 s,
	// oslo.messaging's rpc_response_timeout).
	CallTimeout time.Duration
	// ReconnectWait is the pause between reconnect attempts (default 1 s);
	// a connection reconnects for ever until closed.
	ReconnectWait time.Duration
	// ConnectTimeout bounds one dial (default 2 s).
	ConnectTimeout time.Duration
	// MaxInFlight is how many messages one Handle subscription serves at
	// once (default 64); beyond it delivery waits.
	MaxInFlight int
	// CloseGrace is how long Close lets running handlers finish before it
	// cancels their contexts (default 10 s).
	CloseGrace time.Duration
}

func (o *ConnectOptions) defaults() {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.CallTimeout, 60*time.Second)
	def(&o.ReconnectWait, time.Second)
	def(&o.ConnectTimeout, 2*time.Second)
	def(&o.CloseGrace, 10*time.Second)
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 64
	}
}

// Conn is a connection to the bus, embedded or external. It is safe for
// concurrent use.
type Conn struct {
	nc   *nats.Conn
	opts ConnectOptions
	log  *slog.Logger
	now  func() time.Time

	// base is the parent of every handler context; Close cancels it once
	// the grace period is over.
	base   context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	subs     map[*Subscription]struct{}
	closed   bool
	handlers sync.WaitGroup
	done     chan struct{}
}

// Connect dials the NATS server at url (nats://host:port; credentials may be
// in the URL) and keeps reconnecting after a loss until Close.
func Connect(url string, opts ConnectOptions) (*Conn, error) {
	return dial(url, opts)
}

// dial is Connect with extra NATS options.
func dial(url string, opts ConnectOptions, extra ...nats.Option) (*Conn, error) {
	opts.defaults()
	log := opts.Logger.With(slog.String("component", "bus"))
	nc, err := nats.Connect(url, append([]nats.Option{
		nats.Name(opts.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(opts.ReconnectWait),
		nats.Timeout(opts.ConnectTimeout),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("bus disconnected", slog.String("error", err.Error()))
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("bus reconnected", slog.String("url", nc.ConnectedUrlRedacted()))
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Error("bus error", slog.String("subject", subject), slog.String("error", err.Error()))
		}),
	}, extra...)...)
	if err != nil {
		return nil, newError(Unavailable, err, "connect to %s: %v", redact(url), err)
	}
	c := &Conn{nc: nc, opts: opts, log: log, now: time.Now,
		subs: map[*Subscription]struct{}{}, done: make(chan struct{})}
	c.base, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// redact hides credentials in a URL for messages.
func redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	if _, host, ok := strings.Cut(rest, "@"); ok {
		return scheme + "://***@" + host
	}
	return url
}

// URL is the server the connection is talking to now.
func (c *Conn) URL() string { return c.nc.ConnectedUrlRedacted() }

// Close stops every subscription (messages already delivered are still
// served), waits for running handlers up to CloseGrace, then cancels their
// contexts, waits for them to return and closes the connection.
func (c *Conn) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.done
		return
	}
	c.closed = true
	subs := make([]*Subscription, 0, len(c.subs))
	for s := range c.subs {
		subs = append(subs, s)
	}
	c.mu.Unlock()

	deadline := time.Now().Add(c.opts.CloseGrace)
	for _, s := range subs {
		s.drain(deadline)
	}
	finished := make(chan struct{})
	go func() { c.handlers.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(time.Until(deadline)):
		c.log.Warn("bus close: cancelling handlers still running after the grace period")
	}
	c.cancel()
	<-finished
	_ = c.nc.FlushTimeout(time.Second)
	c.nc.Close()
	close(c.done)
}
