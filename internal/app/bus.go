package app

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/monostack/monostack/internal/bus"
)

// startBus connects the process to the message bus: to --bus when set,
// else controllers start an embedded NATS server on 127.0.0.1:bus-port and
// agents connect there.
func (a *App) startBus(controller bool) error {
	url := a.cfg.Bus
	if url == "" && controller {
		e, err := bus.StartEmbedded(bus.EmbeddedOptions{Port: a.cfg.BusPort, Logger: a.log})
		if err != nil {
			return fmt.Errorf("embedded bus: %w", err)
		}
		a.embedded, url = e, e.URL()
	}
	if url == "" {
		url = "nats://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(a.cfg.BusPort))
	}
	opts := bus.ConnectOptions{Name: "monostack@" + a.host(), Logger: a.log, CloseGrace: a.cfg.ShutdownTimeout}
	connect := func() (*bus.Conn, error) { return bus.Connect(url, opts) }
	if a.embedded != nil {
		connect = func() (*bus.Conn, error) { return a.embedded.Connect(opts) }
	}
	conn, err := connect()
	if err != nil {
		a.stopEmbedded()
		return err
	}
	a.Bus = conn
	return nil
}

// BusURL is where other processes reach this process's bus.
func (a *App) BusURL() string {
	if a.embedded != nil {
		return a.embedded.URL()
	}
	if a.Bus != nil {
		return a.Bus.URL()
	}
	return ""
}

// watchLiveness tracks every service's heartbeats.
func (a *App) watchLiveness() error {
	missed := 6
	if a.cfg.ReportInterval > 0 && a.cfg.ServiceDownTime > 0 {
		missed = max(1, int(a.cfg.ServiceDownTime/a.cfg.ReportInterval))
	}
	l, err := bus.WatchLiveness(a.Bus, bus.LivenessOptions{Missed: missed})
	a.Liveness = l
	return err
}

// heartbeat publishes a service's heartbeat until shutdown.
func (a *App) heartbeat(service, host string) error {
	h, err := bus.StartHeartbeat(a.Bus, bus.HeartbeatOptions{Service: service, Host: host,
		Interval: a.reportInterval()})
	if err != nil {
		return err
	}
	a.heartbeats = append(a.heartbeats, h)
	return nil
}

func (a *App) reportInterval() time.Duration {
	if a.cfg.ReportInterval > 0 {
		return a.cfg.ReportInterval
	}
	return bus.DefaultHeartbeatInterval
}

// host is this process's host name for services and agents.
func (a *App) host() string {
	if a.cfg.Host != "" {
		return a.cfg.Host
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost"
}

// stopBus says goodbye, closes the connection and the embedded server.
func (a *App) stopBus() {
	for _, h := range a.heartbeats {
		h.Stop()
	}
	a.heartbeats = nil
	if a.Liveness != nil {
		a.Liveness.Stop()
		a.Liveness = nil
	}
	if a.Bus != nil {
		a.Bus.Close()
		a.Bus = nil
	}
	a.stopEmbedded()
}

func (a *App) stopEmbedded() {
	if a.embedded != nil {
		a.embedded.Shutdown()
		a.embedded = nil
	}
}
