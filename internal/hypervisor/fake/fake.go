package fake

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/hypervisor"
)

// guest is one fake guest.
type guest struct {
	inst    computerpc.Instance
	power   int
	rescued bool
	// migrated is set on the source of a resize between handing the
	// disk over and confirm or revert.
	migrated bool
	console  []string
}

// Driver is a fake host.
type Driver struct {
	cfg   hypervisor.HostConfig
	fail  *failures
	delay time.Duration

	mu     sync.Mutex
	guests map[string]*guest
}

// New builds a fake host. Zero sizes get 16 vCPUs, 32 GiB and 200 GB.
func New(cfg hypervisor.HostConfig) (*Driver, error) {
	if cfg.VCPUs <= 0 {
		cfg.VCPUs = 16
	}
	if cfg.MemoryMB <= 0 {
		cfg.MemoryMB = 32768
	}
	if cfg.DiskGB <= 0 {
		cfg.DiskGB = 200
	}
	f, err := parseFailures(cfg.Failures)
	if err != nil {
		return nil, err
	}
	return &Driver{cfg: cfg, fail: f, guests: map[string]*guest{}}, nil
}

// SetDelay makes every operation take d (tests of in-flight states).
func (d *Driver) SetDelay(delay time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.delay = delay
}

// HostInfo implements hypervisor.Driver.
func (d *Driver) HostInfo(context.Context) (computerpc.NodeInfo, error) {
	cpu, _ := json.Marshal(map[string]any{"arch": "x86_64", "model": "fake", "vendor": "monostack",
		"topology": map[string]int{"sockets": 1, "cores": d.cfg.VCPUs, "threads": 1}, "features": []string{}})
	return computerpc.NodeInfo{Host: d.cfg.Host, HypervisorHostname: d.cfg.Host, HypervisorType: "fake",
		HypervisorVersion: 1000, HostIP: "127.0.0.1", VCPUs: d.cfg.VCPUs, MemoryMB: d.cfg.MemoryMB,
		LocalGB: d.cfg.DiskGB, CPUInfo: string(cpu), Traits: []string{"COMPUTE_NET_ATTACH_INTERFACE"}}, nil
}

// List implements hypervisor.Driver.
func (d *Driver) List(context.Context) ([]computerpc.InstancePower, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]computerpc.InstancePower, 0, len(d.guests))
	for id, g := range d.guests {
		out = append(out, computerpc.InstancePower{UUID: id, PowerState: g.power})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UUID < out[j].UUID })
	return out, nil
}

// PowerState reports one guest's power state (tests).
func (d *Driver) PowerState(uuid string) (int, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	g, ok := d.guests[uuid]
	if !ok {
		return 0, false
	}
	return g.power, true
}

// begin waits out the delay and applies injected failures for op.
func (d *Driver) begin(ctx context.Context, op string) error {
	d.mu.Lock()
	delay := d.delay
	d.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if d.fail.take(op) {
		return fmt.Errorf("fake: injected %s failure on %s", op, d.cfg.Host)
	}
	return nil
}

// change runs fn on a guest under the lock after begin.
func (d *Driver) change(ctx context.Context, op, uuid string, fn func(g *guest) error) error {
	if err := d.begin(ctx, op); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	g, ok := d.guests[uuid]
	if !ok {
		return fmt.Errorf("%w: %s on %s", hypervisor.ErrNotFound, uuid, d.cfg.Host)
	}
	return fn(g)
}

// need refuses unless the guest is in one of the power states.
func need(g *guest, op string, states ...int) error {
	for _, s := range states {
		if g.power == s {
			return nil
		}
	}
	return fmt.Errorf("%w: cannot %s %s in power state %d", hypervisor.ErrInvalidState, op, g.inst.UUID, g.power)
}

func (g *guest) log(format string, args ...any) {
	g.console = append(g.console, fmt.Sprintf("[%s] ", time.Now().UTC().Format("15:04:05"))+fmt.Sprintf(format, args...))
}

// boot writes a boot log and runs the guest.
func (g *guest) boot() {
	g.power = computerpc.PowerRunning
	g.log("fake BIOS: booting %s", g.inst.Name)
	g.log("Linux version 6.1.0-fake (monostack fake hypervisor)")
	for _, n := range g.inst.NICs {
		g.log("eth: %s %s", n.MAC, strings.Join(n.IPs, " "))
	}
	g.log("%s login:", g.inst.Hostname)
}

// Spawn implements hypervisor.Driver.
func (d *Driver) Spawn(ctx context.Context, inst computerpc.Instance) error {
	if err := d.begin(ctx, "spawn"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.guests[inst.UUID]; ok {
		return fmt.Errorf("%w: %s already exists on %s", hypervisor.ErrInvalidState, inst.UUID, d.cfg.Host)
	}
	g := &guest{inst: inst}
	g.boot()
	if inst.PowerState == computerpc.PowerShutdown {
		g.power = computerpc.PowerShutdown
	}
	d.guests[inst.UUID] = g
	return nil
}

// Destroy implements hypervisor.Driver.
func (d *Driver) Destroy(ctx context.Context, uuid string) error {
	if err := d.begin(ctx, "destroy"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.guests, uuid)
	return nil
}

// Reboot implements hypervisor.Driver.
func (d *Driver) Reboot(ctx context.Context, uuid string, hard bool) error {
	return d.change(ctx, "reboot", uuid, func(g *guest) error {
		if !hard {
			if err := need(g, "soft reboot", computerpc.PowerRunning); err != nil {
				return err
			}
		}
		g.log("reboot (hard=%v)", hard)
		g.boot()
		return nil
	})
}

// PowerOff implements hypervisor.Driver.
func (d *Driver) PowerOff(ctx context.Context, uuid string) error {
	return d.change(ctx, "power_off", uuid, func(g *guest) error {
		g.log("power off")
		g.power = computerpc.PowerShutdown
		return nil
	})
}

// PowerOn implements hypervisor.Driver.
func (d *Driver) PowerOn(ctx context.Context, uuid string) error {
	return d.change(ctx, "power_on", uuid, func(g *guest) error {
		g.boot()
		return nil
	})
}

// Pause implements hypervisor.Driver.
func (d *Driver) Pause(ctx context.Context, uuid string) error {
	return d.transition(ctx, "pause", uuid, computerpc.PowerRunning, computerpc.PowerPaused)
}

// Unpause implements hypervisor.Driver.
func (d *Driver) Unpause(ctx context.Context, uuid string) error {
	return d.transition(ctx, "unpause", uuid, computerpc.PowerPaused, computerpc.PowerRunning)
}

// Suspend implements hypervisor.Driver.
func (d *Driver) Suspend(ctx context.Context, uuid string) error {
	return d.transition(ctx, "suspend", uuid, computerpc.PowerRunning, computerpc.PowerSuspended)
}

// Resume implements hypervisor.Driver.
func (d *Driver) Resume(ctx context.Context, uuid string) error {
	return d.transition(ctx, "resume", uuid, computerpc.PowerSuspended, computerpc.PowerRunning)
}

func (d *Driver) transition(ctx context.Context, op, uuid string, from, to int) error {
	return d.change(ctx, op, uuid, func(g *guest) error {
		if err := need(g, op, from); err != nil {
			return err
		}
		g.log("%s", op)
		g.power = to
		return nil
	})
}

// Rebuild implements hypervisor.Driver.
func (d *Driver) Rebuild(ctx context.Context, inst computerpc.Instance) error {
	return d.change(ctx, "rebuild", inst.UUID, func(g *guest) error {
		g.inst = inst
		g.console = nil
		g.boot()
		if inst.PowerState == computerpc.PowerShutdown {
			g.power = computerpc.PowerShutdown // a stopped guest stays stopped
		}
		return nil
	})
}

// Snapshot implements hypervisor.Driver: the data is a deterministic
// stand-in for the guest's disk.
func (d *Driver) Snapshot(ctx context.Context, uuid string, w io.Writer) error {
	var data []byte
	err := d.change(ctx, "snapshot", uuid, func(g *guest) error {
		sum := sha256.Sum256([]byte(g.inst.UUID + g.inst.Image.ID))
		data = append([]byte("monostack fake disk of "+g.inst.Name+"\n"), sum[:]...)
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// Rescue implements hypervisor.Driver.
func (d *Driver) Rescue(ctx context.Context, inst computerpc.Instance, image computerpc.Image) error {
	return d.change(ctx, "rescue", inst.UUID, func(g *guest) error {
		g.rescued = true
		g.log("rescue boot from image %s", image.ID)
		g.power = computerpc.PowerRunning
		return nil
	})
}

// Unrescue implements hypervisor.Driver.
func (d *Driver) Unrescue(ctx context.Context, uuid string) error {
	return d.change(ctx, "unrescue", uuid, func(g *guest) error {
		if !g.rescued {
			return fmt.Errorf("%w: %s is not rescued", hypervisor.ErrInvalidState, uuid)
		}
		g.rescued = false
		g.boot()
		return nil
	})
}

// MigrateDiskAndPowerOff implements hypervisor.Driver.
func (d *Driver) MigrateDiskAndPowerOff(ctx context.Context, uuid string, flavor computerpc.Flavor) error {
	return d.change(ctx, "migrate_disk", uuid, func(g *guest) error {
		g.log("power off for resize to %s", flavor.Name)
		g.power = computerpc.PowerShutdown
		g.migrated = true
		return nil
	})
}

// FinishMigration implements hypervisor.Driver. On the same host (resize
// in place) the source guest becomes the resized one.
func (d *Driver) FinishMigration(ctx context.Context, inst computerpc.Instance, powerOn bool) error {
	if err := d.begin(ctx, "finish_migration"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	g, ok := d.guests[inst.UUID]
	if !ok {
		g = &guest{}
		d.guests[inst.UUID] = g
	}
	g.inst, g.migrated = inst, false
	g.power = computerpc.PowerShutdown
	if powerOn {
		g.boot()
	}
	return nil
}

// ConfirmMigration implements hypervisor.Driver: the source copy goes,
// unless the guest never left this host.
func (d *Driver) ConfirmMigration(ctx context.Context, uuid string) error {
	if err := d.begin(ctx, "confirm_migration"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if g, ok := d.guests[uuid]; ok && g.migrated {
		delete(d.guests, uuid)
	}
	return nil
}

// FinishRevertMigration implements hypervisor.Driver.
func (d *Driver) FinishRevertMigration(ctx context.Context, inst computerpc.Instance, powerOn bool) error {
	return d.FinishMigration(ctx, inst, powerOn)
}

// ConsoleOutput implements hypervisor.Driver.
func (d *Driver) ConsoleOutput(ctx context.Context, uuid string) ([]byte, error) {
	var out []byte
	err := d.change(ctx, "console", uuid, func(g *guest) error {
		out = []byte(strings.Join(g.console, "\n") + "\n")
		return nil
	})
	return out, err
}
