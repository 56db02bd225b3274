package identity_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/identity"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

// mkUser creates a Default-domain user with the member role on the admin
// project and returns its id.
func mkUser(t *testing.T, e *identitytest.Env, admin, name, pw string, options map[string]any) string {
	t.Helper()
	u := map[string]any{"name": name, "password": pw, "domain_id": "default"}
	if options != nil {
		u["options"] = options
	}
	r := e.Do(t, "POST", "/v3/users", admin, map[string]any{"user": u})
	if r.Status != 201 {
		t.Fatalf("create %s: %d %s", name, r.Status, r.Raw)
	}
	id := r.Body["user"].(map[string]any)["id"].(string)
	e.Do(t, "PUT", "/v3/projects/"+e.AdminProjectID+"/users/"+id+"/roles/"+roleID(t, e, admin, "member"), admin, nil)
	return id
}

func login(t *testing.T, e *identitytest.Env, name, pw string) *identitytest.Response {
	t.Helper()
	return e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth(name, pw, "admin"))
}

func selfChange(t *testing.T, e *identitytest.Env, id, old, pw string) *identitytest.Response {
	t.Helper()
	return e.Do(t, "POST", "/v3/users/"+id+"/password", "", map[string]any{"user": map[string]any{"original_password": old, "password": pw}})
}

func wantStatus(t *testing.T, what string, r *identitytest.Response, status int, contains string) {
	t.Helper()
	if r.Status != status || !strings.Contains(string(r.Raw), contains) {
		t.Fatalf("%s: %d %s (want %d containing %q)", what, r.Status, r.Raw, status, contains)
	}
}

func TestLockout(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Security: identity.Security{LockoutFailureAttempts: 3, LockoutDuration: 10 * time.Minute}})
	admin := e.AdminToken(t)
	id := mkUser(t, e, admin, "carol", "right-pw", nil)
	mkUser(t, e, admin, "robot", "right-pw", map[string]any{"ignore_lockout_failure_attempts": true})
	for range 3 {
		wantStatus(t, "wrong password", login(t, e, "carol", "wrong"), 401, "requires authentication")
		wantStatus(t, "robot wrong password", login(t, e, "robot", "wrong"), 401, "requires authentication")
	}
	wantStatus(t, "locked out", login(t, e, "carol", "right-pw"), 401, "The account is locked for user: "+id)
	wantStatus(t, "exempt user", login(t, e, "robot", "right-pw"), 201, "")
	e.Clock.Advance(11 * time.Minute)
	wantStatus(t, "after the lockout", login(t, e, "carol", "right-pw"), 201, "")
	wantStatus(t, "counter reset by success", login(t, e, "carol", "wrong"), 401, "requires authentication")
	wantStatus(t, "one failure is not a lockout", login(t, e, "carol", "right-pw"), 201, "")
}

func TestPasswordExpiry(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Security: identity.Security{PasswordExpiresDays: 1}})
	admin := e.AdminToken(t)
	id := mkUser(t, e, admin, "dave", "pw-1", nil)
	mkUser(t, e, admin, "svc", "pw-1", map[string]any{"ignore_password_expiry": true})
	r := e.Do(t, "GET", "/v3/users/"+id, admin, nil)
	if r.Body["user"].(map[string]any)["password_expires_at"] == nil {
		t.Fatalf("no password_expires_at: %s", r.Raw)
	}
	wantStatus(t, "fresh password", login(t, e, "dave", "pw-1"), 201, "")
	e.Clock.Advance(25 * time.Hour)
	wantStatus(t, "expired password", login(t, e, "dave", "pw-1"), 401, "The password is expired and needs to be changed for user: "+id)
	wantStatus(t, "exempt user", login(t, e, "svc", "pw-1"), 201, "")
	wantStatus(t, "self-service change without a token", selfChange(t, e, id, "pw-1", "pw-2"), 204, "")
	wantStatus(t, "new password", login(t, e, "dave", "pw-2"), 201, "")
}

func TestMinimumAgeAndHistory(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Security: identity.Security{MinimumPasswordAgeDays: 1, UniqueLastPasswordCount: 3}})
	admin := e.AdminToken(t)
	id := mkUser(t, e, admin, "erin", "pw-1", nil)
	wantStatus(t, "first change after an admin-set password", selfChange(t, e, id, "pw-1", "pw-2"), 204, "")
	before := e.Snapshot(t)
	wantStatus(t, "too soon", selfChange(t, e, id, "pw-2", "pw-3"), 400, "minimum password age")
	if e.Snapshot(t) != before {
		t.Fatal("a refused change changed the database")
	}
	e.Clock.Advance(25 * time.Hour)
	wantStatus(t, "reuse of a recent password", selfChange(t, e, id, "pw-2", "pw-1"), 400, "cannot be identical to a previous password")
	wantStatus(t, "a fresh password", selfChange(t, e, id, "pw-2", "pw-3"), 204, "")
	admin = e.AdminToken(t) // the first one expired with the clock
	r := e.Do(t, "PATCH", "/v3/users/"+id, admin, map[string]any{"user": map[string]any{"password": "pw-2"}})
	wantStatus(t, "admin reset ignores history and age", r, 200, "")
	wantStatus(t, "reset password works", login(t, e, "erin", "pw-2"), 201, "")
	wantStatus(t, "wrong original password", selfChange(t, e, id, "nope", "pw-9"), 401, "")
}

// TestPasswordHistoryWindow checks the exact window, as Tempest's
// test_password_history_check_self_service_api does with a count of 2: the
// current and the previous password are refused, older ones are allowed.
func TestPasswordHistoryWindow(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Security: identity.Security{UniqueLastPasswordCount: 2}})
	id := mkUser(t, e, e.AdminToken(t), "gina", "pw-1", nil)
	wantStatus(t, "change", selfChange(t, e, id, "pw-1", "pw-2"), 204, "")
	wantStatus(t, "the current password", selfChange(t, e, id, "pw-2", "pw-2"), 400, "cannot be identical to a previous password")
	wantStatus(t, "the previous password", selfChange(t, e, id, "pw-2", "pw-1"), 400, "cannot be identical to a previous password")
	wantStatus(t, "change again", selfChange(t, e, id, "pw-2", "pw-3"), 204, "")
	wantStatus(t, "a password older than the window", selfChange(t, e, id, "pw-3", "pw-1"), 204, "")
}

func TestPasswordRegexAndFirstUse(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Security: identity.Security{PasswordRegex: `^.{8,}$`,
		PasswordRegexDescription: "at least 8 characters", ChangePasswordUponFirstUse: true}})
	admin := e.AdminToken(t)
	before := e.Snapshot(t)
	r := e.Do(t, "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "frank", "password": "short"}})
	wantStatus(t, "weak password", r, 400, "at least 8 characters")
	if e.Snapshot(t) != before {
		t.Fatal("a refused create changed the database")
	}
	id := mkUser(t, e, admin, "frank", "long-enough", nil)
	mkUser(t, e, admin, "batch", "long-enough", map[string]any{"ignore_change_password_upon_first_use": true})
	wantStatus(t, "admin-set password must be changed", login(t, e, "frank", "long-enough"), 401, "expired")
	wantStatus(t, "exempt user", login(t, e, "batch", "long-enough"), 201, "")
	wantStatus(t, "weak new password", selfChange(t, e, id, "long-enough", "short"), 400, "at least 8 characters")
	wantStatus(t, "change", selfChange(t, e, id, "long-enough", "my-own-password"), 204, "")
	wantStatus(t, "own password", login(t, e, "frank", "my-own-password"), 201, "")
}

func TestLockPasswordAndMFARules(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	id := mkUser(t, e, admin, "kiosk", "pw-1", map[string]any{"lock_password": true})
	wantStatus(t, "locked password", selfChange(t, e, id, "pw-1", "pw-2"), http.StatusForbidden, "disallowing password changes")
	mkUser(t, e, admin, "vip", "pw-1", map[string]any{"multi_factor_auth_enabled": true,
		"multi_factor_auth_rules": []any{[]any{"password", "totp"}}})
	wantStatus(t, "password alone", login(t, e, "vip", "pw-1"), 401, "Insufficient auth methods")
	mkUser(t, e, admin, "relaxed", "pw-1", map[string]any{"multi_factor_auth_enabled": true,
		"multi_factor_auth_rules": []any{[]any{"password", "totp"}, []any{"password"}}})
	wantStatus(t, "a satisfied rule", login(t, e, "relaxed", "pw-1"), 201, "")
	r := e.Do(t, "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "x", "options": map[string]any{"multi_factor_auth_rules": "password"}}})
	wantStatus(t, "malformed rules", r, 400, "multi_factor_auth_rules")
}
