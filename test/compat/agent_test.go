package compat

import (
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

var busURL = regexp.MustCompile(`bus\s+(nats://\S+)`)

// startAgent runs `monostack agent` for host against the cloud's bus.
func (c *cloud) startAgent(t *testing.T, host string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary(t), "agent", "--bus", c.busURL, "--host", host, "--state-dir", t.TempDir(),
		"--report-interval", "200ms", "--log-level", "warn")
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd
}

// serviceState is the State column of host's nova-compute service.
func (c *cloud) serviceState(t *testing.T, host string) string {
	t.Helper()
	out := c.ok(t, c.admin(), "compute", "service", "list", "--service", "nova-compute", "--host", host, "-f", "value", "-c", "State")
	return strings.TrimSpace(out)
}

func (c *cloud) waitServiceState(t *testing.T, host, state string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for c.serviceState(t, host) != state {
		if time.Now().After(deadline) {
			t.Fatalf("service on %s never became %s", host, state)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestSeparateAgentJoinsLeavesAndRecovers(t *testing.T) {
	requireCLI(t)
	c := startCloud(t, "--report-interval", "200ms", "--service-down-time", "1s", "--host", "local")
	admin := c.admin()
	agent := c.startAgent(t, "remote")
	c.waitServiceState(t, "remote", "up", 10*time.Second)

	c.ok(t, admin, "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "private",
		"--availability-zone", "nova:remote", "--wait", "far")
	if h := c.showServer(t, admin, "far").Host; h != "remote" {
		t.Fatalf("forced server on %q", h)
	}

	// A crash: no goodbye, so the service turns down when its beats stop.
	_ = agent.Process.Signal(syscall.SIGKILL)
	_ = agent.Wait()
	c.waitServiceState(t, "remote", "down", 5*time.Second)
	for _, name := range []string{"near1", "near2"} {
		c.ok(t, admin, "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "private", "--wait", name)
		if h := c.showServer(t, admin, name).Host; h != "local" {
			t.Fatalf("%s built on %q while remote is down", name, h)
		}
	}

	c.startAgent(t, "remote")
	c.waitServiceState(t, "remote", "up", 10*time.Second)
	c.ok(t, admin, "server", "stop", "far")
	c.waitStatus(t, admin, "far", "SHUTOFF")
}
