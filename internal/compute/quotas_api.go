package compute

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// os-quota-sets and os-quota-class-sets.

var (
	// networkQuotas left the API at 2.36 (quota sets) and 2.50 (classes).
	networkQuotas = []string{"fixed_ips", "floating_ips", "security_groups", "security_group_rules"}
	// personalityQuotas left the API at 2.57.
	personalityQuotas = []string{"injected_files", "injected_file_content_bytes", "injected_file_path_bytes"}
	quotaValuePattern = regexp.MustCompile(`^-?[0-9]+$`)
)

// quotaSetHidden are the resources a quota set does not show at v.
func quotaSetHidden(v httpx.Microversion) []string {
	var out []string
	if v.AtLeast(36) {
		out = append(out, networkQuotas...)
	}
	if v.AtLeast(57) {
		out = append(out, personalityQuotas...)
	}
	return out
}

// quotaClassHidden are the resources a quota class set does not show.
func quotaClassHidden(v httpx.Microversion) []string {
	switch {
	case !v.AtLeast(50):
		return []string{"server_groups", "server_group_members"}
	case !v.AtLeast(57):
		return networkQuotas
	}
	return append(slices.Clone(networkQuotas), personalityQuotas...)
}

// quotaView maps each shown resource through value; id "" is left out.
func quotaView(id string, hidden []string, value func(res string) any) map[string]any {
	out := map[string]any{}
	if id != "" {
		out["id"] = id
	}
	for _, r := range quotaResources {
		if !slices.Contains(hidden, r) {
			out[r] = value(r)
		}
	}
	return out
}

// quotaUserParam is the user_id query parameter ("" when absent), after
// refusing others from 2.75.
func quotaUserParam(r *http.Request) (string, error) {
	q := r.URL.Query()
	if version(r).AtLeast(75) {
		if err := onlyQueryKeys(q, "user_id"); err != nil {
			return "", err
		}
	}
	return q.Get("user_id"), nil
}

// quotaPrologue is the common start of a quota-set request: the query,
// the policy on the project, and (unless skipped) the project check.
func (s *Service) quotaPrologue(r *http.Request, action string, verify bool) (project, user string, err error) {
	if user, err = quotaUserParam(r); err != nil {
		return "", "", err
	}
	project = r.PathValue("id")
	if err = s.enforce(r, "os_compute_api:os-quota-sets:"+action, map[string]any{"project_id": project}); err != nil {
		return "", "", err
	}
	if verify {
		err = s.verifyProject(r, project)
	}
	return project, user, err
}

// effectiveLimits are a project's limits, or its user's when user != "".
func effectiveLimits(tx *db.Tx, project, user string) (map[string]int, error) {
	if user != "" {
		return userLimits(tx, project, user)
	}
	return projectLimits(tx, project)
}

// showQuotaSet is GET /os-quota-sets/{id}.
func (s *Service) showQuotaSet(w http.ResponseWriter, r *http.Request) error {
	project, user, err := s.quotaPrologue(r, "show", true)
	if err != nil {
		return err
	}
	var limits map[string]int
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		limits, err = effectiveLimits(tx, project, user)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota_set": quotaView(project, quotaSetHidden(version(r)),
		func(res string) any { return limits[res] })})
}

// showQuotaDetail is GET /os-quota-sets/{id}/detail: limits with usage.
func (s *Service) showQuotaDetail(w http.ResponseWriter, r *http.Request) error {
	project, user, err := s.quotaPrologue(r, "detail", true)
	if err != nil {
		return err
	}
	var limits, used map[string]int
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if limits, err = effectiveLimits(tx, project, user); err != nil {
			return err
		}
		used, err = quotaUsages(tx, project, user)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota_set": quotaView(project, quotaSetHidden(version(r)),
		func(res string) any { return map[string]int{"limit": limits[res], "in_use": used[res], "reserved": 0} })})
}

// quotaUsages is Nova's _get_usages: instances, cores, ram and server
// groups counted (for the user when given); key pairs and group members
// always 0, as upstream.
func quotaUsages(tx *db.Tx, project, user string) (map[string]int, error) {
	u, err := countInstances(tx, project, user)
	if err != nil {
		return nil, err
	}
	q := `SELECT COUNT(*) FROM compute_server_groups WHERE project_id = ?`
	args := []any{project}
	if user != "" {
		q += ` AND user_id = ?`
		args = append(args, user)
	}
	var groups int
	if err := tx.QueryRow(q, args...).Scan(&groups); err != nil {
		return nil, err
	}
	return map[string]int{"instances": u.Instances, "cores": u.Cores, "ram": u.RAM, "server_groups": groups}, nil
}

// showQuotaDefaults is GET /os-quota-sets/{id}/defaults.
func (s *Service) showQuotaDefaults(w http.ResponseWriter, r *http.Request) error {
	project := r.PathValue("id")
	if err := s.enforce(r, "os_compute_api:os-quota-sets:defaults", map[string]any{"project_id": project}); err != nil {
		return err
	}
	if err := s.verifyProject(r, project); err != nil {
		return err
	}
	var defaults map[string]int
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		defaults, err = quotaDefaults(tx)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota_set": quotaView(project, quotaSetHidden(version(r)),
		func(res string) any { return defaults[res] })})
}

// deleteQuotaSet is DELETE /os-quota-sets/{id}: back to the defaults
// (the user's own limits only, with user_id). 202.
func (s *Service) deleteQuotaSet(w http.ResponseWriter, r *http.Request) error {
	project, user, err := s.quotaPrologue(r, "delete", false)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if user != "" {
			_, err := tx.Exec(`DELETE FROM compute_quotas WHERE project_id = ? AND user_id = ?`, project, user)
			return err
		}
		_, err := tx.Exec(`DELETE FROM compute_quotas WHERE project_id = ?`, project)
		return err
	})
	return accepted(w, err)
}

// quotaUpdateKeys are the keys a quota set update accepts at v.
func quotaUpdateKeys(v httpx.Microversion) []string {
	hidden := quotaSetHidden(v)
	keys := []string{}
	for _, r := range quotaResources {
		if !slices.Contains(hidden, r) {
			keys = append(keys, r)
		}
	}
	if !v.AtLeast(36) {
		keys = append(keys, "networks")
	}
	return append(keys, "force")
}

// parseQuotaValues checks a quota_set / quota_class_set body; force is
// returned separately.
func parseQuotaValues(body jsonObject, key string, allowed []string) (map[string]int, any, error) {
	obj, err := requireBody(body, key)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]int{}
	var force any
	for _, k := range allowed {
		raw, ok := obj[k]
		if !ok {
			continue
		}
		if k == "force" {
			if _, err := schemaBool("force", raw); err != nil {
				return nil, nil, err
			}
			force = raw
			continue
		}
		n, err := quotaValue(k, raw)
		if err != nil {
			return nil, nil, err
		}
		out[k] = n
	}
	return out, force, onlyKeys(key, obj, allowed)
}

// quotaValue checks common_quota: an integer (or digit string) from -1
// to MAX_INT.
func quotaValue(field string, v any) (int, error) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'integer', 'string'")
		}
	case string:
		s = x
		if !quotaValuePattern.MatchString(s) {
			return 0, invalidInput(field, v, pyRepr(v)+" does not match '^-?[0-9]+$'")
		}
	default:
		return 0, invalidInput(field, v, pyRepr(v)+" is not of type 'integer', 'string'")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxDBInt {
		return 0, invalidInput(field, v, fmt.Sprintf("%s is greater than the maximum of %d", s, maxDBInt))
	}
	if n < -1 {
		return 0, invalidInput(field, v, fmt.Sprintf("%d is less than the minimum of -1", n))
	}
	return int(n), nil
}

// updateQuotaSet is PUT /os-quota-sets/{id}: checks every value against
// what is used (and, for a user, what the project has left) unless
// forced, then writes them all.
func (s *Service) updateQuotaSet(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	v := version(r)
	values, force, err := parseQuotaValues(body, "quota_set", quotaUpdateKeys(v))
	if err != nil {
		return err
	}
	project, user, err := s.quotaPrologue(r, "update", true)
	if err != nil {
		return err
	}
	if _, ok := values["networks"]; ok {
		return errs.BadRequestf("The networks quota has been removed")
	}
	forced := false
	if force != nil {
		forced, _ = strictBoolString(pyStr(force))
	}
	var limits map[string]int
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if !forced {
			if err := checkSettable(tx, project, user, values); err != nil {
				return err
			}
		}
		if err := writeQuotas(tx, project, user, values); err != nil {
			return err
		}
		limits, err = effectiveLimits(tx, project, user)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota_set": quotaView("", quotaSetHidden(v),
		func(res string) any { return limits[res] })})
}

// writeQuotas stores limits in resource order.
func writeQuotas(tx *db.Tx, project, user string, values map[string]int) error {
	for _, res := range quotaResources {
		n, ok := values[res]
		if !ok {
			continue
		}
		if _, err := tx.Exec(`DELETE FROM compute_quotas WHERE project_id = ? AND user_id = ? AND resource = ?`, project, user, res); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO compute_quotas (project_id, user_id, resource, hard_limit) VALUES (?, ?, ?, ?)`,
			project, user, res, n); err != nil {
			return err
		}
	}
	return nil
}

// checkSettable is Nova's get_settable_quotas + _validate_quota_limit.
func checkSettable(tx *db.Tx, project, user string, values map[string]int) error {
	bounds, err := settableQuotas(tx, project, user)
	if err != nil {
		return err
	}
	for _, res := range quotaResources {
		n, ok := values[res]
		if !ok {
			continue
		}
		b := bounds[res]
		if unlimitedInf(n) < unlimitedInf(b[0]) {
			return errs.BadRequestf("Quota limit %d for %s must be greater than or equal to already used and reserved %d.", n, res, b[0])
		}
		if unlimitedInf(n) > unlimitedInf(b[1]) {
			return errs.BadRequestf("Quota limit %d for %s must be less than or equal to %d.", n, res, b[1])
		}
	}
	return nil
}

// unlimitedInf orders -1 (unlimited) above every number.
func unlimitedInf(n int) float64 {
	if n == -1 {
		return 1e300
	}
	return float64(n)
}

// settableQuotas are each resource's [minimum, maximum]: for a project,
// at least what it uses and what its users' own limits add up to; for a
// user, at least their usage and at most what the project has left plus
// their current limit.
func settableQuotas(tx *db.Tx, project, user string) (map[string][2]int, error) {
	limits, err := projectLimits(tx, project)
	if err != nil {
		return nil, err
	}
	userSums, err := quotaRows(tx, `SELECT resource, SUM(hard_limit) FROM compute_quotas
		WHERE project_id = ? AND user_id <> '' GROUP BY resource`, project)
	if err != nil {
		return nil, err
	}
	used, err := quotaUsages(tx, project, user)
	if err != nil {
		return nil, err
	}
	own := map[string]int{}
	if user != "" {
		if own, err = userQuotas(tx, project, user); err != nil {
			return nil, err
		}
	}
	out := map[string][2]int{}
	for _, res := range quotaResources {
		remains := limits[res] - userSums[res]
		if limits[res] <= -1 {
			remains = -1
		}
		if user != "" {
			out[res] = [2]int{used[res], sumQuota(remains, own[res])}
			continue
		}
		minimum := limits[res] - remains
		if limits[res] <= -1 || remains <= -1 {
			minimum = -1
		}
		out[res] = [2]int{max(minimum, used[res]), -1}
	}
	return out, nil
}

func sumQuota(a, b int) int {
	if a <= -1 || b <= -1 {
		return -1
	}
	return a + b
}

// showQuotaClass is GET /os-quota-class-sets/{id}.
func (s *Service) showQuotaClass(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-quota-class-sets:show", map[string]any{}); err != nil {
		return err
	}
	class := r.PathValue("id")
	var limits map[string]int
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		limits, err = quotaClassLimits(tx, class)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota_class_set": quotaView(class, quotaClassHidden(version(r)),
		func(res string) any { return limits[res] })})
}

// quotaClassKeys are the keys a quota class update accepts at v.
func quotaClassKeys(v httpx.Microversion) []string {
	keys := slices.Clone(quotaResources)
	if !v.AtLeast(50) {
		return append(keys, "networks")
	}
	hidden := quotaClassHidden(v)
	return slices.DeleteFunc(keys, func(k string) bool { return slices.Contains(hidden, k) })
}

// updateQuotaClass is PUT /os-quota-class-sets/{id}.
func (s *Service) updateQuotaClass(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	v := version(r)
	values, _, err := parseQuotaValues(body, "quota_class_set", quotaClassKeys(v))
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-quota-class-sets:update", map[string]any{}); err != nil {
		return err
	}
	class := r.PathValue("id")
	if n := len([]rune(class)); n > 255 {
		return errs.BadRequestf("quota_class_name has %d characters, more than 255.", n)
	}
	var limits map[string]int
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		for res, n := range values {
			if _, err := tx.Exec(`DELETE FROM compute_quota_classes WHERE class_name = ? AND resource = ?`, class, res); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO compute_quota_classes (class_name, resource, hard_limit) VALUES (?, ?, ?)`, class, res, n); err != nil {
				return err
			}
		}
		limits, err = quotaClassLimits(tx, class)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"quota_class_set": quotaView("", quotaClassHidden(v),
		func(res string) any { return limits[res] })})
}
