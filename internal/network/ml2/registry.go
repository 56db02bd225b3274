package ml2

import (
	"context"
	"fmt"

	"github.com/monostack/monostack/internal/db"
)

// mechanismDrivers is the static registry of mechanism drivers by name
// (Neutron's neutron.ml2.mechanism_drivers entry points).
var mechanismDrivers = map[string]func() MechanismDriver{
	"fake": func() MechanismDriver { return Fake{} },
}

// Mechanisms is the ordered set of configured mechanism drivers.
type Mechanisms struct{ drivers []MechanismDriver }

// NewMechanisms builds the named drivers; an unknown name fails, as
// Neutron refuses to start.
func NewMechanisms(names []string) (*Mechanisms, error) {
	m := &Mechanisms{}
	for _, n := range names {
		f, ok := mechanismDrivers[n]
		if !ok {
			return nil, fmt.Errorf("the following mechanism drivers were not found: %s", n)
		}
		m.drivers = append(m.drivers, f())
	}
	return m, nil
}

// Precommit calls every driver in order; the first error stops.
func (m *Mechanisms) Precommit(tx *db.Tx, c *Change) error {
	for _, d := range m.drivers {
		if err := d.Precommit(tx, c); err != nil {
			return fmt.Errorf("mechanism driver %s: %w", d.Name(), err)
		}
	}
	return nil
}

// Postcommit calls every driver, continuing past failures, and returns
// the first error.
func (m *Mechanisms) Postcommit(ctx context.Context, c *Change) error {
	var first error
	for _, d := range m.drivers {
		if err := d.Postcommit(ctx, c); err != nil && first == nil {
			first = fmt.Errorf("mechanism driver %s: %w", d.Name(), err)
		}
	}
	return first
}

// Bind asks the drivers in order to bind a port.
func (m *Mechanisms) Bind(host, vnicType string, port map[string]any, segments []Segment) (Binding, bool) {
	for _, d := range m.drivers {
		if b, ok := d.(PortBinder); ok {
			if got, ok := b.BindPort(host, vnicType, port, segments); ok {
				return got, true
			}
		}
	}
	return Binding{}, false
}

// PortActivator is a driver with no agent behind it: the ports it binds
// are up as soon as they are bound.
type PortActivator interface{ ActivatesPorts() bool }

// ActivatesPorts says whether a driver marks its bound ports ACTIVE itself.
func (m *Mechanisms) ActivatesPorts() bool {
	for _, d := range m.drivers {
		if a, ok := d.(PortActivator); ok && a.ActivatesPorts() {
			return true
		}
	}
	return false
}
