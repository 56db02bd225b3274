package identity

import (
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

func (s *Service) createDomain(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:create_domain", nil); err != nil {
		return err
	}
	var in projectInput
	extra, err := decodeEntity(r, "domain", &in)
	if err != nil {
		return err
	}
	d, err := s.newDomain(&in, extra)
	if err != nil {
		return err
	}
	if err := s.db.Write(r.Context(), func(tx *db.Tx) error { return insertProject(tx, d) }); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"domain": s.domainView(r, d)})
}

// newDomain validates a domain create request.
func (s *Service) newDomain(in *projectInput, extra map[string]any) (*project, error) {
	if err := checkName("name", in.Name, 64); err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	id := s.newID()
	if in.ExplicitID != nil {
		if err := checkString("explicit_domain_id", *in.ExplicitID, 1, 64); err != nil {
			return nil, err
		}
		id = *in.ExplicitID
	}
	extra, err = applyOptions("domain", extra, in.Options)
	if err != nil {
		return nil, err
	}
	return &project{ID: id, Name: trimName(*in.Name), Description: stringOr(in.Description, ""),
		Enabled: boolOr(in.Enabled, true), DomainID: rootDomainID, IsDomain: true, Extra: extra, Tags: tags}, nil
}

func (s *Service) getDomainHandler(w http.ResponseWriter, r *http.Request) error {
	var d *project
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		d, err = getDomain(tx, r.PathValue("domain_id"))
		return err
	})
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			if perr := s.enforce(r, "identity:get_domain", map[string]any{"domain_id": r.PathValue("domain_id")}); perr != nil {
				return perr
			}
		}
		return err
	}
	if err := s.enforce(r, "identity:get_domain", domainTarget(d)); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"domain": s.domainView(r, d)})
}

func domainTarget(d *project) map[string]any {
	return map[string]any{"domain_id": d.ID, "target": map[string]any{"domain": projectTarget(d)}}
}

func (s *Service) listDomains(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_domains", nil); err != nil {
		return err
	}
	q := db.NewQuery("SELECT "+projectSelect+" FROM identity_projects").Where("is_domain = ?", true)
	for _, f := range httpx.ParseFilters(r.URL.Query(), []string{"name", "enabled"}, []string{"name"}) {
		if f.Key == "enabled" {
			q.Where("enabled = ?", httpx.ParseBool(f.Value))
			continue
		}
		q.Match(f.Key, string(f.Op), f.Value)
	}
	var list []*project
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryProjects(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(p *project) string { return p.ID })
	out := make([]api.Domain, len(list))
	for i, d := range list {
		out[i] = s.domainView(r, d)
	}
	return s.writeCollection(w, r, "domains", out, next, truncated)
}

func (s *Service) updateDomain(w http.ResponseWriter, r *http.Request) error {
	var in projectInput
	extra, err := decodeEntity(r, "domain", &in)
	if err != nil {
		return err
	}
	var d *project
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		d, err = getDomain(tx, r.PathValue("domain_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "identity:update_domain", domainTarget(d)); err != nil {
			return err
		}
		wasEnabled := d.Enabled
		if err := applyProjectUpdate(d, &in, extra, "domain"); err != nil {
			return err
		}
		if err := updateProject(tx, d); err != nil {
			return err
		}
		if wasEnabled && !d.Enabled {
			return s.revoke(tx, revocation{DomainID: d.ID})
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"domain": s.domainView(r, d)})
}

func (s *Service) deleteDomain(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		d, err := getDomain(tx, r.PathValue("domain_id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "identity:delete_domain", domainTarget(d)); err != nil {
			return err
		}
		if d.Enabled {
			return errs.Forbiddenf("Cannot delete a domain that is enabled, please disable it first.")
		}
		if isImmutable(d.Extra) {
			return errs.Forbiddenf("Unable to delete immutable domain resource: `%s`. Set resource option \"immutable\" to false first.", d.ID)
		}
		return s.deleteDomainCascade(tx, d)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteDomainCascade removes a domain and everything it owns: its projects
// (leaves first), users, groups, domain-specific roles, grants and its
// domain-specific configuration.
func (s *Service) deleteDomainCascade(tx *db.Tx, d *project) error {
	tree, err := subtree(tx, d.ID)
	if err != nil {
		return err
	}
	for i := len(tree) - 1; i >= 0; i-- {
		if err := s.deleteProjectRow(tx, tree[i].ID); err != nil {
			return err
		}
	}
	users, err := tx.Strings("SELECT id FROM identity_users WHERE domain_id = ?", d.ID)
	if err != nil {
		return err
	}
	for _, u := range users {
		if err := s.deleteUserRow(tx, u); err != nil {
			return err
		}
	}
	groups, err := tx.Strings("SELECT id FROM identity_groups WHERE domain_id = ?", d.ID)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := deleteGroupRow(tx, g); err != nil {
			return err
		}
	}
	roles, err := tx.Strings("SELECT id FROM identity_roles WHERE domain_id = ?", d.ID)
	if err != nil {
		return err
	}
	for _, id := range roles {
		if err := deleteRoleRow(tx, id); err != nil {
			return err
		}
	}
	if _, err := tx.Exec("DELETE FROM identity_assignments WHERE target_id = ?", d.ID); err != nil {
		return err
	}
	if err := deleteDomainConfigRows(tx, d.ID, "", ""); err != nil {
		return err
	}
	if _, err := tx.Exec("DELETE FROM identity_projects WHERE id = ?", d.ID); err != nil {
		return err
	}
	return s.revoke(tx, revocation{DomainID: d.ID})
}
