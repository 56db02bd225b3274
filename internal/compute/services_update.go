package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// updateService is PUT /os-services/{id}: before 2.53 {id} is an action
// (enable, disable, disable-log-reason, force-down at 2.11) on the body's
// host and binary; from 2.53 it is the service uuid.
func (s *Service) updateService(w http.ResponseWriter, r *http.Request) error {
	if version(r).AtLeast(53) {
		return s.updateServiceByUUID(w, r)
	}
	return s.updateServiceLegacy(w, r)
}

// legacyServiceUpdate is a pre-2.53 request body.
type legacyServiceUpdate struct {
	host, binary string
	reason       *string
	forcedDown   *bool
}

func parseLegacyServiceUpdate(body jsonObject, v httpx.Microversion) (*legacyServiceUpdate, error) {
	allowed := []string{"host", "binary", "disabled_reason"}
	if v.AtLeast(11) {
		allowed = append(allowed, "forced_down")
	}
	if err := onlyKeys("", body, allowed); err != nil {
		return nil, err
	}
	for _, k := range []string{"host", "binary"} {
		if _, ok := body[k]; !ok {
			return nil, errs.BadRequestf("'%s' is a required property", k)
		}
	}
	u := &legacyServiceUpdate{}
	var err error
	if u.host, err = schemaFQDN("host", body["host"]); err != nil {
		return nil, err
	}
	if u.binary, err = schemaString("binary", body["binary"], 1, 255); err != nil {
		return nil, err
	}
	if raw, ok := body["disabled_reason"]; ok {
		reason, err := schemaString("disabled_reason", raw, 1, 255)
		if err != nil {
			return nil, err
		}
		u.reason = &reason
	}
	if raw, ok := body["forced_down"]; ok {
		b, err := schemaBool("forced_down", raw)
		if err != nil {
			return nil, err
		}
		u.forcedDown = &b
	}
	return u, nil
}

func (s *Service) updateServiceLegacy(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	u, err := parseLegacyServiceUpdate(body, version(r))
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-services:update", map[string]any{}); err != nil {
		return err
	}
	action := r.PathValue("id")
	out := map[string]any{"host": u.host, "binary": u.binary}
	var change func(*computeService)
	switch {
	case action == "enable":
		out["status"] = "enabled"
		change = func(svc *computeService) { svc.Disabled, svc.DisabledReason = false, nil }
	case action == "disable" || action == "disable-log-reason":
		if action == "disable-log-reason" && u.reason == nil {
			return errs.BadRequestf("Missing disabled reason field")
		}
		reason := u.reason
		if action == "disable" {
			reason = nil
		}
		out["status"] = "disabled"
		if reason != nil {
			out["disabled_reason"] = *reason
		}
		change = func(svc *computeService) { svc.Disabled, svc.DisabledReason = true, reason }
	case action == "force-down" && version(r).AtLeast(11):
		if u.forcedDown == nil {
			return errs.BadRequestf("Missing forced_down field")
		}
		out["forced_down"] = *u.forcedDown
		change = func(svc *computeService) { svc.ForcedDown = *u.forcedDown }
	default:
		return errs.NotFoundf("Unknown action")
	}
	svc, err := s.updateServiceByHost(r, u, change)
	if err != nil {
		return err
	}
	s.afterServiceUpdate(r.Context(), svc)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"service": out})
}

// updateServiceByHost applies change to the service binary on host.
func (s *Service) updateServiceByHost(r *http.Request, u *legacyServiceUpdate, change func(*computeService)) (*computeService, error) {
	if u.binary != computerpc.ServiceName {
		return nil, notComputeService(u.binary)
	}
	var svc *computeService
	err := s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if svc, err = loadService(tx, `host = ? AND binary_name = ?`, u.host, u.binary); err != nil {
			return err
		}
		if svc == nil {
			return errs.NotFoundf("Host '%s' is not mapped to any cell", u.host)
		}
		if u.forcedDown != nil && !*u.forcedDown && r.PathValue("id") == "force-down" {
			if err := checkNoDoneEvacuations(tx, u.host); err != nil {
				return err
			}
		}
		change(svc)
		return saveService(tx, svc, s.now().UnixMicro())
	})
	return svc, err
}

// updateServiceByUUID is PUT /os-services/{uuid} from 2.53.
func (s *Service) updateServiceByUUID(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	change, err := parseServiceUpdate(body)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !isUUID(id) {
		return errs.BadRequestf("Invalid uuid %s", id)
	}
	if err := s.enforce(r, "os_compute_api:os-services:update", map[string]any{}); err != nil {
		return err
	}
	var svc *computeService
	var zones map[string][]string
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if svc, err = loadService(tx, `uuid = ?`, id); err != nil {
			return err
		}
		if svc == nil {
			return errs.NotFoundf("Service %s could not be found.", id)
		}
		if svc.Binary != computerpc.ServiceName {
			return notComputeService(svc.Binary)
		}
		if err := change(tx, svc); err != nil {
			return err
		}
		if err := saveService(tx, svc, s.now().UnixMicro()); err != nil {
			return err
		}
		zones, err = hostZones(tx)
		return err
	})
	if err != nil {
		return err
	}
	s.afterServiceUpdate(r.Context(), svc)
	view := s.serviceView(svc, s.zoneOfService(zones, svc), s.livenessNow(), version(r))
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"service": view})
}

// parseServiceUpdate checks a 2.53 body and returns the change it asks.
func parseServiceUpdate(body jsonObject) (func(*db.Tx, *computeService) error, error) {
	if err := onlyKeys("", body, []string{"status", "disabled_reason", "forced_down"}); err != nil {
		return nil, err
	}
	var status string
	if raw, ok := body["status"]; ok {
		st, isStr := raw.(string)
		if !isStr {
			return nil, invalidInput("status", raw, pyRepr(raw)+" is not of type 'string'")
		}
		if st != "enabled" && st != "disabled" {
			return nil, invalidInput("status", raw, pyRepr(raw)+" is not one of ['enabled', 'disabled']")
		}
		status = st
	}
	var reason *string
	if raw, ok := body["disabled_reason"]; ok {
		r, err := schemaString("disabled_reason", raw, 1, 255)
		if err != nil {
			return nil, err
		}
		reason = &r
	}
	var forced *bool
	if raw, ok := body["forced_down"]; ok {
		b, err := schemaBool("forced_down", raw)
		if err != nil {
			return nil, err
		}
		forced = &b
	}
	return func(tx *db.Tx, svc *computeService) error {
		if status == "enabled" && reason != nil {
			return errs.BadRequestf("Specifying 'disabled_reason' with status 'enabled' is invalid.")
		}
		if status == "" && forced == nil {
			return errs.BadRequestf("No updates were requested. Fields 'status' or 'forced_down' should be specified.")
		}
		switch status {
		case "enabled":
			svc.Disabled, svc.DisabledReason = false, nil
		case "disabled":
			svc.Disabled, svc.DisabledReason = true, reason
		}
		if forced != nil {
			svc.ForcedDown = *forced
			if !*forced {
				return checkNoDoneEvacuations(tx, svc.Host)
			}
		}
		return nil
	}, nil
}
