package compat

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/db/dbtest"
)

// cloud is a running `monostack up` started by the test.
type cloud struct {
	authURL  string
	password string
	busURL   string
	netURL   string
	dsn      string // the PostgreSQL database, "" on SQLite
	stateDir string
	cmd      *exec.Cmd
	stderr   *syncBuffer
}

// binary returns the monostack binary: $MONOSTACK_BIN (set by make), else
// one built from this tree for the test run.
func binary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("MONOSTACK_BIN"); b != "" {
		return b
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "monostack-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "monostack")
		out, err := exec.Command("go", "build", "-o", builtBin, "github.com/monostack/monostack/cmd/monostack").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// requireCLI skips when the openstack CLI is missing (make test installs it).
func requireCLI(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("openstack"); err != nil {
		t.Skip("the openstack CLI is not installed (make test installs python3-openstackclient)")
	}
}

var readyURL = regexp.MustCompile(`identity\s+(http://\S+)`)
var readyPassword = regexp.MustCompile(`password "([^"]+)"`)
var readyNetwork = regexp.MustCompile(`network\s+(http://\S+)`)

// startCloud runs `monostack up` on free ports in a temporary state
// directory and waits for its banner; it is stopped with SIGTERM at the
// end of the test, which must exit cleanly.
func startCloud(t *testing.T, extra ...string) *cloud {
	t.Helper()
	c := &cloud{stateDir: t.TempDir(), stderr: &syncBuffer{}}
	args := append([]string{"up", "--state-dir", c.stateDir, "--identity-port", "0", "--image-port", "0",
		"--compute-port", "0", "--placement-port", "0", "--network-port", "0", "--bus-port", "0", "--bcrypt-cost", "4"}, extra...)
	if c.dsn = dbtest.DSN(t); c.dsn != "" {
		args = append(args, "--db", c.dsn)
	}
	c.cmd = exec.Command(binary(t), args...)
	c.cmd.Stderr = c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.stop(t) })
	banner := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if sc.Text() == "Ready." {
				banner <- b.String()
			}
		}
	}()
	select {
	case s := <-banner:
		c.authURL = readyURL.FindStringSubmatch(s)[1]
		c.password = readyPassword.FindStringSubmatch(s)[1]
		if m := busURL.FindStringSubmatch(s); m != nil {
			c.busURL = m[1]
		}
		if m := readyNetwork.FindStringSubmatch(s); m != nil {
			c.netURL = m[1]
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("monostack up did not get ready; stderr:\n%s", c.stderr.String())
	}
	return c
}

func (c *cloud) stop(t *testing.T) {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if t.Failed() {
			t.Logf("monostack stderr:\n%s", c.stderr.String())
		}
		if err != nil {
			t.Errorf("monostack up did not exit cleanly on SIGTERM: %v\n%s", err, c.stderr.String())
		}
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		t.Errorf("monostack up ignored SIGTERM")
	}
}

// creds are what the CLI authenticates with.
type creds struct {
	user, password, project  string
	appCredID, appCredSecret string
}

func (c *cloud) admin() creds { return creds{user: "admin", password: c.password, project: "admin"} }

// env builds the OS_* environment for the CLI.
func (c *cloud) env(cr creds) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + c.stateDir, "OS_AUTH_URL=" + c.authURL,
		"OS_IDENTITY_API_VERSION=3", "OS_REGION_NAME=RegionOne", "OS_INTERFACE=public"}
	if cr.appCredID != "" {
		return append(env, "OS_AUTH_TYPE=v3applicationcredential",
			"OS_APPLICATION_CREDENTIAL_ID="+cr.appCredID, "OS_APPLICATION_CREDENTIAL_SECRET="+cr.appCredSecret)
	}
	return append(env, "OS_USERNAME="+cr.user, "OS_PASSWORD="+cr.password, "OS_PROJECT_NAME="+cr.project,
		"OS_USER_DOMAIN_NAME=Default", "OS_PROJECT_DOMAIN_NAME=Default")
}

// run runs the openstack CLI and returns stdout, stderr and the error.
func (c *cloud) run(t *testing.T, cr creds, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "openstack", args...)
	cmd.Env = c.env(cr)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// ok runs the CLI and fails the test unless it succeeds.
func (c *cloud) ok(t *testing.T, cr creds, args ...string) string {
	t.Helper()
	out, errOut, err := c.run(t, cr, args...)
	if err != nil {
		t.Fatalf("openstack %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// jsonOut runs the CLI with -f json and decodes the result into v.
func (c *cloud) jsonOut(t *testing.T, cr creds, v any, args ...string) {
	t.Helper()
	out := c.ok(t, cr, append(args, "-f", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("openstack %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
