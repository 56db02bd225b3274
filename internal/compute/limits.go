package compute

import (
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// GET /limits: the project's absolute limits and what it uses; rate
// limits are always empty.

// absoluteLimitNames are the limits view names of each quota resource.
var absoluteLimitNames = []struct {
	resource string
	names    []string
}{
	{"ram", []string{"maxTotalRAMSize"}}, {"instances", []string{"maxTotalInstances"}},
	{"cores", []string{"maxTotalCores"}}, {"key_pairs", []string{"maxTotalKeypairs"}},
	{"floating_ips", []string{"maxTotalFloatingIps"}}, {"metadata_items", []string{"maxServerMeta", "maxImageMeta"}},
	{"injected_files", []string{"maxPersonality"}}, {"injected_file_content_bytes", []string{"maxPersonalitySize"}},
	{"security_groups", []string{"maxSecurityGroups"}}, {"security_group_rules", []string{"maxSecurityGroupRules"}},
	{"server_groups", []string{"maxServerGroups"}}, {"server_group_members", []string{"maxServerGroupMembers"}},
}

// usedLimitNames are the limits view names of usage.
var usedLimitNames = map[string]string{"totalRAMUsed": "ram", "totalCoresUsed": "cores",
	"totalInstancesUsed": "instances", "totalFloatingIpsUsed": "floating_ips",
	"totalSecurityGroupsUsed": "security_groups", "totalServerGroupsUsed": "server_groups"}

// limitsHidden are the resources GET /limits leaves out at v: network
// ones from 2.36, personality ones from 2.57.
func limitsHidden(v httpx.Microversion) []string {
	var out []string
	if v.AtLeast(36) {
		out = append(out, "floating_ips", "security_groups", "security_group_rules")
	}
	if v.AtLeast(57) {
		out = append(out, "injected_files", "injected_file_content_bytes")
	}
	return out
}

// showLimits is GET /limits (tenant_id for another project, by policy).
func (s *Service) showLimits(w http.ResponseWriter, r *http.Request) error {
	v := version(r)
	q := r.URL.Query()
	if v.AtLeast(75) {
		if err := onlyQueryKeys(q, "tenant_id"); err != nil {
			return err
		}
	}
	if err := s.enforce(r, "os_compute_api:limits", map[string]any{}); err != nil {
		return err
	}
	project := projectOf(r)
	if q.Has("tenant_id") {
		project = q.Get("tenant_id")
		if err := s.enforce(r, "os_compute_api:limits:other_project", callerTarget(r)); err != nil {
			return err
		}
	}
	var limits, used map[string]int
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if limits, err = projectLimits(tx, project); err != nil {
			return err
		}
		used, err = quotaUsages(tx, project, "")
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"limits": map[string]any{
		"rate": []any{}, "absolute": absoluteLimits(limits, used, v)}})
}

// absoluteLimits is the limits view's "absolute" object; maxImageMeta
// goes at 2.39.
func absoluteLimits(limits, used map[string]int, v httpx.Microversion) map[string]int {
	hidden := limitsHidden(v)
	out := map[string]int{}
	for _, l := range absoluteLimitNames {
		if slices.Contains(hidden, l.resource) {
			continue
		}
		for _, name := range l.names {
			if name == "maxImageMeta" && v.AtLeast(39) {
				continue
			}
			out[name] = limits[l.resource]
		}
	}
	for name, res := range usedLimitNames {
		if !slices.Contains(hidden, res) {
			out[name] = used[res]
		}
	}
	return out
}
