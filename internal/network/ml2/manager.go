package ml2

import (
	"fmt"
	"sort"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Manager is ML2's type manager: the type drivers and the tenant types.
type Manager struct {
	cfg     Config
	drivers map[string]TypeDriver
}

// NewManager builds the type drivers of cfg; unknown tenant types fail.
func NewManager(cfg Config) (*Manager, error) {
	if cfg.GlobalPhysnetMTU == 0 {
		cfg.GlobalPhysnetMTU = 1500
	}
	m := &Manager{cfg: cfg, drivers: driversFor(cfg)}
	for _, t := range cfg.TenantNetworkTypes {
		if _, ok := m.drivers[t]; !ok {
			return nil, fmt.Errorf("tenant network type %q: no such type driver", t)
		}
	}
	return m, nil
}

// Config is the manager's configuration.
func (m *Manager) Config() Config { return m.cfg }

// Types lists the supported network types, sorted.
func (m *Manager) Types() []string {
	out := make([]string, 0, len(m.drivers))
	for t := range m.drivers {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Driver is the type driver of typ.
func (m *Manager) Driver(typ string) (TypeDriver, error) {
	d, ok := m.drivers[typ]
	if !ok {
		return nil, neutronerr.InvalidInput("network_type value '" + typ + "' not supported")
	}
	return d, nil
}

// ValidateProvider checks requested segments (a network's provider
// attributes or its multi-provider segments).
func (m *Manager) ValidateProvider(tx *db.Tx, segs []Segment) error {
	seen := map[Segment]bool{}
	for _, s := range segs {
		if s.Type == "" {
			return neutronerr.InvalidInput("network_type required")
		}
		d, err := m.Driver(s.Type)
		if err != nil {
			return err
		}
		if err := d.Validate(tx, s); err != nil {
			return err
		}
		if d.IsPartial(s) {
			continue
		}
		key := Segment{Type: s.Type, PhysNet: s.PhysNet, SegID: s.SegID, HasID: s.HasID}
		if seen[key] {
			return neutronerr.New("SegmentsContainDuplicateEntry", "Duplicate segment entry in request.")
		}
		seen[key] = true
	}
	return nil
}

// Reserve takes validated provider segments; each must carry its ID.
func (m *Manager) Reserve(tx *db.Tx, segs []Segment, project string) ([]Segment, error) {
	out := make([]Segment, len(segs))
	for i, s := range segs {
		d, err := m.Driver(s.Type)
		if err != nil {
			return nil, err
		}
		if out[i], err = d.Reserve(tx, s, project); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AllocateTenant takes a segment of the first tenant type with one free.
func (m *Manager) AllocateTenant(tx *db.Tx, segmentID, project string) (Segment, error) {
	for _, t := range m.cfg.TenantNetworkTypes {
		s, ok, err := m.drivers[t].AllocateTenant(tx, segmentID, project)
		if err != nil {
			return Segment{}, err
		}
		if ok {
			return s, nil
		}
	}
	return Segment{}, neutronerr.NoNetworkAvailable()
}

// Release returns segments' ids.
func (m *Manager) Release(tx *db.Tx, segs []Segment) error {
	for _, s := range segs {
		if d, ok := m.drivers[s.Type]; ok {
			if err := d.Release(tx, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// NetworkMTU is the largest MTU every segment carries; the global physnet
// MTU when no segment has one (Neutron's _get_network_mtu).
func (m *Manager) NetworkMTU(segs []Segment) int {
	mtu := 0
	for _, s := range segs {
		d, ok := m.drivers[s.Type]
		if !ok {
			continue
		}
		if v := d.MTU(s.PhysNet); v > 0 && (mtu == 0 || v < mtu) {
			mtu = v
		}
	}
	if mtu == 0 {
		return m.cfg.GlobalPhysnetMTU
	}
	return mtu
}
