package identity

import (
	"errors"
	"net/http"
	"slices"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// OS-EP-FILTER associations: projects with endpoint groups and with single
// endpoints. catalogFor narrows a project's catalog by them.

// projectsByID loads projects in the order of ids.
func projectsByID(tx *db.Tx, ids []string) ([]*project, error) {
	out := make([]*project, 0, len(ids))
	for _, id := range ids {
		p, err := getProject(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (s *Service) projectViews(r *http.Request, list []*project) []api.Project {
	out := make([]api.Project, len(list))
	for i, p := range list {
		out[i] = s.projectView(r, p)
	}
	return out
}

// withGroupAndProject checks rule, then loads the path's project and
// endpoint group (project first, as upstream).
func (s *Service) withGroupAndProject(r *http.Request, rule string, write bool, fn func(tx *db.Tx, groupID, projectID string) error) error {
	groupID, projectID := r.PathValue("endpoint_group_id"), r.PathValue("project_id")
	if err := s.enforce(r, rule, map[string]any{"endpoint_group_id": groupID, "project_id": projectID}); err != nil {
		return err
	}
	run := s.db.Read
	if write {
		run = s.db.Write
	}
	return run(r.Context(), func(tx *db.Tx) error {
		if _, err := getProject(tx, projectID); err != nil {
			return err
		}
		if _, err := getEndpointGroupRow(tx, groupID); err != nil {
			return err
		}
		return fn(tx, groupID, projectID)
	})
}

func (s *Service) addEndpointGroupProject(w http.ResponseWriter, r *http.Request) error {
	err := s.withGroupAndProject(r, "identity:add_endpoint_group_to_project", true, func(tx *db.Tx, groupID, projectID string) error {
		_, err := tx.Exec("INSERT INTO identity_project_endpoint_groups (endpoint_group_id, project_id) VALUES (?, ?)", groupID, projectID)
		if errors.Is(err, db.ErrConflict) {
			return errs.Conflictf("Conflict occurred attempting to store project_endpoint_group - Duplicate entry.")
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkEndpointGroupProject serves GET and HEAD of an association. Its
// self link is relative, exactly as upstream writes it.
func (s *Service) checkEndpointGroupProject(w http.ResponseWriter, r *http.Request) error {
	err := s.withGroupAndProject(r, "identity:get_endpoint_group_in_project", false, func(tx *db.Tx, groupID, projectID string) error {
		return requireGroupProject(tx, groupID, projectID)
	})
	if err != nil {
		return err
	}
	groupID, projectID := r.PathValue("endpoint_group_id"), r.PathValue("project_id")
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"project_endpoint_group": api.ProjectEndpointGroup{
		EndpointGroupID: groupID, ProjectID: projectID,
		Links: api.Links{Self: "/OS-EP-FILTER/endpoint_groups/" + groupID + "/projects/" + projectID}}})
}

func requireGroupProject(tx *db.Tx, groupID, projectID string) error {
	ok, err := tx.Exists("SELECT 1 FROM identity_project_endpoint_groups WHERE endpoint_group_id = ? AND project_id = ?", groupID, projectID)
	if err == nil && !ok {
		return errs.NotFoundf("Endpoint Group Project Association not found")
	}
	return err
}

func (s *Service) removeEndpointGroupProject(w http.ResponseWriter, r *http.Request) error {
	err := s.withGroupAndProject(r, "identity:remove_endpoint_group_from_project", true, func(tx *db.Tx, groupID, projectID string) error {
		if err := requireGroupProject(tx, groupID, projectID); err != nil {
			return err
		}
		_, err := tx.Exec("DELETE FROM identity_project_endpoint_groups WHERE endpoint_group_id = ? AND project_id = ?", groupID, projectID)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listEndpointGroupProjects lists a group's projects; like upstream it
// does not check that the group exists.
func (s *Service) listEndpointGroupProjects(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpoint_group_id")
	if err := s.enforce(r, "identity:list_projects_associated_with_endpoint_group", map[string]any{"endpoint_group_id": id}); err != nil {
		return err
	}
	var list []*project
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ids, err := tx.Strings("SELECT project_id FROM identity_project_endpoint_groups WHERE endpoint_group_id = ? ORDER BY project_id", id)
		if err != nil {
			return err
		}
		list, err = projectsByID(tx, ids)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeCollection(w, r, "projects", s.projectViews(r, list), "", false)
}

func (s *Service) listProjectEndpointGroups(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("project_id")
	if err := s.enforce(r, "identity:list_endpoint_groups_for_project", map[string]any{"project_id": id}); err != nil {
		return err
	}
	var list []*endpointGroup
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if _, err := getProject(tx, id); err != nil {
			return err
		}
		q := db.NewQuery("SELECT "+endpointGroupColumns+" FROM identity_endpoint_groups").
			Where("id IN (SELECT endpoint_group_id FROM identity_project_endpoint_groups WHERE project_id = ?)", id).OrderBy("id")
		list, err = queryEndpointGroups(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeCollection(w, r, "endpoint_groups", s.endpointGroupViews(r, list), "", false)
}

// listProjectEndpoints lists the endpoints a project is associated with,
// directly or through its endpoint groups.
func (s *Service) listProjectEndpoints(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("project_id")
	if err := s.enforce(r, "identity:list_endpoints_for_project", map[string]any{"project_id": id}); err != nil {
		return err
	}
	var list []*endpoint
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		if _, err := getProject(tx, id); err != nil {
			return err
		}
		allowed, err := projectEndpointFilter(tx, id)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(allowed))
		for e := range allowed {
			ids = append(ids, e)
		}
		slices.Sort(ids)
		list, err = endpointsByID(tx, ids)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeCollection(w, r, "endpoints", s.endpointViews(r, list), "", false)
}

// listEndpointProjects lists the projects directly associated with an
// endpoint.
func (s *Service) listEndpointProjects(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpoint_id")
	if err := s.enforce(r, "identity:list_projects_for_endpoint", map[string]any{"endpoint_id": id}); err != nil {
		return err
	}
	var list []*project
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		if _, err := getEndpoint(tx, id); err != nil {
			return err
		}
		ids, err := tx.Strings("SELECT project_id FROM identity_project_endpoints WHERE endpoint_id = ? ORDER BY project_id", id)
		if err != nil {
			return err
		}
		list, err = projectsByID(tx, ids)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeCollection(w, r, "projects", s.projectViews(r, list), "", false)
}

// withProjectEndpoint checks rule, then loads the path's endpoint and
// project (endpoint first, as upstream).
func (s *Service) withProjectEndpoint(r *http.Request, rule string, write bool, fn func(tx *db.Tx, projectID, endpointID string) error) error {
	projectID, endpointID := r.PathValue("project_id"), r.PathValue("endpoint_id")
	if err := s.enforce(r, rule, map[string]any{"project_id": projectID, "endpoint_id": endpointID}); err != nil {
		return err
	}
	run := s.db.Read
	if write {
		run = s.db.Write
	}
	return run(r.Context(), func(tx *db.Tx) error {
		if _, err := getEndpoint(tx, endpointID); err != nil {
			return err
		}
		if _, err := getProject(tx, projectID); err != nil {
			return err
		}
		return fn(tx, projectID, endpointID)
	})
}

func (s *Service) addProjectEndpoint(w http.ResponseWriter, r *http.Request) error {
	err := s.withProjectEndpoint(r, "identity:add_endpoint_to_project", true, func(tx *db.Tx, projectID, endpointID string) error {
		_, err := tx.Exec("INSERT INTO identity_project_endpoints (endpoint_id, project_id) VALUES (?, ?)", endpointID, projectID)
		if errors.Is(err, db.ErrConflict) {
			return errs.Conflictf("Conflict occurred attempting to store project_endpoint - Duplicate entry.")
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkProjectEndpoint serves GET and HEAD: 204 when associated.
func (s *Service) checkProjectEndpoint(w http.ResponseWriter, r *http.Request) error {
	err := s.withProjectEndpoint(r, "identity:check_endpoint_in_project", false, requireProjectEndpoint)
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func requireProjectEndpoint(tx *db.Tx, projectID, endpointID string) error {
	ok, err := tx.Exists("SELECT 1 FROM identity_project_endpoints WHERE endpoint_id = ? AND project_id = ?", endpointID, projectID)
	if err == nil && !ok {
		return errs.NotFoundf("Endpoint %s not found in project %s", endpointID, projectID)
	}
	return err
}

// removeProjectEndpoint drops a direct association; like upstream it
// does not look the endpoint or project up first.
func (s *Service) removeProjectEndpoint(w http.ResponseWriter, r *http.Request) error {
	projectID, endpointID := r.PathValue("project_id"), r.PathValue("endpoint_id")
	if err := s.enforce(r, "identity:remove_endpoint_from_project", map[string]any{"project_id": projectID, "endpoint_id": endpointID}); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		n, err := tx.ExecAffected("DELETE FROM identity_project_endpoints WHERE endpoint_id = ? AND project_id = ?", endpointID, projectID)
		if err == nil && n == 0 {
			return requireProjectEndpoint(tx, projectID, endpointID)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
