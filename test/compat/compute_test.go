package compat

import (
	"strings"
	"testing"
)

// server is the part of `openstack server show -f json` the tests read.
type server struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Host     string `json:"OS-EXT-SRV-ATTR:host"`
	AZ       string `json:"OS-EXT-AZ:availability_zone"`
	Flavor   any    `json:"flavor"`
	Fault    any    `json:"fault"`
	Locked   any    `json:"locked"`
	VMState  string `json:"OS-EXT-STS:vm_state"`
	Power    any    `json:"OS-EXT-STS:power_state"`
	TaskStat any    `json:"OS-EXT-STS:task_state"`
}

func (c *cloud) showServer(t *testing.T, cr creds, name string) server {
	t.Helper()
	var s server
	c.jsonOut(t, cr, &s, "server", "show", name)
	return s
}

// waitStatus polls until the server reaches status.
func (c *cloud) waitStatus(t *testing.T, cr creds, name, status string) server {
	t.Helper()
	var s server
	for range 200 {
		s = c.showServer(t, cr, name)
		if s.Status == status {
			return s
		}
		if s.Status == "ERROR" && status != "ERROR" {
			t.Fatalf("server %s went to ERROR: %v", name, s.Fault)
		}
	}
	t.Fatalf("server %s is %s, never %s", name, s.Status, status)
	return s
}

func TestComputeWalkthrough(t *testing.T) {
	requireCLI(t)
	c := startCloud(t, "--fake-hosts", "2", "--allow-resize-to-same-host=false")
	admin := c.admin()

	c.ok(t, admin, "flavor", "create", "--disk", "1", "--ram", "768", "--id", "20", "newflavor")
	c.ok(t, admin, "project", "create", "demo")
	c.ok(t, admin, "user", "create", "--project", "demo", "--password", "demo-pass", "demo")
	c.ok(t, admin, "role", "add", "--project", "demo", "--user", "demo", "member")
	demo := creds{user: "demo", password: "demo-pass", project: "demo"}
	_, stderr, err := c.run(t, demo, "flavor", "create", "--disk", "1", "--ram", "768", "--id", "21", "sneaky")
	if err == nil || !strings.Contains(stderr, "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.") {
		t.Fatalf("member flavor create: err %v stderr %q", err, stderr)
	}

	out := c.ok(t, demo, "keypair", "create", "demo-key")
	if !strings.Contains(out, "PRIVATE KEY") {
		t.Fatalf("keypair create printed no private key: %q", out)
	}
	c.ok(t, demo, "server", "create", "--flavor", "m1.small", "--image", "cirros", "--network", "private",
		"--key-name", "demo-key", "--wait", "test-instance")
	if s := c.showServer(t, demo, "test-instance"); s.Status != "ACTIVE" {
		t.Fatalf("after --wait the server is %s", s.Status)
	}
	if out := c.ok(t, demo, "server", "list", "-f", "value", "-c", "Name", "-c", "Status"); !strings.Contains(out, "test-instance ACTIVE") {
		t.Fatalf("server list: %q", out)
	}
	// The network service made the server's port and bound it.
	if out := c.ok(t, demo, "port", "list", "--server", "test-instance", "-f", "value", "-c", "Fixed IP Addresses", "-c", "Status"); !strings.Contains(out, "'ip_address': '10.0.0.") || !strings.HasSuffix(strings.TrimSpace(out), "ACTIVE") {
		t.Fatalf("port list --server: %q", out)
	}

	for _, step := range []struct{ verb, status string }{
		{"stop", "SHUTOFF"}, {"start", "ACTIVE"}, {"reboot", "ACTIVE"}, {"pause", "PAUSED"},
		{"unpause", "ACTIVE"}, {"suspend", "SUSPENDED"}, {"resume", "ACTIVE"},
	} {
		c.ok(t, demo, "server", step.verb, "test-instance")
		c.waitStatus(t, demo, "test-instance", step.status)
	}
	c.ok(t, demo, "server", "lock", "test-instance")
	if _, _, err := c.run(t, demo, "server", "stop", "test-instance"); err == nil {
		t.Fatal("a locked server was stopped by its owner")
	}
	c.ok(t, demo, "server", "unlock", "test-instance")

	c.ok(t, demo, "server", "resize", "--flavor", "m1.medium", "--wait", "test-instance")
	c.waitStatus(t, demo, "test-instance", "VERIFY_RESIZE")
	c.ok(t, demo, "server", "resize", "confirm", "test-instance")
	c.waitStatus(t, demo, "test-instance", "ACTIVE")

	c.ok(t, demo, "server", "image", "create", "--name", "snap", "--wait", "test-instance")
	if out := c.ok(t, demo, "image", "show", "snap", "-f", "value", "-c", "status"); strings.TrimSpace(out) != "active" {
		t.Fatalf("snapshot status %q", out)
	}
	if out := c.ok(t, demo, "server", "event", "list", "test-instance", "-f", "value", "-c", "Action"); !strings.Contains(out, "create") ||
		!strings.Contains(out, "resize") || !strings.Contains(out, "createImage") {
		t.Fatalf("server event list: %q", out)
	}

	c.ok(t, admin, "compute", "service", "list")
	if out := c.ok(t, admin, "hypervisor", "list", "-f", "value", "-c", "State"); strings.Count(out, "up") != 2 {
		t.Fatalf("hypervisor list: %q", out)
	}

	c.ok(t, demo, "server", "delete", "--wait", "test-instance")
	if out := c.ok(t, demo, "server", "list", "-f", "value"); strings.TrimSpace(out) != "" {
		t.Fatalf("servers left: %q", out)
	}
}

func TestComputeGroupsZonesAndQuotas(t *testing.T) {
	requireCLI(t)
	c := startCloud(t, "--fake-hosts", "2")
	admin := c.admin()

	group := strings.TrimSpace(c.ok(t, admin, "server", "group", "create", "--policy", "anti-affinity", "apart", "-f", "value", "-c", "id"))
	for _, name := range []string{"one", "two"} {
		c.ok(t, admin, "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "private",
			"--hint", "group="+group, "--wait", name)
	}
	if a, b := c.showServer(t, admin, "one").Host, c.showServer(t, admin, "two").Host; a == b || a == "" {
		t.Fatalf("anti-affinity members on %q and %q", a, b)
	}
	_, _, _ = c.run(t, admin, "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "private",
		"--hint", "group="+group, "three")
	s := c.waitStatus(t, admin, "three", "ERROR")
	if !strings.Contains(faultMessage(s.Fault), "No valid host was found.") {
		t.Fatalf("third member fault: %v", s.Fault)
	}

	hosts := strings.Fields(c.ok(t, admin, "compute", "service", "list", "--service", "nova-compute", "-f", "value", "-c", "Host"))
	if len(hosts) != 2 {
		t.Fatalf("compute hosts %v", hosts)
	}
	c.ok(t, admin, "aggregate", "create", "--zone", "az2", "agg2")
	c.ok(t, admin, "aggregate", "add", "host", "agg2", hosts[1])
	c.ok(t, admin, "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "private",
		"--availability-zone", "az2", "--wait", "zoned")
	if s := c.showServer(t, admin, "zoned"); s.Host != hosts[1] || s.AZ != "az2" {
		t.Fatalf("zoned server on %q in %q, want %q in az2", s.Host, s.AZ, hosts[1])
	}

	c.ok(t, admin, "project", "create", "small")
	c.ok(t, admin, "user", "create", "--project", "small", "--password", "small-pass", "small")
	c.ok(t, admin, "role", "add", "--project", "small", "--user", "small", "member")
	c.ok(t, admin, "quota", "set", "--instances", "2", "small")
	small := creds{user: "small", password: "small-pass", project: "small"}
	for _, name := range []string{"q1", "q2"} {
		c.ok(t, small, "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "private", name)
	}
	_, stderr, err := c.run(t, small, "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "private", "q3")
	if err == nil || !strings.Contains(stderr, "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances") {
		t.Fatalf("third boot: err %v stderr %q", err, stderr)
	}
}

// faultMessage reads a server's fault message from the CLI's JSON.
func faultMessage(f any) string {
	if m, ok := f.(map[string]any); ok {
		s, _ := m["message"].(string)
		return s
	}
	return ""
}
