package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/monostack/monostack/internal/app"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/identity/keyrepo"
)

// runBootstrap creates or repairs the bootstrap data without serving.
func runBootstrap(e *env, args []string) error {
	cfg, err := e.loadConfig("bootstrap", args)
	if err != nil {
		return err
	}
	cfg.Roles = nil // no bus, no listeners: only the database
	ctx := context.Background()
	a, err := app.New(ctx, cfg, e.logger(cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	creds, res, err := a.Bootstrap(ctx)
	if err != nil {
		return err
	}
	if err := a.WriteClientFiles(creds); err != nil {
		return err
	}
	for _, c := range res.Created {
		fmt.Fprintln(e.stdout, "created", c)
	}
	fmt.Fprintf(e.stdout, "admin user %s (%s), project %s (%s); openrc in %s\n",
		creds.Username, res.AdminUserID, creds.Project, res.AdminProjectID, cfg.StateDir)
	return nil
}

// runDB is `db migrate`.
func runDB(e *env, args []string) error {
	if len(args) == 0 || args[0] != "migrate" {
		return errors.New("usage: monostack db migrate [flags]")
	}
	cfg, err := e.loadConfig("db migrate", args[1:])
	if err != nil {
		return err
	}
	ctx := context.Background()
	d, err := db.Open(ctx, cfg.DB, cfg.StateDir)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s); schema version %d\n", len(applied), v)
	return nil
}

// runToken is `token rotate`: promote the staged Fernet key to primary.
// Running servers pick the new keys up within a second.
func runToken(e *env, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return errors.New("usage: monostack token rotate [flags]")
	}
	cfg, err := e.loadConfig("token rotate", args[1:])
	if err != nil {
		return err
	}
	repo, err := keyrepo.Open(filepath.Join(cfg.StateDir, "fernet-keys"), cfg.FernetMaxActiveKeys)
	if err != nil {
		return err
	}
	n, err := repo.Rotate()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rotated: key %d is now primary\n", n)
	return nil
}
