package network

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
	"github.com/monostack/monostack/internal/pyrepr"
)

// quotaResource is a resource with a quota: its default limit
// (neutron/conf/quota.py; -1 unlimited) and the table whose rows, by
// project column, are its usage.
type quotaResource struct {
	Name, Table, ProjectCol string
	Default                 int64
}

// quotaResources is the quota registry; each resource with a table adds
// its line (subnetpool has no quota_ option upstream: default_quota, -1).
var quotaResources = []quotaResource{
	{"network", "network_networks", "project_id", 100},
	{"subnet", "network_subnets", "project_id", 100},
	{"port", "network_ports", "project_id", 500},
	{"router", "network_routers", "project_id", 10},
	{"floatingip", "network_floatingips", "project_id", 50},
	{"security_group", "network_security_groups", "project_id", 10},
	{"security_group_rule", "network_security_group_rules", "project_id", 100},
	{"rbac_policy", "network_rbac_policies", "project_id", 10},
	{"subnetpool", "network_subnetpools", "project_id", -1},
}

// quotaResourceNamed is the registered resource name, nil if none.
func quotaResourceNamed(name string) *quotaResource {
	for i := range quotaResources {
		if quotaResources[i].Name == name {
			return &quotaResources[i]
		}
	}
	return nil
}

// quotaDefaults are the default limits, configuration first.
func (s *Service) quotaDefaults() map[string]int64 {
	out := make(map[string]int64, len(quotaResources))
	for _, q := range quotaResources {
		out[q.Name] = q.Default
		if v, ok := s.opts.QuotaDefaults[q.Name]; ok {
			out[q.Name] = v
		}
	}
	return out
}

// quotaLimits are project's limits: the defaults with its own limits over them.
func (s *Service) quotaLimits(tx *db.Tx, project string) (map[string]int64, error) {
	out := s.quotaDefaults()
	err := eachRow(tx, `SELECT resource, hard_limit FROM network_quotas WHERE project_id = ?`, []any{project},
		func(sc func(...any) error) error {
			var res string
			var limit int64
			if err := sc(&res, &limit); err != nil {
				return err
			}
			if _, ok := out[res]; ok {
				out[res] = limit
			}
			return nil
		})
	return out, err
}

// quotaUsed counts project's rows of a resource.
func quotaUsed(tx *db.Tx, q *quotaResource, project string) (int64, error) {
	var n int64
	err := tx.QueryRow(`SELECT COUNT(*) FROM `+q.Table+` WHERE `+q.ProjectCol+` = ?`, project).Scan(&n)
	return n, err
}

// setQuotaLimit stores one limit of a project.
func setQuotaLimit(tx *db.Tx, project, resource string, limit int64) error {
	n, err := tx.ExecAffected(`UPDATE network_quotas SET hard_limit = ? WHERE project_id = ? AND resource = ?`, limit, project, resource)
	if err != nil || n > 0 {
		return err
	}
	_, err = tx.Exec(`INSERT INTO network_quotas (project_id, resource, hard_limit) VALUES (?, ?, ?)`, project, resource, limit)
	return err
}

// deleteQuotaLimits drops a project's limits; none is TenantQuotaNotFound.
func deleteQuotaLimits(tx *db.Tx, project string) error {
	n, err := tx.ExecAffected(`DELETE FROM network_quotas WHERE project_id = ?`, project)
	if err == nil && n == 0 {
		return neutronerr.TenantQuotaNotFound(project)
	}
	return err
}

// quotaProjects are the projects with limits of their own, in order.
func quotaProjects(tx *db.Tx) ([]string, error) {
	return tx.Strings(`SELECT DISTINCT project_id FROM network_quotas ORDER BY project_id`)
}

// quotaReservation is a create request's claim on a resource's quota:
// each project's usage before the request and how many it adds
// (make_reservation, checked inside the request's transaction).
type quotaReservation struct {
	res    *quotaResource
	limits map[string]int64
	used   map[string]int64
	delta  map[string]int64
	order  []string
}

// reserveQuota counts, before the request creates anything, the usage of
// every project items name whose limit is not unlimited; nil when the
// resource has no quota.
func (s *Service) reserveQuota(tx *db.Tx, resource string, items []map[string]any) (*quotaReservation, error) {
	q := quotaResourceNamed(resource)
	if q == nil {
		return nil, nil
	}
	rv := &quotaReservation{res: q, limits: map[string]int64{}, used: map[string]int64{}, delta: map[string]int64{}}
	for _, item := range items {
		project, ok := item["project_id"].(string)
		if !ok {
			continue // no project: no quota check
		}
		if _, seen := rv.delta[project]; !seen {
			if err := rv.count(s, tx, project); err != nil {
				return nil, err
			}
			rv.order = append(rv.order, project)
		}
		rv.delta[project]++
	}
	return rv, nil
}

func (rv *quotaReservation) count(s *Service, tx *db.Tx, project string) error {
	limits, err := s.quotaLimits(tx, project)
	if err != nil {
		return err
	}
	rv.limits[project] = limits[rv.res.Name]
	if rv.limits[project] < 0 {
		return nil
	}
	rv.used[project], err = quotaUsed(tx, rv.res, project)
	return err
}

// check is OverQuota when a project's usage and its delta pass its limit.
func (rv *quotaReservation) check() error {
	if rv == nil {
		return nil
	}
	for _, p := range rv.order {
		if limit := rv.limits[p]; limit >= 0 && rv.used[p]+rv.delta[p] > limit {
			return neutronerr.OverQuota("[" + pyrepr.String(rv.res.Name) + "]")
		}
	}
	return nil
}
