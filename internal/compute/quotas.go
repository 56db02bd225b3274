package compute

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// Quotas as Nova's DbQuotaDriver keeps them: a limit per project (and
// optionally per user in it), else the "default" quota class, else the
// configured default. Usage is counted from live rows, never reserved.

// quotaResources are Nova's quota resources in its order.
var quotaResources = []string{"instances", "cores", "ram", "metadata_items", "injected_files",
	"injected_file_content_bytes", "injected_file_path_bytes", "key_pairs", "server_groups",
	"server_group_members", "fixed_ips", "floating_ips", "security_groups", "security_group_rules"}

// novaQuotaDefaultLimits are Nova's [quota] defaults; the nova-network
// resources have no option and are unlimited.
var novaQuotaDefaultLimits = map[string]int{"instances": 10, "cores": 20, "ram": 51200,
	"metadata_items": 128, "injected_files": 5, "injected_file_content_bytes": 10240,
	"injected_file_path_bytes": 255, "key_pairs": 100, "server_groups": 10, "server_group_members": 10,
	"fixed_ips": -1, "floating_ips": -1, "security_groups": -1, "security_group_rules": -1}

// quotaRows reads resource → hard_limit rows.
func quotaRows(tx *db.Tx, q string, args ...any) (map[string]int, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var res string
		var n int
		if err := rows.Scan(&res, &n); err != nil {
			return nil, err
		}
		out[res] = n
	}
	return out, rows.Err()
}

// quotaDefaults are the limits of a project with none of its own: the
// "default" class over the configured defaults over Nova's.
func quotaDefaults(tx *db.Tx) (map[string]int, error) {
	return quotaClassLimits(tx, "default")
}

// quotaClassLimits are a quota class's limits, defaults filling the gaps.
func quotaClassLimits(tx *db.Tx, class string) (map[string]int, error) {
	conf, err := quotaRows(tx, `SELECT resource, hard_limit FROM compute_quota_defaults`)
	if err != nil {
		return nil, err
	}
	cls, err := quotaRows(tx, `SELECT resource, hard_limit FROM compute_quota_classes WHERE class_name = ?`, class)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(quotaResources))
	for _, r := range quotaResources {
		out[r] = firstOf(r, cls, conf, novaQuotaDefaultLimits)
	}
	return out, nil
}

func firstOf(key string, maps ...map[string]int) int {
	for _, m := range maps {
		if v, ok := m[key]; ok {
			return v
		}
	}
	return 0
}

// projectQuotas are a project's own limits (only those set).
func projectQuotas(tx *db.Tx, projectID string) (map[string]int, error) {
	return quotaRows(tx, `SELECT resource, hard_limit FROM compute_quotas WHERE project_id = ? AND user_id = ''`, projectID)
}

// userQuotas are a project user's own limits (only those set).
func userQuotas(tx *db.Tx, projectID, userID string) (map[string]int, error) {
	return quotaRows(tx, `SELECT resource, hard_limit FROM compute_quotas WHERE project_id = ? AND user_id = ?`, projectID, userID)
}

// projectLimits are a project's effective limits for every resource.
func projectLimits(tx *db.Tx, projectID string) (map[string]int, error) {
	defaults, err := quotaDefaults(tx)
	if err != nil {
		return nil, err
	}
	own, err := projectQuotas(tx, projectID)
	if err != nil {
		return nil, err
	}
	for r, v := range own {
		defaults[r] = v
	}
	return defaults, nil
}

// userLimits are a project user's effective limits: the user's own, else
// the project's.
func userLimits(tx *db.Tx, projectID, userID string) (map[string]int, error) {
	limits, err := projectLimits(tx, projectID)
	if err != nil {
		return nil, err
	}
	own, err := userQuotas(tx, projectID, userID)
	if err != nil {
		return nil, err
	}
	for r, v := range own {
		limits[r] = v
	}
	return limits, nil
}

// quotaLimit is a project's limit for a Nova quota resource; -1 means
// unlimited.
func quotaLimit(tx *db.Tx, projectID, resource string) (int, error) {
	limits, err := projectLimits(tx, projectID)
	if err != nil {
		return 0, err
	}
	return limits[resource], nil
}

// instanceUsage is what live instances use (Nova counts non-deleted,
// non-soft-deleted instances and their flavors' vcpus and ram).
type instanceUsage struct{ Instances, Cores, RAM int }

func (u instanceUsage) get(res string) int {
	switch res {
	case "instances":
		return u.Instances
	case "cores":
		return u.Cores
	}
	return u.RAM
}

// countInstances counts a project's (or, with userID, its user's) usage.
func countInstances(tx *db.Tx, projectID, userID string) (instanceUsage, error) {
	q := `SELECT flavor FROM compute_instances WHERE project_id = ? AND deleted = FALSE AND vm_state <> ?`
	args := []any{projectID, vmSoftDeleted}
	if userID != "" {
		q += ` AND user_id = ?`
		args = append(args, userID)
	}
	flavors, err := tx.Strings(q, args...)
	if err != nil {
		return instanceUsage{}, err
	}
	var u instanceUsage
	for _, raw := range flavors {
		var f computerpc.Flavor
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			return instanceUsage{}, err
		}
		u.Instances++
		u.Cores += f.VCPUs
		u.RAM += f.MemoryMB
	}
	return u, nil
}

// checkInstanceQuota refuses (403, Nova's TooManyInstances message) when
// adding instances, cores and ram to the project's (and, when the user
// has limits of their own, the user's) usage would pass its quotas.
// instances 0 is a resize: only cores and ram are checked.
func checkInstanceQuota(tx *db.Tx, projectID, userID string, instances, cores, ramMB int) error {
	deltas := map[string]int{"cores": cores, "ram": ramMB}
	if instances > 0 {
		deltas["instances"] = instances
	}
	own, err := userQuotas(tx, projectID, userID)
	if err != nil {
		return err
	}
	scopeUser := ""
	if hasAny(own, "instances", "cores", "ram") {
		scopeUser = userID
	}
	limits, err := projectLimits(tx, projectID)
	if err != nil {
		return err
	}
	usage, err := countInstances(tx, projectID, "")
	if err != nil {
		return err
	}
	overs := quotaOvers(limits, usage, deltas)
	if len(overs) == 0 && scopeUser != "" {
		if limits, err = userLimits(tx, projectID, scopeUser); err != nil {
			return err
		}
		if usage, err = countInstances(tx, projectID, scopeUser); err != nil {
			return err
		}
		overs = quotaOvers(limits, usage, deltas)
	}
	if len(overs) == 0 {
		return nil
	}
	return tooManyInstances(overs, limits, usage, deltas)
}

func hasAny(m map[string]int, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// quotaOvers are the resources (sorted) whose usage plus delta passes a
// limited quota.
func quotaOvers(limits map[string]int, usage instanceUsage, deltas map[string]int) []string {
	var overs []string
	for res, d := range deltas {
		if lim := limits[res]; lim >= 0 && usage.get(res)+d > lim {
			overs = append(overs, res)
		}
	}
	slices.Sort(overs)
	return overs
}

// tooManyInstances is Nova's TooManyInstances: "Quota exceeded for
// <overs>: Requested <reqs>, but already used <used> of <allowed>
// <overs>", each list comma-joined in the order of overs.
func tooManyInstances(overs []string, limits map[string]int, usage instanceUsage, deltas map[string]int) error {
	reqs := make([]string, len(overs))
	used := make([]string, len(overs))
	allowed := make([]string, len(overs))
	for i, res := range overs {
		reqs[i] = strconv.Itoa(deltas[res])
		used[i] = strconv.Itoa(usage.get(res))
		allowed[i] = strconv.Itoa(limits[res])
	}
	names := strings.Join(overs, ", ")
	return errs.Forbiddenf("%s", fmt.Sprintf("Quota exceeded for %s: Requested %s, but already used %s of %s %s",
		names, strings.Join(reqs, ", "), strings.Join(used, ", "), strings.Join(allowed, ", "), names))
}
