package compute

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// hypervisorQuery is what a hypervisors request selects.
type hypervisorQuery struct {
	cond        string
	args        []any
	limit       int // 0: all
	withServers bool
	detail      bool
}

// loadHypervisors reads the compute nodes q selects with their services,
// liveness and usage; nodes whose service is gone are skipped, as Nova
// does.
func (s *Service) loadHypervisors(ctx context.Context, q hypervisorQuery) ([]*hypervisor, error) {
	var out []*hypervisor
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		nodes, err := loadNodes(tx, q.cond, q.args...)
		if err != nil {
			return err
		}
		if q.limit > 0 && len(nodes) > q.limit {
			nodes = nodes[:q.limit]
		}
		for _, n := range nodes {
			h, err := hypervisorOf(tx, n, q)
			if err != nil {
				return err
			}
			if h != nil {
				out = append(out, h)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	live := s.livenessNow()
	for _, h := range out {
		h.up = live.up(h.service)
		if q.detail {
			s.placementUsage(ctx, h.node, &h.usage)
		}
	}
	return out, nil
}

// hypervisorOf joins a node with its service, load and (if asked) its
// servers; nil when the service is gone.
func hypervisorOf(tx *db.Tx, n *computeNode, q hypervisorQuery) (*hypervisor, error) {
	svc, err := computeServiceOf(tx, n.Host)
	if err != nil || svc == nil {
		return nil, err
	}
	h := &hypervisor{node: n, service: svc}
	if h.usage.RunningVMs, h.usage.CurrentWorkload, err = hostLoad(tx, n.Host); err != nil {
		return nil, err
	}
	if q.withServers {
		h.servers, err = hostedServers(tx, n.Host)
	}
	return h, err
}

// hostedServers lists the live instances on host.
func hostedServers(tx *db.Tx, host string) ([]hostedServer, error) {
	rows, err := tx.Query(`SELECT uuid, seq FROM compute_instances WHERE host = ? AND deleted = FALSE
		ORDER BY created_at, uuid`, host)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hostedServer
	for rows.Next() {
		var hs hostedServer
		var seq int64
		if err := rows.Scan(&hs.UUID, &seq); err != nil {
			return nil, err
		}
		hs.Name = guestNameOf(seq)
		out = append(out, hs)
	}
	return out, rows.Err()
}

// listHypervisors is GET /os-hypervisors.
func (s *Service) listHypervisors(w http.ResponseWriter, r *http.Request) error {
	return s.serveHypervisorList(w, r, false)
}

// listHypervisorsDetail is GET /os-hypervisors/detail.
func (s *Service) listHypervisorsDetail(w http.ResponseWriter, r *http.Request) error {
	return s.serveHypervisorList(w, r, true)
}

func (s *Service) serveHypervisorList(w http.ResponseWriter, r *http.Request, detail bool) error {
	v := version(r)
	rule, path := "os_compute_api:os-hypervisors:list", "/v2.1/os-hypervisors"
	if detail {
		rule, path = "os_compute_api:os-hypervisors:list-detail", path+"/detail"
	}
	q, paged, err := s.parseHypervisorList(r)
	if err != nil {
		return err
	}
	if err := s.enforce(r, rule, map[string]any{}); err != nil {
		return err
	}
	q.detail = detail
	if err := s.hypervisorMarker(r, &q); err != nil {
		return err
	}
	list, err := s.loadHypervisors(r.Context(), q)
	if err != nil {
		return err
	}
	if pattern := r.URL.Query().Get("hypervisor_hostname_pattern"); v.AtLeast(53) && pattern != "" {
		if list = matchingHypervisors(list, pattern); len(list) == 0 {
			return errs.NotFoundf("No hypervisor matching '%s' could be found.", pattern)
		}
	}
	out := make([]map[string]any, 0, len(list))
	for _, h := range list {
		out = append(out, hypervisorView(h, detail, q.withServers, v))
	}
	body := map[string]any{"hypervisors": out}
	if paged && len(out) > 0 {
		if links := collectionLinks(r, s.baseURL(r), path, len(out), q.limit, idString(out[len(out)-1]["id"])); links != nil {
			body["hypervisors_links"] = links
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// parseHypervisorList reads the query: paging from 2.33, the hostname
// pattern and with_servers from 2.53. paged says links are due.
func (s *Service) parseHypervisorList(r *http.Request) (hypervisorQuery, bool, error) {
	v, raw := version(r), r.URL.Query()
	q := hypervisorQuery{}
	if !v.AtLeast(33) {
		return q, false, nil
	}
	if v.AtLeast(53) {
		if err := onlyQueryKeys(raw, "limit", "marker", "hypervisor_hostname_pattern", "with_servers"); err != nil {
			return q, false, err
		}
		var err error
		if q.withServers, err = queryBool(raw, "with_servers"); err != nil {
			return q, false, err
		}
		if p, ok := raw["hypervisor_hostname_pattern"]; ok {
			if _, err := schemaFQDN("hypervisor_hostname_pattern", p[0]); err != nil {
				return q, false, errs.BadRequestf("%s", strings.Replace(errs.As(err).Message,
					"Invalid input for field/attribute", "Invalid input for query parameters", 1))
			}
			if _, hasLimit := raw["limit"]; hasLimit || raw.Get("marker") != "" {
				return q, false, errs.BadRequestf("Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.")
			}
			return q, false, nil
		}
	}
	q.limit = s.opts.ListLimit
	if l, ok := raw["limit"]; ok {
		n, err := queryInt("limit", l[0])
		if err != nil {
			return q, false, err
		}
		q.limit = min(n, q.limit)
	}
	return q, true, nil
}

// hypervisorMarker narrows q to nodes after the marker (an id, or a uuid).
func (s *Service) hypervisorMarker(r *http.Request, q *hypervisorQuery) error {
	marker := r.URL.Query().Get("marker")
	if marker == "" || !version(r).AtLeast(33) {
		return nil
	}
	var id int64
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		cond, arg := `uuid = ?`, any(marker)
		if !isUUID(marker) {
			n, err := integerID(marker)
			if err != nil {
				return errs.BadRequestf("marker [%s] not found", marker)
			}
			cond, arg = `id = ?`, n
		}
		nodes, err := loadNodes(tx, cond, arg)
		if err != nil {
			return err
		}
		if len(nodes) == 0 {
			return errs.BadRequestf("marker [%s] not found", marker)
		}
		id = nodes[0].ID
		return nil
	})
	q.cond, q.args = `id > ?`, []any{id}
	return err
}

// matchingHypervisors keeps the nodes whose hypervisor_hostname matches
// pattern as SQL's LIKE '%pattern%' does (case-insensitive, _ any one).
func matchingHypervisors(list []*hypervisor, pattern string) []*hypervisor {
	re := regexp.MustCompile(`(?i)` + strings.ReplaceAll(regexp.QuoteMeta(pattern), "_", "."))
	var out []*hypervisor
	for _, h := range list {
		if re.MatchString(h.node.HypervisorHostname) {
			out = append(out, h)
		}
	}
	return out
}

func idString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}

// uptimeLine is the host's uptime as the uptime command prints it, from
// when its compute agent started.
func uptimeLine(now, since time.Time) string {
	d := now.Sub(since)
	if d < 0 {
		d = 0
	}
	days, hours, mins := int(d.Hours())/24, int(d.Hours())%24, int(d.Minutes())%60
	up := fmt.Sprintf("%d min", mins)
	if hours > 0 {
		up = fmt.Sprintf("%2d:%02d", hours, mins)
	}
	if days > 0 {
		unit := "days"
		if days == 1 {
			unit = "day"
		}
		up = fmt.Sprintf("%d %s, %s", days, unit, up)
	}
	return fmt.Sprintf(" %s up %s,  0 users,  load average: 0.00, 0.00, 0.00", now.UTC().Format("15:04:05"), up)
}

// hypervisorByPathID loads the node a show or uptime path names: an
// integer id before 2.53 (else 404), a uuid from 2.53 (else 400).
func (s *Service) hypervisorByPathID(r *http.Request, withServers bool) (*hypervisor, error) {
	id := r.PathValue("id")
	notFound := errs.NotFoundf("Hypervisor with ID '%s' could not be found.", id)
	cond, arg := `uuid = ?`, any(id)
	if version(r).AtLeast(53) {
		if !isUUID(id) {
			return nil, errs.BadRequestf("Invalid uuid %s", id)
		}
	} else {
		n, err := integerID(id)
		if err != nil {
			return nil, notFound
		}
		cond, arg = `id = ?`, n
	}
	list, err := s.loadHypervisors(r.Context(), hypervisorQuery{cond: cond, args: []any{arg}, detail: true,
		withServers: withServers})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound
	}
	return list[0], nil
}

// showHypervisor is GET /os-hypervisors/{id}.
func (s *Service) showHypervisor(w http.ResponseWriter, r *http.Request) error {
	v := version(r)
	withServers := false
	if v.AtLeast(53) {
		raw := r.URL.Query()
		if err := onlyQueryKeys(raw, "with_servers"); err != nil {
			return err
		}
		var err error
		if withServers, err = queryBool(raw, "with_servers"); err != nil {
			return err
		}
	}
	if err := s.enforce(r, "os_compute_api:os-hypervisors:show", map[string]any{}); err != nil {
		return err
	}
	h, err := s.hypervisorByPathID(r, withServers)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"hypervisor": hypervisorView(h, true, withServers, v)})
}

// hypervisorUptime is GET /os-hypervisors/{id}/uptime (before 2.88): the
// host's uptime line, from when its compute agent started.
func (s *Service) hypervisorUptime(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-hypervisors:uptime", map[string]any{}); err != nil {
		return err
	}
	h, err := s.hypervisorByPathID(r, false)
	if err != nil {
		return err
	}
	st, ok := s.livenessNow()[[2]string{computerpc.ServiceName, h.node.Host}]
	if !ok || !h.up {
		return errs.BadRequestf("Compute service of %s is unavailable at this time.", h.node.Host)
	}
	out := hypervisorView(h, false, false, version(r))
	out["uptime"] = uptimeLine(s.now(), st.UpSince)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"hypervisor": out})
}

// searchHypervisors is GET /os-hypervisors/{pattern}/search (before 2.53).
func (s *Service) searchHypervisors(w http.ResponseWriter, r *http.Request) error {
	return s.serveHypervisorSearch(w, r, "os_compute_api:os-hypervisors:search", false)
}

// hypervisorServers is GET /os-hypervisors/{pattern}/servers (before 2.53).
func (s *Service) hypervisorServers(w http.ResponseWriter, r *http.Request) error {
	return s.serveHypervisorSearch(w, r, "os_compute_api:os-hypervisors:servers", true)
}

func (s *Service) serveHypervisorSearch(w http.ResponseWriter, r *http.Request, rule string, servers bool) error {
	if version(r).AtLeast(53) {
		return errs.NotFoundf("The resource could not be found.")
	}
	if err := s.enforce(r, rule, map[string]any{}); err != nil {
		return err
	}
	pattern := r.PathValue("id")
	list, err := s.loadHypervisors(r.Context(), hypervisorQuery{withServers: servers})
	if err != nil {
		return err
	}
	if list = matchingHypervisors(list, pattern); len(list) == 0 {
		return errs.NotFoundf("No hypervisor matching '%s' could be found.", pattern)
	}
	out := make([]map[string]any, 0, len(list))
	for _, h := range list {
		out = append(out, hypervisorView(h, false, false, version(r)))
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"hypervisors": out})
}

// hypervisorStatistics is GET /os-hypervisors/statistics (before 2.88):
// sums over the compute nodes of enabled compute services.
func (s *Service) hypervisorStatistics(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-hypervisors:statistics", map[string]any{}); err != nil {
		return err
	}
	list, err := s.loadHypervisors(r.Context(), hypervisorQuery{detail: true})
	if err != nil {
		return err
	}
	stats := map[string]int{"count": 0}
	for _, k := range []string{"vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used", "local_gb_used",
		"free_ram_mb", "free_disk_gb", "current_workload", "running_vms", "disk_available_least"} {
		stats[k] = 0
	}
	for _, h := range list {
		if h.service.Disabled {
			continue
		}
		stats["count"]++
		for k, v := range hypervisorNumbers(h.node, h.usage) {
			stats[k] += v
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"hypervisor_statistics": stats})
}
