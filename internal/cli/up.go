package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/monostack/monostack/internal/app"
)

// runUp is the all-in-one cloud: every role in one process, bootstrapped,
// with openrc and clouds.yaml written to the state directory. It runs
// until SIGTERM or SIGINT.
func runUp(e *env, args []string) error {
	start := time.Now()
	cfg, err := e.loadConfig("up", args)
	if err != nil {
		return err
	}
	cfg.Roles = []string{"api", "scheduler", "conductor", "compute"}
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
	creds, _, err := a.Bootstrap(ctx)
	if err != nil {
		return err
	}
	if err := a.StartRoles(ctx); err != nil {
		return err
	}
	if err := a.WriteClientFiles(creds); err != nil {
		return err
	}
	a.MarkReady()
	fmt.Fprintf(e.stdout, `monostack %s is up (%d ms)
  identity   %s
  image      %s
  compute    %s
  placement  %s
  network    %s
  bus        %s
  state      %s
  openrc     %s/openrc
  clouds     %s/clouds.yaml (cloud "monostack")
  admin      user %q, password %q, project %q
Ready.
`, Version, time.Since(start).Milliseconds(), creds.AuthURL, a.URL("image"), a.URL("compute")+"/v2.1", a.URL("placement"), a.URL("network"), a.BusURL(), cfg.StateDir, cfg.StateDir, cfg.StateDir,
		creds.Username, creds.Password, creds.Project)
	err = a.Wait(ctx)
	log.Info("stopped")
	return err
}
