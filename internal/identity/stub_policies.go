package identity

import (
	"net/http"

	"github.com/monostack/monostack/internal/errs"
)

// Not implemented yet: each handler answers 501 until its file replaces this one.

func (s *Service) listPolicies(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) createPolicy(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getPolicyHandler(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) updatePolicy(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) deletePolicy(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}
