package ml2

import (
	"sort"

	"github.com/monostack/monostack/internal/db"
)

// DefaultRange is a segment range that comes from the configuration.
type DefaultRange struct {
	Type    string
	PhysNet string
	Range
}

// DefaultRanges are the configured ranges of the segment-range types
// (vlan, vxlan, gre), in a stable order.
func (c Config) DefaultRanges() []DefaultRange {
	var out []DefaultRange
	physnets := make([]string, 0, len(c.VLANRanges))
	for p := range c.VLANRanges {
		physnets = append(physnets, p)
	}
	sort.Strings(physnets)
	for _, p := range physnets {
		for _, r := range c.VLANRanges[p] {
			out = append(out, DefaultRange{TypeVLAN, p, r})
		}
	}
	for _, r := range c.VXLANRanges {
		out = append(out, DefaultRange{TypeVXLAN, "", r})
	}
	for _, r := range c.GRERanges {
		out = append(out, DefaultRange{TypeGRE, "", r})
	}
	return out
}

// SyncDefaultRanges makes the default rows of network_segment_ranges
// match the configuration, as Neutron's segment range plugin does at
// start: stale defaults go, missing ones are added with newID and now.
func SyncDefaultRanges(tx *db.Tx, c Config, newID func() string, now int64) error {
	want := map[DefaultRange]bool{}
	for _, r := range c.DefaultRanges() {
		want[r] = true
	}
	rows, err := tx.Query(`SELECT id, network_type, COALESCE(physical_network, ''), minimum, maximum
		FROM network_segment_ranges WHERE is_default = TRUE`)
	if err != nil {
		return err
	}
	var stale []string
	for rows.Next() {
		var id string
		var r DefaultRange
		if err := rows.Scan(&id, &r.Type, &r.PhysNet, &r.Min, &r.Max); err != nil {
			rows.Close()
			return err
		}
		if want[r] {
			delete(want, r)
		} else {
			stale = append(stale, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range stale {
		if _, err := tx.Exec(`DELETE FROM network_segment_ranges WHERE id = ?`, id); err != nil {
			return err
		}
	}
	for _, r := range c.DefaultRanges() {
		if want[r] {
			if err := insertDefault(tx, r, newID(), now); err != nil {
				return err
			}
		}
	}
	return nil
}

func insertDefault(tx *db.Tx, r DefaultRange, id string, now int64) error {
	var physnet any
	if r.PhysNet != "" {
		physnet = r.PhysNet
	}
	_, err := tx.Exec(`INSERT INTO network_segment_ranges (id, name, is_default, shared, project_id,
		network_type, physical_network, minimum, maximum, created_at, updated_at)
		VALUES (?, '', TRUE, TRUE, NULL, ?, ?, ?, ?, ?, ?)`, id, r.Type, physnet, r.Min, r.Max, now, now)
	return err
}
