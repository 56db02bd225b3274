package app

import (
	"context"
)

// StartRoles starts the non-HTTP work of the process's roles: the
// conductor and controller heartbeats, and the compute agent.
func (a *App) StartRoles(ctx context.Context) error {
	if a.controller() {
		if err := a.startControllerRoles(ctx); err != nil {
			return err
		}
	}
	if a.agent != nil {
		return a.agent.Start(ctx)
	}
	return nil
}

// stopRoles stops what StartRoles started, agents first.
func (a *App) stopRoles() {
	if a.agent != nil {
		a.agent.Stop()
	}
	a.stopConductor()
}
