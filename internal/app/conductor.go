package app

import (
	"context"

	"github.com/monostack/monostack/internal/compute"
)

// computeImages is the image service as compute sees it.
func (a *App) computeImages() compute.Images { return computeImages{a} }

func (a *App) startConductor(ctx context.Context) error { return a.Compute.StartConductor(ctx) }

func (a *App) stopConductor() {
	if a.Compute != nil && a.hasRole("conductor") {
		a.Compute.StopConductor()
	}
}
