package identity_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestParallelTokensAndProjects issues 200 tokens and creates 200 projects
// at once, then checks nothing was lost or duplicated; 50 racing creates
// of one name yield exactly one project.
func TestParallelTokensAndProjects(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	const n = 200
	tokens := make([]string, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("admin", identitytest.AdminPassword, "admin"))
			tokens[i], statuses[i] = r.Header.Get("X-Subject-Token"), r.Status
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, tok := range tokens {
		if statuses[i] != http.StatusCreated || tok == "" || seen[tok] {
			t.Fatalf("token %d: status %d, duplicate %v", i, statuses[i], seen[tok])
		}
		seen[tok] = true
	}
	for i := 0; i < n; i += 40 {
		if r := e.DoSubject(t, "HEAD", "/v3/auth/tokens", admin, tokens[i]); r.Status != 200 {
			t.Fatalf("token %d does not validate: %d", i, r.Status)
		}
	}

	for i := range n {
		wg.Go(func() {
			r := e.Do(t, "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": fmt.Sprintf("p%03d", i)}})
			statuses[i] = r.Status
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusCreated {
			t.Fatalf("project %d: %d", i, s)
		}
	}
	const racers = 50
	created := make(chan int, racers)
	for range racers {
		wg.Go(func() {
			created <- e.Do(t, "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "contested"}}).Status
		})
	}
	wg.Wait()
	close(created)
	counts := map[int]int{}
	for s := range created {
		counts[s]++
	}
	if counts[http.StatusCreated] != 1 || counts[http.StatusConflict] != racers-1 {
		t.Fatalf("racing creates of one name: %v", counts)
	}
	r := e.Do(t, "GET", "/v3/projects", admin, nil)
	names := map[string]int{}
	for _, p := range r.Body["projects"].([]any) {
		names[p.(map[string]any)["name"].(string)]++
	}
	if len(names) != n+3 { // p000..p199, contested, admin, service
		t.Fatalf("%d distinct projects listed, want %d", len(names), n+3)
	}
	for name, c := range names {
		if c != 1 {
			t.Fatalf("project %s listed %d times", name, c)
		}
	}
}
