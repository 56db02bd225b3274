package compute

import (
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// os-hosts (deprecated, removed at 2.43): the hosts of enabled services,
// a compute host's resource use, and the host power and maintenance
// calls, which the hypervisor drivers do not support (501, as Nova's
// libvirt driver answers).

// hostsGone refuses os-hosts from 2.43 as Nova does.
func hostsGone(r *http.Request) error {
	if version(r).AtLeast(43) {
		return errs.NotFoundf("The resource could not be found.")
	}
	return nil
}

// hostModes are the accepted values of status and maintenance_mode.
var hostModes = []string{"enable", "disable", "Enable", "Disable", "ENABLE", "DISABLE"}

// listHosts is GET /os-hosts: the hosts of enabled services, optionally
// of one zone.
func (s *Service) listHosts(w http.ResponseWriter, r *http.Request) error {
	if err := hostsGone(r); err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-hosts:list", map[string]any{}); err != nil {
		return err
	}
	zone, _ := lastQuery(r.URL.Query(), "zone")
	var list []*computeService
	var zones map[string][]string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if list, err = loadServices(tx, `disabled = ?`, false); err != nil {
			return err
		}
		zones, err = hostZones(tx)
		return err
	})
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, svc := range list {
		z := s.zoneOfService(zones, svc)
		if zone != "" && z != zone {
			continue
		}
		out = append(out, map[string]any{"host_name": svc.Host, "service": svc.Topic, "zone": z})
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"hosts": out})
}

// mappedHost refuses a host that runs no compute service (Nova's
// HostMappingNotFound: only compute hosts are mapped to a cell).
func mappedHost(tx *db.Tx, host string) error {
	svc, err := computeServiceOf(tx, host)
	if err != nil {
		return err
	}
	if svc == nil {
		return errs.NotFoundf("Host '%s' is not mapped to any cell", host)
	}
	return nil
}

// hostUsageRow is one "resource" entry of GET /os-hosts/{host}.
func hostUsageRow(host, project string, cpu, mem, disk int) map[string]any {
	return map[string]any{"resource": map[string]any{"host": host, "project": project, "cpu": cpu,
		"memory_mb": mem, "disk_gb": disk}}
}

// showHost is GET /os-hosts/{host}: the node's totals, what it uses now,
// what its instances may use at most, and that by project.
func (s *Service) showHost(w http.ResponseWriter, r *http.Request) error {
	if err := hostsGone(r); err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-hosts:show", map[string]any{}); err != nil {
		return err
	}
	host := r.PathValue("id")
	var node *computeNode
	var insts []*instance
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		if err := mappedHost(tx, host); err != nil {
			return err
		}
		nodes, err := loadNodes(tx, `host = ?`, host)
		if err != nil {
			return err
		}
		if len(nodes) == 0 {
			return errs.NotFoundf("Compute host %s could not be found.", host)
		}
		node = nodes[0]
		insts, err = instancesOnHost(tx, host)
		return err
	})
	if err != nil {
		return err
	}
	var used nodeUsage
	s.placementUsage(r.Context(), node, &used)
	rows := []map[string]any{hostUsageRow(host, "(total)", node.VCPUs, node.MemoryMB, node.LocalGB),
		hostUsageRow(host, "(used_now)", used.VCPUsUsed, used.MemoryMBUsed, used.LocalGBUsed)}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"host": append(rows, instanceUsageRows(host, insts)...)})
}

// instanceUsageRows are the "(used_max)" row and one row per project, in
// the order the projects first appear.
func instanceUsageRows(host string, insts []*instance) []map[string]any {
	type sum struct{ cpu, mem, disk int }
	var total sum
	byProject := map[string]*sum{}
	var order []string
	for _, i := range insts {
		p, ok := byProject[i.ProjectID]
		if !ok {
			p = &sum{}
			byProject[i.ProjectID] = p
			order = append(order, i.ProjectID)
		}
		for _, t := range []*sum{&total, p} {
			t.cpu += i.Flavor.VCPUs
			t.mem += i.Flavor.MemoryMB
			t.disk += i.Flavor.RootGB + i.Flavor.EphemeralGB
		}
	}
	rows := []map[string]any{hostUsageRow(host, "(used_max)", total.cpu, total.mem, total.disk)}
	for _, project := range order {
		p := byProject[project]
		rows = append(rows, hostUsageRow(host, project, p.cpu, p.mem, p.disk))
	}
	return rows
}

// instancesOnHost reads the live instances on host, oldest first.
func instancesOnHost(tx *db.Tx, host string) ([]*instance, error) {
	rows, err := tx.Query(`SELECT `+instanceColumns+` FROM compute_instances WHERE host = ? AND deleted = FALSE
		ORDER BY created_at, seq`, host)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*instance
	for rows.Next() {
		i, err := scanInstance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// hostModeField checks status or maintenance_mode of an update body.
func hostModeField(body jsonObject, field string) (bool, error) {
	v, ok := body[field]
	if !ok {
		return false, nil
	}
	str, isStr := v.(string)
	if !isStr {
		return false, invalidInput(field, v, pyRepr(v)+" is not of type 'string'")
	}
	if !slices.Contains(hostModes, str) {
		return false, invalidInput(field, v, pyRepr(v)+" is not one of ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']")
	}
	return true, nil
}

// updateHost is PUT /os-hosts/{host} {"status": …, "maintenance_mode": …}:
// neither is supported by the drivers, so a valid request for a known
// host is 501; a body with neither echoes the host.
func (s *Service) updateHost(w http.ResponseWriter, r *http.Request) error {
	if err := hostsGone(r); err != nil {
		return err
	}
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	if err := onlyKeys("", body, []string{"status", "maintenance_mode"}); err != nil {
		return err
	}
	status, err := hostModeField(body, "status")
	if err != nil {
		return err
	}
	maintenance, err := hostModeField(body, "maintenance_mode")
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-hosts:update", map[string]any{}); err != nil {
		return err
	}
	host := r.PathValue("id")
	if !status && !maintenance {
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{"host": host})
	}
	return s.unsupportedHostCall(r, host)
}

// unsupportedHostCall answers a host call the drivers do not implement:
// 404 for an unknown host, else 501.
func (s *Service) unsupportedHostCall(r *http.Request, host string) error {
	err := s.db.Read(r.Context(), func(tx *db.Tx) error { return mappedHost(tx, host) })
	if err != nil {
		return err
	}
	return errs.New(errs.NotImplemented, "The requested functionality is not supported.")
}

// hostPowerAction serves GET /os-hosts/{host}/{reboot,shutdown,startup}.
func (s *Service) hostPowerAction(rule string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := hostsGone(r); err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:os-hosts:"+rule, map[string]any{}); err != nil {
			return err
		}
		return s.unsupportedHostCall(r, r.PathValue("id"))
	}
}
