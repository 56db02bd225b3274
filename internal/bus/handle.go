package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// HandlerFunc serves one call or cast. For a call its result is the reply
// body (nil for none) and its error crosses the bus by code; for a cast both
// are dropped, an error being logged. ctx carries the caller's request ids
// (RequestID) and is cancelled only when the connection closes.
type HandlerFunc func(ctx context.Context, m *Message) (any, error)

// Subscription is one Handle registration.
type Subscription struct {
	c       *Conn
	sub     *nats.Subscription
	sem     chan struct{}
	running sync.WaitGroup
	stopped bool // under c.mu: no handler starts any more
}

// Handle serves subject. Handlers registered with the same non-empty
// queueGroup share the messages, each going to one of them (across
// processes too); with an empty queueGroup every handler gets every message.
// Up to MaxInFlight messages are served at once.
func (c *Conn) Handle(subject, queueGroup string, h HandlerFunc) (*Subscription, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, newError(Unavailable, nats.ErrConnectionClosed, "handle %s: connection closed", subject)
	}
	s := &Subscription{c: c, sem: make(chan struct{}, c.opts.MaxInFlight)}
	sub, err := c.nc.QueueSubscribe(subject, queueGroup, func(m *nats.Msg) {
		s.sem <- struct{}{}
		if !s.start() {
			<-s.sem
			return
		}
		go func() {
			defer s.finish()
			c.serve(m, h)
		}()
	})
	if err != nil {
		return nil, callError(subject, err)
	}
	// The server knows the subscription once the flush returns, so a
	// message sent after Handle returns is never missed.
	if err := c.nc.FlushTimeout(c.opts.ConnectTimeout); err != nil {
		_ = sub.Unsubscribe()
		return nil, callError(subject, err)
	}
	s.sub = sub
	c.subs[s] = struct{}{}
	return s, nil
}

// start counts a handler in unless the subscription has stopped.
func (s *Subscription) start() bool {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	if s.stopped {
		return false
	}
	s.running.Add(1)
	s.c.handlers.Add(1)
	return true
}

func (s *Subscription) finish() {
	<-s.sem
	s.running.Done()
	s.c.handlers.Done()
}

// Stop stops taking messages and waits, up to CloseGrace, for the handlers
// already started and the messages already delivered to be served.
func (s *Subscription) Stop() {
	deadline := time.Now().Add(s.c.opts.CloseGrace)
	s.drain(deadline)
	done := make(chan struct{})
	go func() { s.running.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Until(deadline)):
	}
}

// drain lets the messages already delivered reach the handler, then stops
// the subscription; past the deadline it drops what is left.
func (s *Subscription) drain(deadline time.Time) {
	closed := s.sub.StatusChanged(nats.SubscriptionClosed)
	if err := s.sub.Drain(); err == nil {
		select {
		case <-closed:
		case <-time.After(time.Until(deadline)):
			_ = s.sub.Unsubscribe()
		}
	}
	s.c.mu.Lock()
	s.stopped = true
	delete(s.c.subs, s)
	s.c.mu.Unlock()
}

// serve runs one message through h and answers it if it is a call.
func (c *Conn) serve(m *nats.Msg, h HandlerFunc) {
	var env envelope
	if err := json.Unmarshal(m.Data, &env); err != nil {
		c.reply(m, nil, newError(Invalid, err, "malformed envelope: %v", err), "")
		return
	}
	msg := &Message{Subject: m.Subject, Type: env.Type, Version: env.Version,
		RequestID: env.RequestID, GlobalRequestID: env.GlobalRequestID,
		SentAt: env.SentAt, Body: env.Body}
	ctx := WithRequestID(c.base, env.RequestID, env.GlobalRequestID)
	body, err := c.run(ctx, h, msg)
	c.reply(m, body, err, env.RequestID)
}

// run calls h, turning a panic into an Internal error.
func (c *Conn) run(ctx context.Context, h HandlerFunc, m *Message) (body any, err error) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Error("bus handler panic", slog.String("subject", m.Subject),
				slog.String("request_id", m.RequestID), slog.Any("panic", p),
				slog.String("stack", string(debug.Stack())))
			body, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return h(ctx, m)
}

// reply answers a call with body or err; for a cast it only logs err.
func (c *Conn) reply(m *nats.Msg, body any, err error, requestID string) {
	var env envelope
	if err != nil {
		env.Error = toWire(err)
		if env.Error.Code == Internal || m.Reply == "" {
			c.log.Error("bus handler failed", slog.String("subject", m.Subject),
				slog.String("request_id", requestID), slog.String("error", err.Error()))
		}
	} else if body != nil {
		if v, ok := body.(Versioned); ok {
			env.Type, env.Version = v.MessageType(), v.MessageVersion()
		}
		b, merr := json.Marshal(body)
		if merr != nil {
			c.reply(m, nil, fmt.Errorf("encode reply %T: %w", body, merr), requestID)
			return
		}
		env.Body = b
	}
	if m.Reply == "" {
		return
	}
	env.RequestID, env.SentAt = requestID, c.now().UTC()
	data, _ := json.Marshal(env)
	if err := m.Respond(data); err != nil {
		c.log.Warn("bus reply lost", slog.String("subject", m.Subject),
			slog.String("request_id", requestID), slog.String("error", err.Error()))
	}
}
