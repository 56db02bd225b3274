package ml2

import (
	"context"

	"github.com/monostack/monostack/internal/db"
)

// Fake is the mechanism driver used until a dataplane exists: it accepts
// every change and binds every normal port to the first segment with
// vif_type "ovs", as Neutron's test mechanism driver does, so Nova-side
// code sees an ordinary binding.
type Fake struct{}

// Name is "fake".
func (Fake) Name() string { return "fake" }

// Precommit accepts the change.
func (Fake) Precommit(*db.Tx, *Change) error { return nil }

// Postcommit accepts the change.
func (Fake) Postcommit(context.Context, *Change) error { return nil }

// BindPort binds normal ports on any host to the first segment.
func (Fake) BindPort(_, vnicType string, _ map[string]any, segments []Segment) (Binding, bool) {
	if len(segments) == 0 || (vnicType != "" && vnicType != "normal") {
		return Binding{}, false
	}
	return Binding{SegmentID: segments[0].ID, VIFType: "ovs",
		VIFDetails: map[string]any{"port_filter": true, "connectivity": "l2"}}, true
}

// ActivatesPorts is true: with no agent to report, bound ports are up.
func (Fake) ActivatesPorts() bool { return true }
