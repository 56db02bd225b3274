package identitytest

import (
	"net/http"
	"testing"
)

// Refused sends a request that must be refused with status, failing unless
// it is, unless the Keystone error body is titled for that status, and
// unless the database is unchanged. It returns the error message, for the
// caller's own check, and the response. A HEAD answer has no body, so only
// its status is checked and the message is "".
func (e *Env) Refused(t testing.TB, method, path, token string, body any, status int) (message string, r *Response) {
	t.Helper()
	before := e.Snapshot(t)
	r = e.Do(t, method, path, token, body)
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Raw)
	}
	if method != http.MethodHead {
		var title string
		_, message, title = ErrorOf(t, r)
		if !titleFor(title, status) {
			t.Fatalf("%s %s: title %q for %d", method, path, title, status)
		}
	}
	if after := e.Snapshot(t); after != before {
		t.Fatalf("the refused request changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	return message, r
}

// titleFor tells whether title names status; upstream titles 413 by its
// older name.
func titleFor(title string, status int) bool {
	return title == http.StatusText(status) || status == http.StatusRequestEntityTooLarge && title == "Request Entity Too Large"
}
