package compute

import (
	"context"

	"github.com/monostack/monostack/internal/computerpc"
)

// RegisterNode exposes registerNode.
func (s *Service) RegisterNode(ctx context.Context, m computerpc.RegisterNode) (*computerpc.RegisterNodeReply, error) {
	return s.registerNode(ctx, m)
}

// HandleResult exposes handleResult, as an agent's report reaches it.
func (s *Service) HandleResult(ctx context.Context, r computerpc.OpResult) error {
	return s.handleResult(ctx, r)
}
