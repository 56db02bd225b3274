package compute_test

import (
	"net/url"
	"testing"
)

func TestInstanceUsageAuditLog(t *testing.T) {
	e := startInfra(t)
	e.node(t, "host1")
	e.node(t, "host2")
	r := e.do(t, "GET", "/v2.1/os-instance_usage_audit_log", e.admin, nil)
	log, _ := r.Body["instance_usage_audit_logs"].(map[string]any)
	// The clock is 2024-05-01 12:00: the last completed month is April.
	if r.Status != 200 || log["period_beginning"] != "2024-04-01 00:00:00" || log["period_ending"] != "2024-05-01 00:00:00" ||
		log["num_hosts"] != 2.0 || log["num_hosts_not_run"] != 2.0 || log["num_hosts_done"] != 0.0 ||
		log["overall_status"] != "0 of 2 hosts done. 0 errors." || len(log["hosts_not_run"].([]any)) != 2 ||
		len(log["log"].(map[string]any)) != 0 || log["total_instances"] != 0.0 {
		t.Fatalf("index: %d %s", r.Status, r.Raw)
	}
	for before, begin := range map[string]string{
		"2024-05-01 00:00:00":        "2024-03-01 00:00:00",
		"2024-01-15 10:11:12.5":      "2023-12-01 00:00:00",
		"2024-3-1 0:0:1":             "2024-02-01 00:00:00",
		"2024-05-01 00:00:00.000001": "2024-04-01 00:00:00",
	} {
		r = e.do(t, "GET", "/v2.1/os-instance_usage_audit_log/"+url.PathEscape(before), e.admin, nil)
		if got := r.Body["instance_usage_audit_log"].(map[string]any)["period_beginning"]; r.Status != 200 || got != begin {
			t.Fatalf("%s: %d %v", before, r.Status, got)
		}
	}
	for _, bad := range []string{"2024-05-01", "2024-13-01 00:00:00", "2024-02-30 00:00:00", "2024-05-01 00:00:00.", "x"} {
		if msg := e.refused(t, "GET", "/v2.1/os-instance_usage_audit_log/"+url.PathEscape(bad), e.admin, nil, 400); msg != "Invalid timestamp for date "+bad {
			t.Fatal(msg)
		}
	}
	tok, _ := e.project(t, "alpha", "member")
	if msg := e.refused(t, "GET", "/v2.1/os-instance_usage_audit_log", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-instance-usage-audit-log:list to be performed." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-instance_usage_audit_log/"+url.PathEscape("2024-05-01 00:00:00"), tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-instance-usage-audit-log:show to be performed." {
		t.Fatal(msg)
	}
}

func TestInstanceUsageAuditLogWithoutHosts(t *testing.T) {
	e := start(t)
	r := e.do(t, "GET", "/v2.1/os-instance_usage_audit_log", e.admin, nil)
	log := r.Body["instance_usage_audit_logs"].(map[string]any)
	if log["overall_status"] != "ALL hosts done. 0 errors." || len(log["hosts_not_run"].([]any)) != 0 {
		t.Fatalf("%s", r.Raw)
	}
}
