package identity

import (
	"net/http"

	"github.com/monostack/monostack/internal/errs"
)

// Not implemented yet: each handler answers 501 until its file replaces this one.

func (s *Service) listCredentials(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) createCredential(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getCredentialHandler(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) updateCredential(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) deleteCredential(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) listEC2Credentials(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) createEC2Credential(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getEC2Credential(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) deleteEC2Credential(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) ec2Tokens(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}
