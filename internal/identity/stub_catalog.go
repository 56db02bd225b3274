package identity

import (
	"net/http"

	"github.com/monostack/monostack/internal/errs"
)

// Not implemented yet: each handler answers 501 until its file replaces this one.

func (s *Service) listRegions(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) createRegion(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getRegionHandler(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) putRegion(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) updateRegion(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) deleteRegion(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) listServices(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) createService(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getServiceHandler(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) updateService(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) deleteService(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) listEndpoints(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) createEndpoint(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) getEndpointHandler(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) updateEndpoint(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}

func (s *Service) deleteEndpoint(w http.ResponseWriter, r *http.Request) error {
	return errs.New(errs.NotImplemented, "not implemented")
}
