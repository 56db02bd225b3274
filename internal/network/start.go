package network

import (
	"context"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ml2"
)

// SyncDefaultRanges writes the configured segment ranges as the default
// network segment ranges; the composition root calls it at start.
func (s *Service) SyncDefaultRanges(ctx context.Context) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		return ml2.SyncDefaultRanges(tx, s.types.Config(), s.newID, micros(s.now()))
	})
}
