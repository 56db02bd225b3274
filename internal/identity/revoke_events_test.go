package identity_test

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestRevokeEventsList records a token revocation and a user disable and
// lists them whole, after `since`, and refuses bad dates and non-admins.
func TestRevokeEventsList(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	self := e.URL + "/v3/OS-REVOKE/events"
	emptyLinks := map[string]any{"self": self, "previous": nil, "next": nil}

	r := e.Do(t, "GET", "/v3/OS-REVOKE/events", admin, nil)
	if r.Status != http.StatusOK || !reflect.DeepEqual(r.Body, map[string]any{"events": []any{}, "links": emptyLinks}) {
		t.Fatalf("no events: %d %s", r.Status, r.Raw)
	}

	victim := e.AdminToken(t)
	check := e.DoSubject(t, "GET", "/v3/auth/tokens", admin, victim)
	auditID := check.Body["token"].(map[string]any)["audit_ids"].([]any)[0].(string)
	if r := e.DoSubject(t, "DELETE", "/v3/auth/tokens", admin, victim); r.Status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.Status, r.Raw)
	}
	e.Clock.Advance(2 * time.Second)
	userID := mkUser(t, e, admin, "revoke-events-user", "pw-revoke", nil)
	if r := e.Do(t, "PATCH", "/v3/users/"+userID, admin, map[string]any{"user": map[string]any{"enabled": false}}); r.Status != http.StatusOK {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}

	r = e.Do(t, "GET", "/v3/OS-REVOKE/events", admin, nil)
	events := r.Body["events"].([]any)
	if len(events) != 2 || !reflect.DeepEqual(r.Body["links"], emptyLinks) {
		t.Fatalf("events: %s", r.Raw)
	}
	first, second := events[0].(map[string]any), events[1].(map[string]any)
	wantEvent(t, first, "audit_id", auditID)
	wantEvent(t, second, "user_id", userID)

	since := first["revoked_at"].(string)
	for _, c := range []struct {
		since string
		count int
	}{
		{since, 1},
		{since[:len(since)-len(".000000Z")], 1},
		{second["revoked_at"].(string), 0},
		{since[:10], 2},
		{"2000-01-01T00:00:00+01:00", 2},
		{"2999-01-01", 0},
	} {
		r := e.Do(t, "GET", "/v3/OS-REVOKE/events?since="+url.QueryEscape(c.since), admin, nil)
		if r.Status != http.StatusOK || len(r.Body["events"].([]any)) != c.count || !reflect.DeepEqual(r.Body["links"], emptyLinks) {
			t.Fatalf("since %s: %d %s (want %d events)", c.since, r.Status, r.Raw, c.count)
		}
	}

	mkUser(t, e, admin, "revoke-events-member", "pw-member", nil)
	member := e.Token(t, "revoke-events-member", "pw-member", "admin")
	before := e.Snapshot(t)
	for _, bad := range []string{"garbage", "2026-13-01", "2026-02-30T00:00:00Z", "2026-01-01T25:00"} {
		r := e.Do(t, "GET", "/v3/OS-REVOKE/events?since="+url.QueryEscape(bad), admin, nil)
		if r.Status != http.StatusBadRequest {
			t.Fatalf("since %s: %d %s", bad, r.Status, r.Raw)
		}
		if _, msg, _ := identitytest.ErrorOf(t, r); msg != "invalidate date format "+bad {
			t.Fatalf("since %s: message %q", bad, msg)
		}
	}
	r = e.Do(t, "GET", "/v3/OS-REVOKE/events", member, nil)
	if r.Status != http.StatusForbidden {
		t.Fatalf("member lists events: %d %s", r.Status, r.Raw)
	}
	identitytest.ErrorOf(t, r)
	if r := e.Do(t, "GET", "/v3/OS-REVOKE/events", "", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", r.Status)
	}
	if e.Snapshot(t) != before {
		t.Fatal("a refused listing changed the database")
	}
}

// wantEvent checks an event carries exactly key=value and the two times,
// in upstream's whole-second form.
func wantEvent(t *testing.T, ev map[string]any, key, value string) {
	t.Helper()
	if len(ev) != 3 || ev[key] != value {
		t.Fatalf("event %v, want %s=%s and two times", ev, key, value)
	}
	for _, k := range []string{"issued_before", "revoked_at"} {
		s, _ := ev[k].(string)
		if _, err := time.Parse("2006-01-02T15:04:05.000000Z", s); err != nil || s[len(s)-8:] != ".000000Z" {
			t.Fatalf("%s %q is not a whole-second time", k, s)
		}
	}
}
