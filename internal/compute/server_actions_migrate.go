package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// actionMigrate is {"migrate": null} (2.56: {"migrate": {"host": h}}): an
// admin cold migration, cast as a resize to the current flavor with
// "migrate" set so the conductor leaves the current host.
func (s *Service) actionMigrate(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	host, err := parseMigrateHost(r, arg)
	if err != nil {
		return err
	}
	spec := actionSpec{rule: "os_compute_api:os-migrate-server:migrate", conflict: "migrate", record: "migrate",
		cast: "resize", lock: true, state: stateRule{vm: []string{vmActive, vmStopped}, launched: true},
		newTask: taskResizePrep}
	params := map[string]any{"migrate": true, "host": host}
	err = s.acceptAction(r, id, spec, params, func(tx *db.Tx, i *instance) error {
		if err := checkMigrateHost(tx, i, host); err != nil {
			return err
		}
		f := i.Flavor
		params["flavor"] = &f
		return nil
	})
	return accepted(w, err)
}

// parseMigrateHost reads the optional 2.56 target host ("" for none).
func parseMigrateHost(r *http.Request, arg any) (string, error) {
	if !version(r).AtLeast(56) || arg == nil {
		return "", nil
	}
	obj, ok := arg.(jsonObject)
	if !ok {
		return "", invalidInput("migrate", arg, pyRepr(arg)+" is not of type 'object', 'null'")
	}
	if err := onlyKeys("migrate", obj, []string{"host"}); err != nil {
		return "", err
	}
	h, ok := obj["host"]
	if !ok || h == nil {
		return "", nil
	}
	return schemaString("host", h, 1, 255)
}

// checkMigrateHost refuses the current host and unknown hosts, as Nova's
// _validate_host_for_cold_migrate.
func checkMigrateHost(tx *db.Tx, i *instance, host string) error {
	if host == "" {
		return nil
	}
	if i.Host != nil && host == *i.Host {
		return errs.BadRequestf("Cannot migrate to the host where the server exists.")
	}
	svc, err := computeServiceOf(tx, host)
	if err != nil {
		return err
	}
	if svc == nil {
		return errs.BadRequestf("Compute host %s could not be found.", host)
	}
	return nil
}
