package fake

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/hypervisor"
)

var ctx = context.Background()

func newDriver(t *testing.T, failures ...string) *Driver {
	t.Helper()
	d, err := New(hypervisor.HostConfig{Host: "fake-1", Failures: failures})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func spawn(t *testing.T, d *Driver, id string) {
	t.Helper()
	if err := d.Spawn(ctx, computerpc.Instance{UUID: id, Name: "instance-00000001", Hostname: "vm"}); err != nil {
		t.Fatal(err)
	}
}

func power(t *testing.T, d *Driver, id string) int {
	t.Helper()
	p, ok := d.PowerState(id)
	if !ok {
		t.Fatalf("%s is gone", id)
	}
	return p
}

func TestLifecycleTransitions(t *testing.T) {
	d := newDriver(t)
	spawn(t, d, "a")
	steps := []struct {
		name string
		op   func() error
		want int
	}{
		{"pause", func() error { return d.Pause(ctx, "a") }, computerpc.PowerPaused},
		{"unpause", func() error { return d.Unpause(ctx, "a") }, computerpc.PowerRunning},
		{"suspend", func() error { return d.Suspend(ctx, "a") }, computerpc.PowerSuspended},
		{"resume", func() error { return d.Resume(ctx, "a") }, computerpc.PowerRunning},
		{"power off", func() error { return d.PowerOff(ctx, "a") }, computerpc.PowerShutdown},
		{"power on", func() error { return d.PowerOn(ctx, "a") }, computerpc.PowerRunning},
		{"hard reboot", func() error { return d.Reboot(ctx, "a", true) }, computerpc.PowerRunning},
	}
	for _, s := range steps {
		if err := s.op(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := power(t, d, "a"); got != s.want {
			t.Fatalf("%s: power %d, want %d", s.name, got, s.want)
		}
	}
	if err := d.Unpause(ctx, "a"); !errors.Is(err, hypervisor.ErrInvalidState) {
		t.Fatalf("unpause of a running guest: %v", err)
	}
	if err := d.Pause(ctx, "nope"); !errors.Is(err, hypervisor.ErrNotFound) {
		t.Fatalf("pause of an unknown guest: %v", err)
	}
	out, err := d.ConsoleOutput(ctx, "a")
	if err != nil || !strings.Contains(string(out), "vm login:") {
		t.Fatalf("console %q %v", out, err)
	}
	if err := d.Destroy(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if list, _ := d.List(ctx); len(list) != 0 {
		t.Fatalf("left %v", list)
	}
}

func TestInjectedFailures(t *testing.T) {
	d := newDriver(t, "spawn:1")
	if err := d.Spawn(ctx, computerpc.Instance{UUID: "a"}); err == nil {
		t.Fatal("the injected failure did not happen")
	}
	spawn(t, d, "a")
	if err := d.Inject("reboot:always"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := d.Reboot(ctx, "a", true); err == nil {
			t.Fatal("reboot:always let a reboot through")
		}
	}
	if _, err := New(hypervisor.HostConfig{Failures: []string{"spawn:x"}}); err == nil {
		t.Fatal("a bad failure spec was accepted")
	}
}

func TestResizeAndSnapshot(t *testing.T) {
	d := newDriver(t)
	spawn(t, d, "a")
	var buf bytes.Buffer
	if err := d.Snapshot(ctx, "a", &buf); err != nil || buf.Len() == 0 {
		t.Fatalf("snapshot %d bytes, %v", buf.Len(), err)
	}
	if err := d.MigrateDiskAndPowerOff(ctx, "a", computerpc.Flavor{Name: "m1.medium"}); err != nil {
		t.Fatal(err)
	}
	if err := d.FinishMigration(ctx, computerpc.Instance{UUID: "a"}, true); err != nil {
		t.Fatal(err)
	}
	if err := d.ConfirmMigration(ctx, "a"); err != nil || power(t, d, "a") != computerpc.PowerRunning {
		t.Fatalf("resize in place lost the guest: %v", err)
	}
	dest := newDriver(t)
	if err := d.MigrateDiskAndPowerOff(ctx, "a", computerpc.Flavor{}); err != nil {
		t.Fatal(err)
	}
	if err := dest.FinishMigration(ctx, computerpc.Instance{UUID: "a"}, true); err != nil {
		t.Fatal(err)
	}
	if err := d.ConfirmMigration(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.PowerState("a"); ok {
		t.Fatal("the source kept its copy after confirm")
	}
	if power(t, dest, "a") != computerpc.PowerRunning {
		t.Fatal("the destination copy is not running")
	}
}
