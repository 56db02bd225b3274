package identity

import (
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// withProject loads the path's project, checks rule and runs fn in a
// write transaction.
func (s *Service) withProject(r *http.Request, rule string, write bool, fn func(tx *db.Tx, p *project) error) error {
	run := s.db.Read
	if write {
		run = s.db.Write
	}
	return run(r.Context(), func(tx *db.Tx) error {
		p, err := getProject(tx, r.PathValue("project_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, rule, projectPolicyTarget(p)); err != nil {
			return err
		}
		return fn(tx, p)
	})
}

func (s *Service) listProjectTags(w http.ResponseWriter, r *http.Request) error {
	var tags []string
	err := s.withProject(r, "identity:list_project_tags", false, func(_ *db.Tx, p *project) error {
		tags = p.Tags
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"tags": nonNilStrings(tags)})
}

func (s *Service) replaceProjectTags(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Tags *[]string `json:"tags"`
	}
	if err := httpx.DecodeJSON(r, &body); err != nil {
		return err
	}
	if body.Tags == nil {
		return errs.BadRequestf("Expecting to find tags in request body.")
	}
	tags, err := checkTags(body.Tags)
	if err != nil {
		return err
	}
	err = s.withProject(r, "identity:update_project_tags", true, func(tx *db.Tx, p *project) error {
		return setTags(tx, p.ID, tags)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"tags": tags})
}

func (s *Service) deleteProjectTags(w http.ResponseWriter, r *http.Request) error {
	err := s.withProject(r, "identity:delete_project_tags", true, func(tx *db.Tx, p *project) error {
		return setTags(tx, p.ID, nil)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) checkProjectTag(w http.ResponseWriter, r *http.Request) error {
	err := s.withProject(r, "identity:get_project_tag", false, func(_ *db.Tx, p *project) error {
		if !slices.Contains(p.Tags, r.PathValue("tag")) {
			return errs.NotFoundf("Tag %s not found for project %s.", r.PathValue("tag"), p.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) addProjectTag(w http.ResponseWriter, r *http.Request) error {
	tag := r.PathValue("tag")
	if err := checkTag(tag); err != nil {
		return err
	}
	err := s.withProject(r, "identity:create_project_tag", true, func(tx *db.Tx, p *project) error {
		if slices.Contains(p.Tags, tag) {
			return nil
		}
		if len(p.Tags) >= 80 {
			return errs.BadRequestf("Invalid input for field 'tags': a project may have at most 80 tags.")
		}
		_, err := tx.Exec("INSERT INTO identity_project_tags (project_id, name) VALUES (?, ?)", p.ID, tag)
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", s.selfLink(r, "/v3/projects/"+r.PathValue("project_id")+"/tags/"+tag))
	w.WriteHeader(http.StatusCreated)
	return nil
}

func (s *Service) deleteProjectTag(w http.ResponseWriter, r *http.Request) error {
	err := s.withProject(r, "identity:delete_project_tag", true, func(tx *db.Tx, p *project) error {
		n, err := tx.ExecAffected("DELETE FROM identity_project_tags WHERE project_id = ? AND name = ?", p.ID, r.PathValue("tag"))
		if err == nil && n == 0 {
			return errs.NotFoundf("Tag %s not found for project %s.", r.PathValue("tag"), p.ID)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
