package identity

import (
	"context"

	"github.com/monostack/monostack/internal/db"
)

// ProjectExists says whether a project (not a domain) with id exists: what
// Nova asks Keystone before quota and flavor-access changes
// (verify_project_id).
func (s *Service) ProjectExists(ctx context.Context, id string) (bool, error) {
	var found bool
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		p, err := findProjectRow(tx, id)
		found = p != nil && !p.IsDomain
		return err
	})
	return found, err
}
