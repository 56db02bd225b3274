package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

func TestEmbeddedListensOnLoopbackRandomPort(t *testing.T) {
	e := startBus(t)
	if !strings.HasPrefix(e.URL(), "nats://127.0.0.1:") || strings.HasSuffix(e.URL(), ":0") ||
		strings.HasSuffix(e.URL(), ":-1") {
		t.Fatalf("URL %q", e.URL())
	}
}

func TestCallRoundTrip(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	handle(t, c, "test.echo", "echo", echo)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var resp echoResp
	if err := c.Call(ctx, "test.echo", echoReq{Text: "hello"}, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Text != "hello" || resp.Version != "1.2" {
		t.Fatalf("reply %+v", resp)
	}
}

func TestCallDeadlineIsTimeout(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	release := make(chan struct{})
	defer close(release)
	handle(t, c, "test.slow", "slow", func(ctx context.Context, m *Message) (any, error) {
		<-release
		return nil, nil
	})

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := c.Call(ctx, "test.slow", echoReq{}, nil)
	if CodeOf(err) != Timeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a Timeout wrapping the deadline", err)
	}
	if !errs.Is(err, errs.Unavailable) {
		t.Fatalf("a timeout should read as errs.Unavailable, got %v", errs.As(err).Kind)
	}
}

func TestCallWithoutDeadlineUsesCallTimeout(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test", func(o *ConnectOptions) { o.CallTimeout = 50 * time.Millisecond })
	release := make(chan struct{})
	defer close(release)
	handle(t, c, "test.slow", "slow", func(context.Context, *Message) (any, error) {
		<-release
		return nil, nil
	})
	if err := c.Call(context.Background(), "test.slow", echoReq{}, nil); CodeOf(err) != Timeout {
		t.Fatalf("got %v, want Timeout", err)
	}
}

func TestCallNoResponderIsUnavailable(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	start := time.Now()
	err := c.Call(context.Background(), "test.nobody", echoReq{}, nil)
	if CodeOf(err) != Unavailable {
		t.Fatalf("got %v, want Unavailable", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("no-responders took %s; it should not wait for the deadline", d)
	}
}

func TestHandlerErrorsCrossAsCodes(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	cases := []struct {
		name     string
		err      error
		code     Code
		kind     errs.Kind
		message  string
		panicked bool
	}{
		{"not found", errs.NotFoundf("Instance %s could not be found.", "i-1"), NotFound, errs.NotFound, "Instance i-1 could not be found.", false},
		{"conflict", errs.Conflictf("busy"), Conflict, errs.Conflict, "busy", false},
		{"bad request", errs.BadRequestf("flavor too small"), Invalid, errs.BadRequest, "flavor too small", false},
		{"forbidden", errs.Forbiddenf("no"), Forbidden, errs.Forbidden, "no", false},
		{"other kind by its errs name", errs.New(errs.OverLimit, "quota"), "over_limit", errs.OverLimit, "quota", false},
		{"wrapped domain error", fmt.Errorf("conductor: %w", errs.NotFoundf("gone")), NotFound, errs.NotFound, "gone", false},
		{"outermost decides", errs.Wrap(errs.Conflict, &Error{Code: NotFound, Message: "inner"}, "outer"), Conflict, errs.Conflict, "outer", false},
		{"downstream bus error passes through", &Error{Code: Timeout, Message: "compute.host1 silent"}, Timeout, errs.Unavailable, "compute.host1 silent", false},
		{"plain error hides its text", errors.New("disk /dev/sda on fire"), Internal, errs.Internal, "internal error", false},
		{"panic", nil, Internal, errs.Internal, "internal error", true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			subject := fmt.Sprintf("test.err.%d", i)
			handle(t, c, subject, "", func(context.Context, *Message) (any, error) {
				if tc.panicked {
					panic("boom")
				}
				return nil, tc.err
			})
			err := c.Call(context.Background(), subject, echoReq{}, nil)
			var be *Error
			if !errors.As(err, &be) || be.Code != tc.code || be.Message != tc.message {
				t.Fatalf("got %#v, want code %s message %q", err, tc.code, tc.message)
			}
			if de := errs.As(err); de.Kind != tc.kind || de.Message != tc.message {
				t.Fatalf("domain error %v %q, want kind %v", de.Kind, de.Message, tc.kind)
			}
		})
	}
}

func TestNotFoundKeepsItsHTTPStatus(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	handle(t, c, "test.nf", "", func(context.Context, *Message) (any, error) {
		return nil, errs.NotFoundf("Flavor 7 could not be found.")
	})
	err := c.Call(context.Background(), "test.nf", echoReq{}, nil)
	if errs.Status(err) != http.StatusNotFound {
		t.Fatalf("status %d for %v", errs.Status(err), err)
	}
}

func TestQueueGroupSharesCalls(t *testing.T) {
	e := startBus(t)
	caller := connect(t, e, "api")
	var served [2]atomic.Int32
	for i := range served {
		worker := connect(t, e, fmt.Sprintf("conductor-%d", i))
		handle(t, worker, "test.work", "conductor", func(context.Context, *Message) (any, error) {
			served[i].Add(1)
			return nil, nil
		})
	}
	const calls = 60
	for range calls {
		if err := caller.Call(context.Background(), "test.work", echoReq{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	a, b := served[0].Load(), served[1].Load()
	if a+b != calls || a == 0 || b == 0 {
		t.Fatalf("served %d and %d of %d calls; each call once, both members used", a, b, calls)
	}
}

// echoV2 is a future major version of the echo message.
type echoV2 struct {
	Words []string `json:"words"`
}

func (echoV2) MessageType() string     { return "test.echo" }
func (echoV2) MessageVersion() Version { return Version{2, 0} }

// echoV1Later is a later minor version: it only adds a field.
type echoV1Later struct {
	Text  string `json:"text"`
	Shout bool   `json:"shout"`
}

func (echoV1Later) MessageType() string     { return "test.echo" }
func (echoV1Later) MessageVersion() Version { return Version{1, 7} }

func TestUnknownMajorVersionRefused(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	refused := make(chan error, 1)
	handle(t, c, "test.echo", "echo", func(ctx context.Context, m *Message) (any, error) {
		resp, err := echo(ctx, m)
		if err != nil {
			refused <- err
		}
		return resp, err
	})

	err := c.Call(context.Background(), "test.echo", echoV2{Words: []string{"hi"}}, nil)
	if CodeOf(err) != UnsupportedVersion {
		t.Fatalf("major 2: got %v, want UnsupportedVersion", err)
	}
	var ve *VersionError
	if got := <-refused; !errors.As(got, &ve) || ve.Got != (Version{2, 0}) || ve.Want != 1 {
		t.Fatalf("receiver's error %#v, want a *VersionError", got)
	}

	var resp echoResp
	if err := c.Call(context.Background(), "test.echo", echoV1Later{Text: "hi", Shout: true}, &resp); err != nil {
		t.Fatalf("minor 1.7 is additive and must be served: %v", err)
	}
	if resp.Text != "hi" || resp.Version != "1.7" {
		t.Fatalf("reply %+v", resp)
	}
}

func TestWrongMessageTypeIsInvalid(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	handle(t, c, "test.echo", "echo", echo)
	if err := c.Call(context.Background(), "test.echo", Beat{}, nil); CodeOf(err) != Invalid {
		t.Fatalf("got %v, want Invalid", err)
	}
}

func TestUnversionedMessageRefusedBeforeSending(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	if err := c.Call(context.Background(), "test.echo", map[string]string{"a": "b"}, nil); CodeOf(err) != Internal {
		t.Fatalf("call: got %v", err)
	}
	if err := c.Cast(context.Background(), "test.echo", nil); CodeOf(err) != Internal {
		t.Fatalf("cast: got %v", err)
	}
}

func TestCastDelivered(t *testing.T) {
	e := startBus(t)
	sender := connect(t, e, "api")
	got := make(chan *Message, 10)
	var groupServed atomic.Int32
	for i := range 2 {
		c := connect(t, e, fmt.Sprintf("agent-%d", i))
		handle(t, c, "test.cast", "", func(_ context.Context, m *Message) (any, error) {
			got <- m
			return "ignored", nil
		})
		handle(t, c, "test.cast", "agents", func(context.Context, *Message) (any, error) {
			groupServed.Add(1)
			return nil, nil
		})
	}
	ctx := WithRequestID(context.Background(), "req-cast", "")
	if err := sender.Cast(ctx, "test.cast", echoReq{Text: "fire"}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // both plain subscribers
		select {
		case m := <-got:
			var req echoReq
			if err := m.Decode(&req); err != nil || req.Text != "fire" || m.RequestID != "req-cast" ||
				m.Type != "test.echo" || m.SentAt.IsZero() {
				t.Fatalf("cast %+v body %+v err %v", m, req, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("cast not delivered")
		}
	}
	eventually(t, 5*time.Second, "served by the queue group", func() bool { return groupServed.Load() == 1 })
	time.Sleep(20 * time.Millisecond)
	if n := groupServed.Load(); n != 1 {
		t.Fatalf("queue group served the cast %d times, want once", n)
	}
}

// faults renders errors as plain text for the request-id test's router.
type faults struct{}

func (faults) Render(w http.ResponseWriter, _ *http.Request, err error) {
	http.Error(w, err.Error(), errs.Status(err))
}

func TestRequestIDTravelsFromHTTPToHandler(t *testing.T) {
	e := startBus(t)
	api := connect(t, e, "api")
	conductor := connect(t, e, "conductor")
	compute := connect(t, e, "compute")
	// The conductor passes the call on; the ids must reach the second hop.
	handle(t, conductor, "test.conductor", "conductor", func(ctx context.Context, m *Message) (any, error) {
		if RequestID(ctx) != m.RequestID {
			return nil, fmt.Errorf("context id %q, message id %q", RequestID(ctx), m.RequestID)
		}
		var resp echoResp
		err := conductor.Call(ctx, "test.compute", echoReq{Text: "build"}, &resp)
		return resp, err
	})
	handle(t, compute, "test.compute", "compute", echo)

	var resp echoResp
	rt := httpx.NewRouter(httpx.Config{Faults: faults{}, Log: quiet})
	rt.Handle(http.MethodPost, "/servers", func(w http.ResponseWriter, r *http.Request) error {
		return api.Call(r.Context(), "test.conductor", echoReq{}, &resp)
	}, httpx.Public)
	global := "req-11111111-2222-4333-8444-555555555555"
	req := httptest.NewRequest(http.MethodPost, "/servers", nil)
	req.Header.Set(httpx.RequestIDHeader, global)
	w := httptest.NewRecorder()
	rt.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if local := w.Header().Get(httpx.RequestIDHeader); resp.RequestID != local || local == "" || resp.Global != global {
		t.Fatalf("handler saw ids %q/%q, HTTP request had %q/%q", resp.RequestID, resp.Global, local, global)
	}
}

func TestExternalConnectionToEmbeddedServer(t *testing.T) {
	e := startBus(t)
	// The all-in-one's own connection serves; a second process connects
	// to the URL as an external NATS would be reached.
	local := connect(t, e, "monostack-up")
	handle(t, local, "test.echo", "echo", echo)
	remote, err := Connect(e.URL(), ConnectOptions{Name: "monostack-agent@host2", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	if remote.URL() != e.URL() {
		t.Fatalf("connected to %q, want %q", remote.URL(), e.URL())
	}
	var resp echoResp
	if err := remote.Call(context.Background(), "test.echo", echoReq{Text: "far"}, &resp); err != nil || resp.Text != "far" {
		t.Fatalf("reply %+v, error %v", resp, err)
	}
}

func TestConnectToNothingIsUnavailable(t *testing.T) {
	e, err := StartEmbedded(EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	url := e.URL()
	e.Shutdown()
	_, err = Connect(url, ConnectOptions{Logger: quiet, ConnectTimeout: 200 * time.Millisecond})
	if CodeOf(err) != Unavailable {
		t.Fatalf("got %v, want Unavailable", err)
	}
}

func TestCloseLetsRunningHandlerFinish(t *testing.T) {
	e := startBus(t)
	caller := connect(t, e, "api")
	worker, err := Connect(e.URL(), ConnectOptions{Logger: quiet, CloseGrace: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	handle(t, worker, "test.work", "w", func(context.Context, *Message) (any, error) {
		close(started)
		time.Sleep(50 * time.Millisecond)
		return echoResp{Text: "done"}, nil
	})
	result := make(chan error, 1)
	var resp echoResp
	go func() { result <- caller.Call(context.Background(), "test.work", echoReq{}, &resp) }()
	<-started
	worker.Close()
	if err := <-result; err != nil || resp.Text != "done" {
		t.Fatalf("in-flight call lost on close: %+v %v", resp, err)
	}
	if _, err := worker.Handle("test.more", "", echo); CodeOf(err) != Unavailable {
		t.Fatalf("Handle after Close: %v", err)
	}
}

func TestCloseCancelsHandlersAfterGrace(t *testing.T) {
	e := startBus(t)
	caller := connect(t, e, "api")
	worker, err := Connect(e.URL(), ConnectOptions{Logger: quiet, CloseGrace: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	handle(t, worker, "test.stuck", "w", func(ctx context.Context, _ *Message) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	go func() { _ = caller.Cast(context.Background(), "test.stuck", echoReq{}) }()
	<-started
	start := time.Now()
	worker.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %s with a 50ms grace", d)
	}
}

func TestSubscriptionStop(t *testing.T) {
	e := startBus(t)
	c := connect(t, e, "test")
	s := handle(t, c, "test.echo", "echo", echo)
	if err := c.Call(context.Background(), "test.echo", echoReq{}, nil); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	eventually(t, 5*time.Second, "unsubscribed", func() bool {
		return CodeOf(c.Call(context.Background(), "test.echo", echoReq{}, nil)) == Unavailable
	})
}

func TestEnvelopeWireForm(t *testing.T) {
	ctx := WithRequestID(context.Background(), "req-a", "req-b")
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	data, err := seal(ctx, echoReq{Text: "x"}, at)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"test.echo","version":"1.2","request_id":"req-a","global_request_id":"req-b",` +
		`"sent_at":"2025-01-02T03:04:05Z","body":{"text":"x"}}`
	if string(data) != want {
		t.Fatalf("wire form\n got %s\nwant %s", data, want)
	}
	var reply envelope
	reply.Error = &Error{Code: NotFound, Message: "m"}
	b, _ := json.Marshal(reply)
	if !strings.Contains(string(b), `"error":{"code":"not_found","message":"m"}`) {
		t.Fatalf("error wire form %s", b)
	}
}

func TestVersionParsing(t *testing.T) {
	for in, want := range map[string]Version{"1.0": {1, 0}, "12.34": {12, 34}} {
		if v, err := ParseVersion(in); err != nil || v != want {
			t.Errorf("%q: %v %v", in, v, err)
		}
	}
	for _, in := range []string{"", "1", "a.b", "1.-1", "1.2.3"} {
		if _, err := ParseVersion(in); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
}

func TestCodesAreErrsCodeNames(t *testing.T) {
	for code, kind := range map[Code]errs.Kind{Internal: errs.Internal, Invalid: errs.BadRequest,
		NotFound: errs.NotFound, Conflict: errs.Conflict, Forbidden: errs.Forbidden, Unavailable: errs.Unavailable} {
		if got := (&errs.Error{Kind: kind}).Code(); got != string(code) {
			t.Errorf("bus code %q, errs calls the kind %q", code, got)
		}
		if (&Error{Code: code}).Kind() != kind {
			t.Errorf("%q does not map back to its kind", code)
		}
	}
	if (&Error{Code: "from_the_future"}).Kind() != errs.Internal {
		t.Error("an unknown code must read as Internal")
	}
}
