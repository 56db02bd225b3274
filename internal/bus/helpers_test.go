package bus

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

var quiet = slog.New(slog.DiscardHandler)

// startBus starts an embedded server that the test shuts down at its end.
func startBus(t testing.TB) *Embedded {
	t.Helper()
	e, err := StartEmbedded(EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	return e
}

// connect is one "process" on the bus, closed at the test's end (before
// the server, cleanups running last-in first-out).
func connect(t testing.TB, e *Embedded, name string, change ...func(*ConnectOptions)) *Conn {
	t.Helper()
	opts := ConnectOptions{Name: name, Logger: quiet, CloseGrace: time.Second}
	for _, f := range change {
		f(&opts)
	}
	c, err := Connect(e.URL(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func handle(t testing.TB, c *Conn, subject, group string, h HandlerFunc) *Subscription {
	t.Helper()
	s, err := c.Handle(subject, group, h)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// eventually polls cond every few milliseconds and fails after within.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("not %s after %s", what, within)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

type echoReq struct {
	Text string `json:"text"`
}

func (echoReq) MessageType() string     { return "test.echo" }
func (echoReq) MessageVersion() Version { return Version{1, 2} }

type echoResp struct {
	Text      string `json:"text"`
	RequestID string `json:"request_id"`
	Global    string `json:"global"`
	Version   string `json:"version"`
}

func (echoResp) MessageType() string     { return "test.echo.reply" }
func (echoResp) MessageVersion() Version { return Version{1, 0} }

// echo answers with the text, the ids and the version it received.
func echo(ctx context.Context, m *Message) (any, error) {
	var req echoReq
	if err := m.Decode(&req); err != nil {
		return nil, err
	}
	local, global := requestIDs(ctx)
	return echoResp{Text: req.Text, RequestID: local, Global: global, Version: m.Version.String()}, nil
}
