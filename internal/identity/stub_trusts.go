package identity

import (
	"net/http"

	"github.com/monostack/monostack/internal/errs"
)

// Not implemented yet: each handler answers 501 until its file replaces this one.

func (s *Service) listTrusts(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) createTrust(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getTrustHandler(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) deleteTrust(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) listTrustRoles(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getTrustRole(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}
