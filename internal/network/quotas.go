package network

import (
	"fmt"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// dbIntegerMax is neutron_lib's DB_INTEGER_MAX_VALUE, a limit's ceiling.
const dbIntegerMax = 2147483647

// addQuotaRoutes adds the quotas and quota_details routes.
func (s *Service) addQuotaRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/quotas", s.listQuotas)
	rt.Handle("POST", "/v2.0/quotas", s.createQuota)
	rt.Handle("GET", "/v2.0/quotas/tenant", s.quotaProject("tenant"))
	rt.Handle("GET", "/v2.0/quotas/project", s.quotaProject("project"))
	rt.Handle("GET", "/v2.0/quotas/{project_id}", s.showQuota)
	rt.Handle("PUT", "/v2.0/quotas/{project_id}", s.updateQuota)
	rt.Handle("DELETE", "/v2.0/quotas/{project_id}", s.deleteQuota)
	rt.Handle("GET", "/v2.0/quotas/{project_id}/default", s.defaultQuota)
	rt.Handle("GET", "/v2.0/quotas/{project_id}/details", s.quotaDetails)
	rt.Handle("GET", "/v2.0/quotas/{project_id}/details.json", s.quotaDetails) // openstacksdk's path
}

// quotaBody is the attribute map of a quota update: one integer per
// registered resource, and the force and check_limit flags.
func quotaBody() *Resource {
	attrs := []Attr{{Name: "force", Put: true}, {Name: "check_limit", Put: true}}
	for _, q := range quotaResources {
		attrs = append(attrs, Attr{Name: q.Name, Put: true, Convert: toInt, Validate: intRange(-1, dbIntegerMax)})
	}
	return NewResource("quota", "quotas", attrs)
}

// intRange is type:range.
func intRange(min, max int64) func(any) string {
	return func(v any) string {
		i, ok := v.(int64)
		switch {
		case !ok:
			return fmt.Sprintf("'%s' is not an integer", pyStr(v))
		case i < min:
			return fmt.Sprintf("'%d' is too small - must be at least '%d'", i, min)
		case i > max:
			return fmt.Sprintf("'%d' is too large - must be no larger than '%d'", i, max)
		}
		return ""
	}
}

// enforceQuota is validate_policy: the rule against the caller's project.
func (s *Service) enforceQuota(r *http.Request, rule string) error {
	return s.enforce(r, rule, map[string]any{"project_id": projectOf(r), "tenant_id": projectOf(r)}, nil)
}

func (s *Service) listQuotas(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforceQuota(r, "get_quota"); err != nil {
		return err
	}
	out := []map[string]any{}
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		projects, err := quotaProjects(tx)
		if err != nil {
			return err
		}
		for _, p := range projects {
			limits, err := s.quotaLimits(tx, p)
			if err != nil {
				return err
			}
			m := map[string]any{"project_id": p, "tenant_id": p}
			for k, v := range limits {
				m[k] = v
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quotas": out})
}

func (s *Service) createQuota(w http.ResponseWriter, r *http.Request) error {
	return neutronerr.HTTPNotImplemented("POST requests are not supported on this resource.")
}

// quotaProject answers /quotas/tenant and /quotas/project: the caller's project.
func (s *Service) quotaProject(key string) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := projectOf(r)
		if p == "" {
			return neutronerr.QuotaMissingTenant()
		}
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{key: map[string]any{key + "_id": p}})
	}
}

func (s *Service) showQuota(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("project_id")
	if id != projectOf(r) {
		if err := s.enforceQuota(r, "get_quota"); err != nil {
			return err
		}
	}
	var limits map[string]int64
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		limits, err = s.quotaLimits(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota": limits})
}

func (s *Service) defaultQuota(w http.ResponseWriter, r *http.Request) error {
	if r.PathValue("project_id") != projectOf(r) {
		if err := s.enforceQuota(r, "get_quota"); err != nil {
			return err
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota": s.quotaDefaults()})
}

func (s *Service) quotaDetails(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("project_id")
	if id != projectOf(r) && !s.isAdmin(r) {
		return neutronerr.AdminRequired("Only admin is authorized to access quotas for another project")
	}
	out := map[string]any{}
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		limits, err := s.quotaLimits(tx, id)
		if err != nil {
			return err
		}
		for i := range quotaResources {
			q := &quotaResources[i]
			used, err := quotaUsed(tx, q, id)
			if err != nil {
				return err
			}
			out[q.Name] = map[string]any{"limit": limits[q.Name], "used": used, "reserved": 0}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota": out})
}

func (s *Service) updateQuota(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("project_id")
	if err := s.enforceQuota(r, "update_quota"); err != nil {
		return err
	}
	items, _, err := s.decodeBody(r, quotaBody(), false)
	if err != nil {
		return err
	}
	item := items[0]
	checkLimit := truthy(item["check_limit"])
	var limits map[string]int64
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		for _, q := range quotaResources {
			limit, ok := item[q.Name].(int64)
			if !ok {
				continue
			}
			if checkLimit {
				if err := checkQuotaLimit(tx, &q, id, limit); err != nil {
					return err
				}
			}
			if err := setQuotaLimit(tx, id, q.Name, limit); err != nil {
				return err
			}
		}
		limits, err = s.quotaLimits(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota": limits})
}

// checkQuotaLimit is check_limit: a limit below the usage is refused (an
// unlimited one never is, where upstream compares -1 with the usage).
func checkQuotaLimit(tx *db.Tx, q *quotaResource, project string, limit int64) error {
	if limit < 0 {
		return nil
	}
	used, err := quotaUsed(tx, q, project)
	if err != nil || used <= limit {
		return err
	}
	return neutronerr.HTTPBadRequest(fmt.Sprintf("Quota limit %d for %s must be greater than or equal to already used %d",
		limit, q.Name, used))
}

// truthy is Python's bool() of a decoded JSON value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	}
	return true
}

func (s *Service) deleteQuota(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("project_id")
	if err := s.enforceQuota(r, "delete_quota"); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error { return deleteQuotaLimits(tx, id) })
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
