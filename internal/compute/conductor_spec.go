package compute

import (
	"maps"

	"github.com/monostack/monostack/internal/computerpc"
)

// instanceSpec is the desired state of an instance as its agent needs it.
func instanceSpec(i *instance) computerpc.Instance {
	return computerpc.Instance{UUID: i.UUID, Name: i.guestName(), Hostname: i.Hostname,
		DisplayName: i.DisplayName, ProjectID: i.ProjectID, UserID: i.UserID, Flavor: i.Flavor,
		Image: computerpc.Image{ID: i.ImageRef, Properties: maps.Clone(i.Requested.ImageProperties)},
		NICs:  i.NetworkInfo, UserData: deref(i.UserData), KeyName: deref(i.KeyName), KeyData: deref(i.KeyData),
		Metadata: maps.Clone(i.Metadata), ConfigDrive: i.ConfigDrive != "", PowerState: desiredPower(i.VMState)}
}

// desiredPower is the power state a guest in vmState should have.
func desiredPower(vmState string) int {
	switch vmState {
	case vmStopped:
		return computerpc.PowerShutdown
	case vmPaused:
		return computerpc.PowerPaused
	case vmSuspended:
		return computerpc.PowerSuspended
	}
	return computerpc.PowerRunning
}
