package placement

import (
	"net/http"
	"regexp"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// providerUsages is every inventory class of a provider with its usage
// (0 when unused), as upstream's left join gives.
func providerUsages(tx *db.Tx, uuid string) (map[string]int, error) {
	inv, err := loadInventories(tx, uuid)
	if err != nil {
		return nil, err
	}
	used, err := loadUsages(tx, uuid)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for rc := range inv {
		out[rc] = used[rc]
	}
	return out, nil
}

func (s *Service) providerUsagesHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:usages"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	var p *provider
	var usages map[string]int
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = findProvider(tx, uuid); err != nil || p == nil {
			return err
		}
		usages, err = providerUsages(tx, uuid)
		return err
	})
	if err != nil {
		return err
	}
	if p == nil {
		return notFound("No resource provider with uuid " + uuid + " found")
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"usages": usages, "resource_provider_generation": p.Generation})
}

var consumerTypeQuery = regexp.MustCompile(`^[A-Z0-9_]+$|^all$|^unknown$`)

// totalUsages is GET /usages (1.9): a project's (and user's) usage, and
// from 1.38 grouped by consumer type with consumer counts.
func (s *Service) totalUsages(w http.ResponseWriter, r *http.Request) error {
	q, v := r.URL.Query(), want(r)
	allowed := []string{"project_id", "user_id"}
	if v.AtLeast(38) {
		allowed = append(allowed, "consumer_type")
	}
	if err := allowedQuery(q, allowed...); err != nil {
		return err
	}
	if !q.Has("project_id") {
		return badRequest("Invalid query string parameters: 'project_id' is a required property")
	}
	ctype := q.Get("consumer_type")
	if q.Has("consumer_type") && !consumerTypeQuery.MatchString(ctype) {
		return badRequest("Invalid query string parameters: '" + ctype + "' does not match '^[A-Z0-9_]+$|^all|^unknown$'")
	}
	project := q.Get("project_id")
	if err := s.enforceTarget(r, "placement:usages", map[string]any{"project_id": project}); err != nil {
		return err
	}
	sqlText := "SELECT c.consumer_type, a.consumer_uuid, a.resource_class, a.used FROM placement_allocations a " +
		"JOIN placement_consumers c ON c.uuid = a.consumer_uuid WHERE c.project_id = ?"
	args := []any{project}
	if q.Has("user_id") {
		sqlText += " AND c.user_id = ?"
		args = append(args, q.Get("user_id"))
	}
	flat := map[string]int{}
	byType := map[string]map[string]int{}
	consumers := map[string]map[string]bool{}
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		rows, err := tx.Query(sqlText, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t, c, rc string
			var used int
			if err := rows.Scan(&t, &c, &rc, &used); err != nil {
				return err
			}
			if ctype == "all" {
				t = "all"
			}
			if ctype != "" && ctype != "all" && t != ctype {
				continue
			}
			flat[rc] += used
			if byType[t] == nil {
				byType[t], consumers[t] = map[string]int{}, map[string]bool{}
			}
			byType[t][rc] += used
			consumers[t][c] = true
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	if !v.AtLeast(38) {
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{"usages": flat})
	}
	out := map[string]any{}
	for t, u := range byType {
		entry := map[string]any{"consumer_count": len(consumers[t])}
		for rc, n := range u {
			entry[rc] = n
		}
		out[t] = entry
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"usages": out})
}
