package bus

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// EmbeddedOptions configure the all-in-one's NATS server.
type EmbeddedOptions struct {
	// Port on 127.0.0.1; 0 picks a free one (see Embedded.URL).
	Port int
	// Logger receives the server's notices, warnings and errors; nil keeps
	// it silent.
	Logger *slog.Logger
	// StartTimeout bounds the wait for the listener (default 5 s).
	StartTimeout time.Duration
}

// Embedded is a NATS server inside this process. It keeps no state: no
// JetStream, no files; messages exist only in flight.
type Embedded struct {
	srv *server.Server
}

// StartEmbedded starts a NATS server listening on loopback only: it has no
// authentication, so nothing off the host may reach it. Scale-out uses an
// external NATS instead (Connect).
func StartEmbedded(opts EmbeddedOptions) (*Embedded, error) {
	port := opts.Port
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 5 * time.Second
	}
	srv, err := server.NewServer(&server.Options{
		ServerName:      "monostack-embedded",
		Host:            "127.0.0.1",
		Port:            port,
		NoSigs:          true,
		NoLog:           opts.Logger == nil,
		NoSystemAccount: true,
		HTTPPort:        0, // no monitoring listener
	})
	if err != nil {
		return nil, fmt.Errorf("bus: embedded server: %w", err)
	}
	if opts.Logger != nil {
		srv.SetLogger(natsLogger{opts.Logger.With(slog.String("component", "nats"))}, false, false)
	}
	srv.Start()
	if !srv.ReadyForConnections(opts.StartTimeout) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, fmt.Errorf("bus: embedded server on 127.0.0.1:%d not ready after %s", opts.Port, opts.StartTimeout)
	}
	return &Embedded{srv: srv}, nil
}

// URL is where clients connect, for example nats://127.0.0.1:42117.
func (e *Embedded) URL() string { return e.srv.ClientURL() }

// Connect connects to the server from inside this process, through memory
// rather than a socket; agents in other processes use URL.
func (e *Embedded) Connect(opts ConnectOptions) (*Conn, error) {
	return dial(e.URL(), opts, nats.InProcessServer(e.srv))
}

// Shutdown closes every client connection and the listener, and returns
// once the server's goroutines have ended.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}

// natsLogger adapts slog to the server's logger; Fatalf only logs, since an
// embedded server must not end the process.
type natsLogger struct{ l *slog.Logger }

func (n natsLogger) Noticef(f string, v ...any) { n.l.Info(fmt.Sprintf(f, v...)) }
func (n natsLogger) Warnf(f string, v ...any)   { n.l.Warn(fmt.Sprintf(f, v...)) }
func (n natsLogger) Fatalf(f string, v ...any)  { n.l.Error(fmt.Sprintf(f, v...)) }
func (n natsLogger) Errorf(f string, v ...any)  { n.l.Error(fmt.Sprintf(f, v...)) }
func (n natsLogger) Debugf(f string, v ...any)  { n.l.Debug(fmt.Sprintf(f, v...)) }
func (n natsLogger) Tracef(f string, v ...any)  { n.l.Debug(fmt.Sprintf(f, v...)) }
