package hypervisor

import (
	"context"
	"errors"
	"io"

	"github.com/monostack/monostack/internal/computerpc"
)

// Driver runs guests on one host. Instances are identified by uuid; the
// agent serialises operations on one instance, so a driver only has to be
// safe for operations on different instances at once.
type Driver interface {
	// HostInfo fingerprints the host.
	HostInfo(ctx context.Context) (computerpc.NodeInfo, error)
	// List reports every guest the driver runs and its power state.
	List(ctx context.Context) ([]computerpc.InstancePower, error)
	// Spawn creates and starts a guest.
	Spawn(ctx context.Context, inst computerpc.Instance) error
	// Destroy stops and removes a guest; an unknown guest is no error.
	Destroy(ctx context.Context, uuid string) error
	Reboot(ctx context.Context, uuid string, hard bool) error
	PowerOff(ctx context.Context, uuid string) error
	PowerOn(ctx context.Context, uuid string) error
	Pause(ctx context.Context, uuid string) error
	Unpause(ctx context.Context, uuid string) error
	Suspend(ctx context.Context, uuid string) error
	Resume(ctx context.Context, uuid string) error
	// Rebuild replaces a guest's disk with a new image and starts it.
	Rebuild(ctx context.Context, inst computerpc.Instance) error
	// Snapshot writes the guest's disk as an image.
	Snapshot(ctx context.Context, uuid string, w io.Writer) error
	// Rescue boots the guest from a rescue image with its disk attached;
	// Unrescue boots it normally again.
	Rescue(ctx context.Context, inst computerpc.Instance, image computerpc.Image) error
	Unrescue(ctx context.Context, uuid string) error
	// MigrateDiskAndPowerOff stops the guest on the source of a resize and
	// hands its disk over; FinishMigration creates it on the destination
	// with the new flavor; ConfirmMigration drops the source copy;
	// FinishRevertMigration brings the source copy back.
	MigrateDiskAndPowerOff(ctx context.Context, uuid string, flavor computerpc.Flavor) error
	FinishMigration(ctx context.Context, inst computerpc.Instance, powerOn bool) error
	ConfirmMigration(ctx context.Context, uuid string) error
	FinishRevertMigration(ctx context.Context, inst computerpc.Instance, powerOn bool) error
	// ConsoleOutput is the guest's serial console log.
	ConsoleOutput(ctx context.Context, uuid string) ([]byte, error)
}

// ErrNotFound is returned for an operation on a guest the driver does not
// run.
var ErrNotFound = errors.New("hypervisor: instance not found")

// ErrInvalidState is returned for an operation the guest's state forbids.
var ErrInvalidState = errors.New("hypervisor: instance in the wrong state")

// HostConfig is what a driver is built from for one host.
type HostConfig struct {
	Host     string
	VCPUs    int
	MemoryMB int
	DiskGB   int
	// Failures are injected failures (fake driver), e.g. "spawn:2".
	Failures []string
}
