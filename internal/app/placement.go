package app

import (
	"path/filepath"

	"github.com/monostack/monostack/internal/placement"
)

func (a *App) buildPlacement() error {
	var err error
	a.Placement, err = placement.New(placement.Options{DB: a.db, Validator: a.Identity, Log: a.log,
		PolicyFile: filepath.Join(a.cfg.StateDir, "placement-policy.yaml"), EnforceNewDefaults: a.cfg.EnforceNewDefaults,
		MaxBodySize: a.cfg.MaxRequestBodySize, IdentityURL: func() string { return a.URL("identity") }})
	return err
}
