package identity

import (
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// prohibitedImplied lists roles no rule may imply (upstream's
// prohibited_implied_role default).
var prohibitedImplied = []string{"admin"}

func (s *Service) roleBrief(r *http.Request, ro *role) map[string]any {
	return map[string]any{"id": ro.ID, "name": ro.Name, "links": map[string]any{"self": s.selfLink(r, "/v3/roles/"+ro.ID)}}
}

// inferenceBody renders {"role_inference": {"prior_role", "implies"}, "links"}.
func (s *Service) inferenceBody(r *http.Request, prior *role, implies any) map[string]any {
	return map[string]any{"role_inference": map[string]any{"prior_role": s.roleBrief(r, prior), "implies": implies},
		"links": map[string]any{"self": s.selfLink(r, r.URL.Path)}}
}

// withImplication loads the prior and implied roles of the path.
func (s *Service) withImplication(r *http.Request, rule string, write bool, fn func(tx *db.Tx, prior, implied *role) error) error {
	run := s.db.Read
	if write {
		run = s.db.Write
	}
	return run(r.Context(), func(tx *db.Tx) error {
		prior, err := getRole(tx, r.PathValue("prior_role_id"))
		if err != nil {
			return err
		}
		implied, err := getRole(tx, r.PathValue("implied_role_id"))
		if err != nil {
			return err
		}
		target := map[string]any{"prior_role_id": prior.ID, "implied_role_id": implied.ID}
		if err := s.enforce(r, rule, target); err != nil {
			return err
		}
		return fn(tx, prior, implied)
	})
}

func (s *Service) createImpliedRole(w http.ResponseWriter, r *http.Request) error {
	var body map[string]any
	err := s.withImplication(r, "identity:create_implied_role", true, func(tx *db.Tx, prior, implied *role) error {
		if slices.Contains(prohibitedImplied, implied.Name) {
			return errs.Forbiddenf("%s is not permitted to be an implied role", implied.Name)
		}
		if prior.DomainID == "" && implied.DomainID != "" {
			return errs.Forbiddenf("Global role %s cannot imply the domain-specific role %s.", prior.ID, implied.ID)
		}
		rules, err := impliedRules(tx)
		if err != nil {
			return err
		}
		if prior.ID == implied.ID || slices.Contains(expandImplied([]string{implied.ID}, rules), prior.ID) {
			return errs.Forbiddenf("Implying %s from %s would create a loop of implied roles.", implied.ID, prior.ID)
		}
		if _, err := tx.Exec("INSERT INTO identity_implied_roles (prior_role_id, implied_role_id) VALUES (?, ?) ON CONFLICT DO NOTHING", prior.ID, implied.ID); err != nil {
			return err
		}
		body = s.inferenceBody(r, prior, s.roleBrief(r, implied))
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, body)
}

func (s *Service) getImpliedRole(w http.ResponseWriter, r *http.Request) error {
	var body map[string]any
	err := s.withImplication(r, "identity:get_implied_role", false, func(tx *db.Tx, prior, implied *role) error {
		ok, err := tx.Exists("SELECT 1 FROM identity_implied_roles WHERE prior_role_id = ? AND implied_role_id = ?", prior.ID, implied.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFoundf("%s does not imply %s.", prior.ID, implied.ID)
		}
		body = s.inferenceBody(r, prior, s.roleBrief(r, implied))
		return nil
	})
	if err != nil {
		return err
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

func (s *Service) deleteImpliedRole(w http.ResponseWriter, r *http.Request) error {
	err := s.withImplication(r, "identity:delete_implied_role", true, func(tx *db.Tx, prior, implied *role) error {
		n, err := tx.ExecAffected("DELETE FROM identity_implied_roles WHERE prior_role_id = ? AND implied_role_id = ?", prior.ID, implied.ID)
		if err == nil && n == 0 {
			return errs.NotFoundf("%s does not imply %s.", prior.ID, implied.ID)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) listImpliedRoles(w http.ResponseWriter, r *http.Request) error {
	var body map[string]any
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		prior, err := getRole(tx, r.PathValue("prior_role_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "identity:list_implied_roles", map[string]any{"prior_role_id": prior.ID}); err != nil {
			return err
		}
		ids, err := tx.Strings("SELECT implied_role_id FROM identity_implied_roles WHERE prior_role_id = ? ORDER BY implied_role_id", prior.ID)
		if err != nil {
			return err
		}
		implied, err := rolesByID(tx, ids)
		if err != nil {
			return err
		}
		list := make([]map[string]any, len(implied))
		for i, ro := range implied {
			list[i] = s.roleBrief(r, ro)
		}
		body = s.inferenceBody(r, prior, list)
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

func (s *Service) listRoleInferences(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_role_inference_rules", nil); err != nil {
		return err
	}
	var out []map[string]any
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		rules, err := impliedRules(tx)
		if err != nil {
			return err
		}
		priors := make([]string, 0, len(rules))
		for p := range rules {
			priors = append(priors, p)
		}
		slices.Sort(priors)
		for _, pid := range priors {
			prior, err := getRole(tx, pid)
			if err != nil {
				return err
			}
			implied, err := rolesByID(tx, rules[pid])
			if err != nil {
				return err
			}
			list := make([]map[string]any, len(implied))
			for i, ro := range implied {
				list[i] = s.roleBrief(r, ro)
			}
			out = append(out, map[string]any{"prior_role": s.roleBrief(r, prior), "implies": list})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if out == nil {
		out = []map[string]any{}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"role_inferences": out,
		"links": map[string]any{"self": s.selfLink(r, r.URL.Path), "previous": nil, "next": nil}})
}
