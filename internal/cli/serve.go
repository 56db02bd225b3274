package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/monostack/monostack/internal/app"
)

// runServe runs the controller roles named by --roles against a shared
// database, without bootstrapping.
func runServe(e *env, args []string) error {
	cfg, err := e.loadConfig("serve", args)
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
	if err := a.Listen(); err != nil {
		return err
	}
	a.Start()
	if err := a.StartRoles(ctx); err != nil {
		return err
	}
	a.MarkReady()
	log.Info("serving", "roles", cfg.Roles, "identity", a.URL("identity"), "network", a.URL("network"))
	return a.Wait(ctx)
}
