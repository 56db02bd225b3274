package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/monostack/monostack/internal/app"
)

// runAgent runs the host roles (compute) named by --roles: no database,
// only the bus (--bus, default nats://127.0.0.1:bus-port).
func runAgent(e *env, args []string) error {
	cfg, err := e.loadConfig("agent", append([]string{"--roles", "compute"}, args...))
	if err != nil {
		return err
	}
	log := e.logger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.StartRoles(ctx); err != nil {
		return err
	}
	a.MarkReady()
	log.Info("agent running", "roles", cfg.Roles, "bus", a.BusURL())
	return a.Wait(ctx)
}
