package compute

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// serverGroup is a compute_server_groups row with its live members.
type serverGroup struct {
	UUID      string
	Name      string
	ProjectID string
	UserID    string
	Policy    string
	Rules     map[string]any
	Members   []string
}

var groupPolicies = []string{"anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity"}

func groupNotFound(id string) error {
	return errs.NotFoundf("Instance group %s could not be found.", id)
}

// loadServerGroup reads a group and its members that are not deleted.
func loadServerGroup(tx *db.Tx, id string) (*serverGroup, error) {
	g := &serverGroup{UUID: id}
	var rules string
	err := tx.QueryRow(`SELECT name, project_id, user_id, policy, rules FROM compute_server_groups WHERE uuid = ?`, id).
		Scan(&g.Name, &g.ProjectID, &g.UserID, &g.Policy, &rules)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, groupNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(rules), &g.Rules); err != nil {
		return nil, err
	}
	g.Members, err = tx.Strings(`SELECT m.instance_uuid FROM compute_server_group_members m
		JOIN compute_instances i ON i.uuid = m.instance_uuid
		WHERE m.group_uuid = ? AND i.deleted = FALSE ORDER BY i.created_at, i.uuid`, id)
	return g, err
}

// checkGroupMemberQuota refuses adding n members past server_group_members.
func checkGroupMemberQuota(tx *db.Tx, g *serverGroup, n int) error {
	limit, err := quotaLimit(tx, g.ProjectID, "server_group_members")
	if err != nil {
		return err
	}
	if limit >= 0 && len(g.Members)+n > limit {
		return errs.Forbiddenf("Quota exceeded, too many servers in group")
	}
	return nil
}

// groupView is a server group as the microversion shows it.
func groupView(g *serverGroup, v httpx.Microversion) map[string]any {
	out := map[string]any{"id": g.UUID, "name": g.Name, "members": nonNil(g.Members)}
	if v.AtLeast(64) {
		out["policy"] = g.Policy
		out["rules"] = g.Rules
	} else {
		out["policies"] = []string{g.Policy}
		out["metadata"] = map[string]any{}
	}
	if v.AtLeast(13) {
		out["project_id"] = g.ProjectID
		out["user_id"] = g.UserID
	}
	return out
}

// createServerGroup is POST /os-server-groups.
func (s *Service) createServerGroup(w http.ResponseWriter, r *http.Request) error {
	tok := caller(r)
	if err := s.enforce(r, "os_compute_api:os-server-groups:create", map[string]any{"project_id": tok.ProjectID()}); err != nil {
		return err
	}
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	g, err := parseServerGroup(body, version(r))
	if err != nil {
		return err
	}
	g.UUID, g.ProjectID, g.UserID = s.newID(), tok.ProjectID(), tok.UserID
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := checkServerGroupQuota(tx, g.ProjectID); err != nil {
			return err
		}
		rules, _ := json.Marshal(g.Rules)
		_, err := tx.Exec(`INSERT INTO compute_server_groups (uuid, name, project_id, user_id, policy, rules, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, g.UUID, g.Name, g.ProjectID, g.UserID, g.Policy, string(rules), s.now().UnixMicro())
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"server_group": groupView(g, version(r))})
}

func checkServerGroupQuota(tx *db.Tx, projectID string) error {
	limit, err := quotaLimit(tx, projectID, "server_groups")
	if err != nil || limit < 0 {
		return err
	}
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM compute_server_groups WHERE project_id = ?`, projectID).Scan(&n); err != nil {
		return err
	}
	if n+1 > limit {
		return errs.Forbiddenf("Quota exceeded, too many server groups.")
	}
	return nil
}

// parseServerGroup checks a create body: policies before 2.64, policy
// and rules from 2.64.
func parseServerGroup(body jsonObject, v httpx.Microversion) (*serverGroup, error) {
	sg, err := requireBody(body, "server_group")
	if err != nil {
		return nil, err
	}
	keys, required := []string{"name", "policies"}, []string{"name", "policies"}
	if v.AtLeast(64) {
		keys, required = []string{"name", "policy", "rules"}, []string{"name", "policy"}
	}
	if err := onlyKeys("server_group", sg, keys); err != nil {
		return nil, err
	}
	if err := requireKeys("server_group", sg, required...); err != nil {
		return nil, err
	}
	name, err := schemaName("name", sg["name"])
	if err != nil {
		return nil, err
	}
	g := &serverGroup{Name: name, Rules: map[string]any{}}
	allowed := groupPolicies
	if !v.AtLeast(15) {
		allowed = groupPolicies[:2]
	}
	if v.AtLeast(64) {
		return g, g.parsePolicyAndRules(sg)
	}
	list, err := schemaArray("policies", sg["policies"])
	if err != nil {
		return nil, err
	}
	if len(list) != 1 {
		why := pyRepr(sg["policies"]) + " is too long"
		if len(list) == 0 {
			why = "[] is too short"
		}
		return nil, invalidInput("policies", sg["policies"], why)
	}
	p, _ := list[0].(string)
	if !slices.Contains(allowed, p) {
		return nil, invalidInput("policies", list[0], pyRepr(list[0])+" is not one of "+pyRepr(toAnys(allowed)))
	}
	g.Policy = p
	return g, nil
}

func (g *serverGroup) parsePolicyAndRules(sg jsonObject) error {
	p, _ := sg["policy"].(string)
	if !slices.Contains(groupPolicies, p) {
		return invalidInput("policy", sg["policy"], pyRepr(sg["policy"])+" is not one of "+pyRepr(toAnys(groupPolicies)))
	}
	g.Policy = p
	raw, ok := sg["rules"]
	if !ok {
		return nil
	}
	rules, isObj := raw.(jsonObject)
	if !isObj {
		return invalidInput("rules", raw, pyRepr(raw)+" is not of type 'object'")
	}
	if err := onlyKeys("rules", rules, []string{"max_server_per_host"}); err != nil {
		return err
	}
	if m, ok := rules["max_server_per_host"]; ok {
		n, err := schemaInt("max_server_per_host", m, 1)
		if err != nil {
			return err
		}
		g.Rules["max_server_per_host"] = n
	}
	if p != "anti-affinity" && len(rules) > 0 {
		return errs.BadRequestf("Only anti-affinity policy supports rules.")
	}
	return nil
}

func toAnys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// showServerGroup is GET /os-server-groups/{id}.
func (s *Service) showServerGroup(w http.ResponseWriter, r *http.Request) error {
	var g *serverGroup
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		g, err = loadServerGroup(tx, r.PathValue("id"))
		return err
	})
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-server-groups:show", map[string]any{"project_id": g.ProjectID}); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"server_group": groupView(g, version(r))})
}

// deleteServerGroup is DELETE /os-server-groups/{id}.
func (s *Service) deleteServerGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		g, err := loadServerGroup(tx, id)
		if err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:os-server-groups:delete", map[string]any{"project_id": g.ProjectID}); err != nil {
			return err
		}
		_, err = tx.Exec(`DELETE FROM compute_server_groups WHERE uuid = ?`, id)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listServerGroups is GET /os-server-groups (offset/limit paging;
// all_projects for admins).
func (s *Service) listServerGroups(w http.ResponseWriter, r *http.Request) error {
	project := projectOf(r)
	target := map[string]any{"project_id": project}
	if err := s.enforce(r, "os_compute_api:os-server-groups:index", target); err != nil {
		return err
	}
	q := r.URL.Query()
	if version(r).AtLeast(75) {
		if err := onlyQueryKeys(q, "all_projects", "limit", "offset"); err != nil {
			return err
		}
	}
	offset, limit, err := s.offsetLimit(q)
	if err != nil {
		return err
	}
	all := false
	if _, ok := q["all_projects"]; ok && s.isAdmin(r) {
		if err := s.enforce(r, "os_compute_api:os-server-groups:index:all_projects", target); err != nil {
			return err
		}
		all = true
	}
	var out []map[string]any
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		query := db.NewQuery(`SELECT uuid FROM compute_server_groups`).OrderBy("created_at", "uuid")
		if !all {
			query.Where("project_id = ?", project)
		}
		sqlText, args := query.SQL()
		ids, err := tx.Strings(sqlText, args...)
		if err != nil {
			return err
		}
		for _, id := range pageOf(ids, offset, limit) {
			g, err := loadServerGroup(tx, id)
			if err != nil {
				return err
			}
			out = append(out, groupView(g, version(r)))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"server_groups": nonNil(out)})
}

// offsetLimit is Nova's common.limited paging: offset and limit, limit at
// most max_limit.
func (s *Service) offsetLimit(q map[string][]string) (offset, limit int, err error) {
	limit = s.opts.ListLimit
	if v, ok := q["offset"]; ok {
		if offset, err = queryInt("offset", v[0]); err != nil {
			return 0, 0, err
		}
	}
	if v, ok := q["limit"]; ok {
		n, err := queryInt("limit", v[0])
		if err != nil {
			return 0, 0, err
		}
		limit = min(n, limit)
	}
	return offset, limit, nil
}

// queryInt checks a non-negative integer query parameter.
func queryInt(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || v == "" {
		return 0, errs.BadRequestf("Invalid input for query parameters %s. Value: %s. '%s' does not match '^[0-9]*$'", name, v, v)
	}
	return n, nil
}

// onlyQueryKeys refuses query parameters outside keys (a query schema
// with additionalProperties False).
func onlyQueryKeys(q map[string][]string, keys ...string) error {
	for k := range q {
		if !slices.Contains(keys, k) {
			return errs.BadRequestf("Additional properties are not allowed ('%s' was unexpected)", k)
		}
	}
	return nil
}

func pageOf[T any](items []T, offset, limit int) []T {
	if offset >= len(items) {
		return nil
	}
	items = items[offset:]
	if limit < len(items) {
		items = items[:limit]
	}
	return items
}
