package identity_test

import (
	"context"
	"testing"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

func TestProjectExistsInProcess(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	r := e.Do(t, "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "p1"}})
	id := r.Body["project"].(map[string]any)["id"].(string)
	ctx := context.Background()
	for _, tc := range []struct {
		id   string
		want bool
	}{{id, true}, {"default", false}, {"nope", false}} {
		if got, err := e.Service.ProjectExists(ctx, tc.id); err != nil || got != tc.want {
			t.Fatalf("ProjectExists(%q) = %v, %v; want %v", tc.id, got, err, tc.want)
		}
	}
}
