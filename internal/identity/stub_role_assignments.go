package identity

import (
	"net/http"

	"github.com/monostack/monostack/internal/errs"
)

// Not implemented yet: each handler answers 501 until its file replaces this one.

func (s *Service) listRoleAssignments(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) listRevocationEvents(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}
