package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Flavor access (os-flavor-access): which projects may use a private
// flavor.

// flavorAccessView is Nova's {"flavor_access": [{flavor_id, tenant_id}]}.
func flavorAccessView(flavorID string, projects []string) map[string]any {
	out := make([]map[string]string, len(projects))
	for i, p := range projects {
		out[i] = map[string]string{"flavor_id": flavorID, "tenant_id": p}
	}
	return map[string]any{"flavor_access": out}
}

// listFlavorAccess is GET /flavors/{flavor_id}/os-flavor-access; public
// flavors have no list (404).
func (s *Service) listFlavorAccess(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-flavor-access", callerTarget(r)); err != nil {
		return err
	}
	var f *flavor
	var projects []string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if f, err = loadFlavor(tx, r.PathValue("flavor_id"), projectOf(r), s.isAdmin(r)); err != nil {
			return err
		}
		if f.IsPublic {
			return errs.NotFoundf("Access list not available for public flavors.")
		}
		projects, err = flavorProjects(tx, f.ID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, flavorAccessView(f.FlavorID, projects))
}

// flavorAction is POST /flavors/{id}/action: addTenantAccess or
// removeTenantAccess.
func (s *Service) flavorAction(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	for _, name := range []string{"addTenantAccess", "removeTenantAccess"} {
		if _, ok := body[name]; ok {
			tenant, err := parseTenantAccess(body, name)
			if err != nil {
				return err
			}
			return s.changeFlavorAccess(w, r, name == "addTenantAccess", tenant)
		}
	}
	return errs.BadRequestf("There is no such action: %s", firstKey(body))
}

// parseTenantAccess checks {"<action>": {"tenant": "<1..255 chars>"}}.
func parseTenantAccess(body jsonObject, action string) (string, error) {
	obj, err := requireBody(body, action)
	if err != nil {
		return "", err
	}
	if t, ok := obj["tenant"]; ok {
		if _, err := schemaString("tenant", t, 1, 255); err != nil {
			return "", err
		}
	}
	if err := requireKeys(action, obj, "tenant"); err != nil {
		return "", err
	}
	if err := onlyKeys(action, obj, []string{"tenant"}); err != nil {
		return "", err
	}
	return obj["tenant"].(string), nil
}

// changeFlavorAccess grants or revokes a project's access.
func (s *Service) changeFlavorAccess(w http.ResponseWriter, r *http.Request, add bool, tenant string) error {
	rule := "os_compute_api:os-flavor-access:remove_tenant_access"
	if add {
		rule = "os_compute_api:os-flavor-access:add_tenant_access"
	}
	if err := s.enforce(r, rule, map[string]any{}); err != nil {
		return err
	}
	if err := s.verifyProject(r, tenant); err != nil && add {
		return err
	}
	id := r.PathValue("id")
	var projects []string
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		f, err := loadFlavor(tx, id, projectOf(r), s.isAdmin(r))
		if err != nil {
			return err
		}
		if add {
			err = addFlavorAccess(tx, f, tenant, version(r).AtLeast(7))
		} else {
			err = removeFlavorAccess(tx, f, tenant)
		}
		if err != nil {
			return err
		}
		projects, err = flavorProjects(tx, f.ID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, flavorAccessView(id, projects))
}

func addFlavorAccess(tx *db.Tx, f *flavor, tenant string, refusePublic bool) error {
	if refusePublic && f.IsPublic {
		return errs.Conflictf("Can not add access to a public flavor.")
	}
	has, err := tx.Exists(`SELECT 1 FROM compute_flavor_projects WHERE flavor_id = ? AND project_id = ?`, f.ID, tenant)
	if err != nil {
		return err
	}
	if has {
		return errs.Conflictf("Flavor access already exists for flavor %s and project %s combination.", f.FlavorID, tenant)
	}
	_, err = tx.Exec(`INSERT INTO compute_flavor_projects (flavor_id, project_id) VALUES (?, ?)`, f.ID, tenant)
	return err
}

func removeFlavorAccess(tx *db.Tx, f *flavor, tenant string) error {
	n, err := tx.ExecAffected(`DELETE FROM compute_flavor_projects WHERE flavor_id = ? AND project_id = ?`, f.ID, tenant)
	if err == nil && n == 0 {
		err = errs.NotFoundf("Flavor access not found for %s / %s combination.", f.FlavorID, tenant)
	}
	return err
}

// verifyProject is Nova's identity.verify_project_id: 400 for a project
// the identity service does not know; unknown when no lookup is wired.
func (s *Service) verifyProject(r *http.Request, projectID string) error {
	if s.opts.ProjectExists == nil {
		return nil
	}
	ok, err := s.opts.ProjectExists(r.Context(), projectID)
	if err != nil {
		s.log.Info("unable to verify project", "project_id", projectID, "err", err)
		return nil
	}
	if !ok {
		return errs.BadRequestf("Project ID %s is not a valid project.", projectID)
	}
	return nil
}
