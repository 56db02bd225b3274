package compute

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// os-instance_usage_audit_log: the state of the periodic usage audit of
// the last completed month on every compute host. The computes run no
// such audit (Nova's instance_usage_audit defaults to off), so there are
// no task records and every host counts as not run.

// auditPeriod is Nova's last_completed_audit_period for the default
// "month" unit: the whole month before the one holding before (or the
// one before that when before is the first instant of its month).
func auditPeriod(before time.Time) (begin, end time.Time) {
	end = time.Date(before.Year(), before.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !end.Before(before) {
		end = end.AddDate(0, -1, 0)
	}
	return end.AddDate(0, -1, 0), end
}

// pyDatetime spells a time as Python's str(datetime) does.
func pyDatetime(t time.Time) string {
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.000000")
	}
	return t.Format("2006-01-02 15:04:05")
}

var auditTimestamp = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$`)

// parseAuditBefore reads "%Y-%m-%d %H:%M:%S[.%f]" as Python's strptime.
func parseAuditBefore(id string) (time.Time, error) {
	bad := errs.BadRequestf("Invalid timestamp for date %s", id)
	m := auditTimestamp.FindStringSubmatch(id)
	if m == nil || (m[7] == "") == strings.Contains(id, ".") {
		return time.Time{}, bad
	}
	n := make([]int, 6)
	for k := range n {
		n[k], _ = strconv.Atoi(m[k+1])
	}
	frac := 0
	if m[7] != "" {
		frac, _ = strconv.Atoi((m[7] + "00000")[:6])
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], frac*1000, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] || t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return time.Time{}, bad
	}
	return t, nil
}

// auditLog is the log of the period before before.
func (s *Service) auditLog(r *http.Request, before time.Time) (map[string]any, error) {
	var hosts []string
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		list, err := loadServices(tx, `topic = ?`, "compute")
		for _, svc := range list {
			if !slices.Contains(hosts, svc.Host) {
				hosts = append(hosts, svc.Host)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(hosts)
	begin, end := auditPeriod(before)
	status := fmt.Sprintf("0 of %d hosts done. 0 errors.", len(hosts))
	if len(hosts) == 0 {
		status = "ALL hosts done. 0 errors."
	}
	return map[string]any{"period_beginning": pyDatetime(begin), "period_ending": pyDatetime(end),
		"num_hosts": len(hosts), "num_hosts_done": 0, "num_hosts_running": 0, "num_hosts_not_run": len(hosts),
		"hosts_not_run": nonNil(hosts), "total_instances": 0, "total_errors": 0, "overall_status": status,
		"log": map[string]any{}}, nil
}

// listAuditLogs is GET /os-instance_usage_audit_log.
func (s *Service) listAuditLogs(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-instance-usage-audit-log:list", map[string]any{}); err != nil {
		return err
	}
	log, err := s.auditLog(r, s.now())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"instance_usage_audit_logs": log})
}

// showAuditLog is GET /os-instance_usage_audit_log/{before}.
func (s *Service) showAuditLog(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-instance-usage-audit-log:show", map[string]any{}); err != nil {
		return err
	}
	before, err := parseAuditBefore(r.PathValue("before"))
	if err != nil {
		return err
	}
	log, err := s.auditLog(r, before)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"instance_usage_audit_log": log})
}
