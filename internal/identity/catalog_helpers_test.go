package identity_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

// catRefusal is a request the catalog APIs must refuse without changing
// anything.
type catRefusal struct {
	name         string
	method, path string
	token        string
	body         any
	status       int
	message      string // expected in the error message ("" for any)
}

// expectCatalogRefusals sends each request and checks the status, the Keystone
// error body and that the database is unchanged.
func expectCatalogRefusals(t *testing.T, e *identitytest.Env, cases []catRefusal) {
	t.Helper()
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			// a HEAD answer has no body, so no message to check
			msg, _ := e.Refused(t, c.method, c.path, c.token, c.body, c.status)
			if c.method != "HEAD" && !strings.Contains(msg, c.message) {
				t.Fatalf("message %q does not contain %q", msg, c.message)
			}
		})
	}
}

// catDo sends a request and fails unless it answers want; it returns the
// decoded body.
func catDo(t *testing.T, e *identitytest.Env, method, path, token string, body any, want int) map[string]any {
	t.Helper()
	r := e.Do(t, method, path, token, body)
	if r.Status != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, want, r.Raw)
	}
	return r.Body
}

// member is an object of a response body.
func catMember(t *testing.T, body map[string]any, key string) map[string]any {
	t.Helper()
	m, ok := body[key].(map[string]any)
	if !ok {
		t.Fatalf("no %q object in %v", key, body)
	}
	return m
}

// catIDs lists the ids of a collection in a response body.
func catIDs(t *testing.T, body map[string]any, key string) []string {
	t.Helper()
	list, ok := body[key].([]any)
	if !ok {
		t.Fatalf("no %q list in %v", key, body)
	}
	ids := make([]string, len(list))
	for i, v := range list {
		ids[i] = v.(map[string]any)["id"].(string)
	}
	return ids
}

// catSameKeys fails unless obj has exactly the given keys.
func catSameKeys(t *testing.T, obj map[string]any, keys ...string) {
	t.Helper()
	if len(obj) != len(keys) {
		t.Fatalf("keys of %v, want %v", obj, keys)
	}
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			t.Fatalf("no %q in %v", k, obj)
		}
	}
}

// catStatus is the HTTP status of a gophercloud error (0 for none).
func catStatus(err error) int {
	var e gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &e) {
		return e.Actual
	}
	return 0
}

// catRows counts the rows of a table.
func catRows(t *testing.T, e *identitytest.Env, table string) int {
	t.Helper()
	n := 0
	err := e.DB.Read(context.Background(), func(tx *db.Tx) error {
		return tx.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
