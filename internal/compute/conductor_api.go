package compute

import (
	"context"
	"encoding/json"

	"github.com/monostack/monostack/internal/bus"
)

// The API casts work to the conductors on this subject (queue group
// computerpc.ConductorQueue), so any controller running the conductor
// role serves it. The conductor reads everything else from the database.
const conductorAPISubject = "monostack.conductor.api"

// buildInstances asks the conductor to schedule and build instances that
// the API created in BUILD/scheduling (one request, so a group's members
// are placed together).
type buildInstances struct {
	InstanceUUIDs []string `json:"instance_uuids"`
}

func (buildInstances) MessageType() string         { return "conductor.build_instances" }
func (buildInstances) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// instanceAction asks the conductor to carry out an action the API
// accepted: the API already set the task_state and recorded the instance
// action under ActionRequestID. Action is Nova's action name
// (instance_actions.action: "reboot", "stop", "resize", "createImage", …);
// Params its arguments (reboot type, flavor id, image id, …).
type instanceAction struct {
	InstanceUUID    string          `json:"instance_uuid"`
	Action          string          `json:"action"`
	ActionRequestID string          `json:"action_request_id"`
	Params          json.RawMessage `json:"params,omitempty"`
	// Token is the caller's token for work done on the caller's behalf
	// (snapshot uploads).
	Token string `json:"token,omitempty"`
}

func (instanceAction) MessageType() string         { return "conductor.instance_action" }
func (instanceAction) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// castBuild hands instances to the conductor. With no bus (an API-only
// test), the instances stay in BUILD.
func (s *Service) castBuild(ctx context.Context, uuids []string) error {
	if s.bus == nil {
		return nil
	}
	return s.bus.Cast(ctx, conductorAPISubject, buildInstances{InstanceUUIDs: uuids})
}

// castAction hands an accepted action to the conductor.
func (s *Service) castAction(ctx context.Context, a instanceAction) error {
	if s.bus == nil {
		return nil
	}
	return s.bus.Cast(ctx, conductorAPISubject, a)
}
