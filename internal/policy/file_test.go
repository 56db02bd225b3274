package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rewrite replaces the file's content and sets its mtime explicitly, so a
// change is seen even on filesystems with coarse timestamps.
func rewrite(t *testing.T, path, content string, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

var base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func TestReloadOnChange(t *testing.T) {
	path := policyFile(t, "")
	rewrite(t, path, "plain: role:old", base)
	e := newEnforcer(t, deprecatedDefaults, Options{File: path})
	if !e.Check("plain", credsOld, nil) {
		t.Fatal("first file not applied")
	}
	rewrite(t, path, "plain: role:xx", base.Add(time.Second)) // same size, new mtime
	if e.Check("plain", credsOld, nil) || !e.Check("plain", Creds{"roles": []string{"xx"}}, nil) {
		t.Fatalf("changed file not reloaded: %v", e.Rules())
	}
	rewrite(t, path, "plain: role:other", base.Add(time.Second)) // same mtime, new size
	if !e.Check("plain", credsOther, nil) {
		t.Fatalf("resized file not reloaded: %v", e.Rules())
	}
}

func TestBadFileKeepsRules(t *testing.T) {
	path := policyFile(t, "")
	rewrite(t, path, "plain: role:old", base)
	e := newEnforcer(t, deprecatedDefaults, Options{File: path})
	for i, bad := range []string{"plain: [unclosed", "- a list\n- not a mapping\n", "plain"} {
		rewrite(t, path, bad, base.Add(time.Duration(i+1)*time.Second))
		if !e.Check("plain", credsOld, nil) || e.Rules()["plain"] != "role:old" {
			t.Fatalf("bad file %q replaced rules: %v", bad, e.Rules())
		}
	}
	rewrite(t, path, "plain: role:other", base.Add(time.Minute))
	if !e.Check("plain", credsOther, nil) {
		t.Fatal("good file after a bad one not loaded")
	}
}

func TestFileAppearsAndDisappears(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.yaml")
	e := newEnforcer(t, deprecatedDefaults, Options{File: path})
	if !e.Check("plain", credsNew, nil) {
		t.Fatal("missing file: defaults not used")
	}
	rewrite(t, path, "plain: role:other", base)
	if !e.Check("plain", credsOther, nil) {
		t.Fatal("created file not loaded")
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if !e.Check("plain", credsNew, nil) || e.Check("plain", credsOther, nil) {
		t.Fatal("removed file: defaults not restored")
	}
}

func TestReloadInterval(t *testing.T) {
	path := policyFile(t, "")
	rewrite(t, path, "plain: role:old", base)
	e := newEnforcer(t, deprecatedDefaults, Options{File: path, ReloadInterval: time.Minute})
	now := base
	e.now = func() time.Time { return now }
	e.nextStat.Store(now.Add(time.Minute).UnixNano())
	rewrite(t, path, "plain: role:other", base.Add(time.Second))
	now = now.Add(59 * time.Second)
	if !e.Check("plain", credsOld, nil) {
		t.Fatal("file stat()ed before the interval passed")
	}
	now = now.Add(time.Second)
	if !e.Check("plain", credsOther, nil) {
		t.Fatal("file not reloaded after the interval")
	}
}

func TestConcurrentReload(t *testing.T) {
	path := policyFile(t, "")
	rewrite(t, path, "plain: role:r0", base)
	e := newEnforcer(t, deprecatedDefaults, Options{File: path})
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := Creds{"roles": []string{fmt.Sprintf("r%d", g)}}
			for !stop.Load() {
				e.Check("plain", c, nil)
				_ = e.Rules()
			}
		}()
	}
	for i := 1; i <= 50; i++ {
		rewrite(t, path, fmt.Sprintf("plain: role:r%d", i%8), base.Add(time.Duration(i)*time.Second))
	}
	stop.Store(true)
	wg.Wait()
	if !e.Check("plain", Creds{"roles": []string{"r2"}}, nil) {
		t.Fatalf("final file not in effect: %v", e.Rules())
	}
}
