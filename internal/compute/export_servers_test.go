package compute

import (
	"context"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// TestInstance is a server row tests write straight through the store,
// for states the API-only environment cannot reach (no conductor).
type TestInstance struct {
	UUID, ProjectID, UserID, Name string
	VMState, TaskState, Host      string
	Launched, Locked              bool
	CreatedAt                     int64 // Unix microseconds; 0 means 1
	IP                            string
	Tags                          []string
	Metadata                      map[string]string
	Flavor                        computerpc.Flavor
	ImageRef                      string
}

// InsertTestInstances writes instances in one transaction.
func InsertTestInstances(d *db.DB, list []TestInstance) error {
	return d.Write(context.Background(), func(tx *db.Tx) error {
		for _, t := range list {
			if err := insertInstance(tx, t.row()); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t TestInstance) row() *instance {
	i := &instance{UUID: t.UUID, ProjectID: t.ProjectID, UserID: t.UserID, DisplayName: t.Name, Hostname: t.Name,
		ImageRef: t.ImageRef, FlavorID: t.Flavor.ID, Flavor: t.Flavor, VMState: t.VMState, ReservationID: "r-test",
		CreatedAt: max(t.CreatedAt, 1), UpdatedAt: max(t.CreatedAt, 1), Locked: t.Locked, Metadata: t.Metadata,
		Tags: t.Tags, SecurityGroups: []string{"default"}}
	if t.TaskState != "" {
		i.TaskState = &t.TaskState
	}
	if t.Host != "" {
		i.Host, i.Node = &t.Host, &t.Host
		i.PowerState = computerpc.PowerRunning
	}
	if t.Launched {
		i.LaunchedAt = &i.CreatedAt
	}
	if t.Locked {
		i.LockedBy = ptr("owner")
	}
	if t.IP != "" {
		i.NetworkInfo = []computerpc.NIC{{PortID: "p-" + t.UUID, NetworkID: nameUUID("network:private"),
			MAC: "fa:16:3e:00:00:01", IPs: []string{t.IP}}}
	}
	return i
}

// InstanceState reads vm_state, task_state and deleted of an instance.
func InstanceState(d *db.DB, uuid string) (vm, task string, deleted bool, err error) {
	err = d.Read(context.Background(), func(tx *db.Tx) error {
		i, err := loadInstance(tx, uuid)
		if err != nil {
			return err
		}
		vm, task, deleted = i.VMState, deref(i.TaskState), i.Deleted
		return nil
	})
	return vm, task, deleted, err
}

// StubNetworkID is the stub network's id for the default name.
func StubNetworkID() string { return nameUUID("network:" + defaultStubNetworkName) }

// NewStubNetwork is the stand-in network tests wrap.
func NewStubNetwork() Network { return newStubNetwork() }
