package compute

import (
	"slices"
	"sort"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// azKey is the aggregate metadata key naming an availability zone.
const azKey = "availability_zone"

// aggregate is a compute_aggregates row with its hosts and metadata.
type aggregate struct {
	ID        int64
	UUID      string
	Name      string
	Hosts     []string
	Metadata  map[string]string
	CreatedAt int64
	UpdatedAt *int64
}

// zone is the aggregate's availability zone, "" when it names none.
func (a *aggregate) zone() string { return a.Metadata[azKey] }

func aggregateNotFound(id any) error {
	return errs.NotFoundf("Aggregate %v could not be found.", id)
}

// loadAggregates reads the aggregates matching cond (all when ""), by id,
// with their hosts and metadata.
func loadAggregates(tx *db.Tx, cond string, args ...any) ([]*aggregate, error) {
	q := `SELECT id, uuid, name, created_at, updated_at FROM compute_aggregates`
	if cond != "" {
		q += ` WHERE ` + cond
	}
	rows, err := tx.Query(q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*aggregate
	byID := map[int64]*aggregate{}
	for rows.Next() {
		a := &aggregate{Metadata: map[string]string{}, Hosts: []string{}}
		if err := rows.Scan(&a.ID, &a.UUID, &a.Name, &a.CreatedAt, &a.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, fillAggregates(tx, byID)
}

// fillAggregates loads the hosts and metadata of the aggregates.
func fillAggregates(tx *db.Tx, byID map[int64]*aggregate) error {
	rows, err := tx.Query(`SELECT aggregate_id, host FROM compute_aggregate_hosts ORDER BY aggregate_id, host`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var h string
		if err := rows.Scan(&id, &h); err != nil {
			rows.Close()
			return err
		}
		if a := byID[id]; a != nil {
			a.Hosts = append(a.Hosts, h)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(`SELECT aggregate_id, key, value FROM compute_aggregate_metadata`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k, v string
		if err := rows.Scan(&id, &k, &v); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Metadata[k] = v
		}
	}
	return rows.Err()
}

// loadAggregate reads one aggregate by id.
func loadAggregate(tx *db.Tx, id int64) (*aggregate, error) {
	list, err := loadAggregates(tx, `id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, aggregateNotFound(id)
	}
	return list[0], nil
}

// aggregatesOfHost lists the aggregates host is in.
func aggregatesOfHost(tx *db.Tx, host string) ([]*aggregate, error) {
	return loadAggregates(tx, `id IN (SELECT aggregate_id FROM compute_aggregate_hosts WHERE host = ?)`, host)
}

// aggregateUUIDsOfHost are the placement aggregates of host's provider.
func aggregateUUIDsOfHost(tx *db.Tx, host string) ([]string, error) {
	return tx.Strings(`SELECT a.uuid FROM compute_aggregates a JOIN compute_aggregate_hosts h ON h.aggregate_id = a.id
		WHERE h.host = ? ORDER BY a.uuid`, host)
}

// aggregateZoneExists says whether an aggregate names availability zone
// az (the default zone is checked by the caller).
func aggregateZoneExists(tx *db.Tx, az string) (bool, error) {
	return tx.Exists(`SELECT 1 FROM compute_aggregate_metadata WHERE key = ? AND value = ?`, azKey, az)
}

// hostZones maps each host in an aggregate with an availability zone to
// its zones, sorted.
func hostZones(tx *db.Tx) (map[string][]string, error) {
	rows, err := tx.Query(`SELECT h.host, m.value FROM compute_aggregate_hosts h
		JOIN compute_aggregate_metadata m ON m.aggregate_id = h.aggregate_id WHERE m.key = ?`, azKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var h, z string
		if err := rows.Scan(&h, &z); err != nil {
			return nil, err
		}
		if !slices.Contains(out[h], z) {
			out[h] = append(out[h], z)
		}
	}
	for _, zs := range out {
		sort.Strings(zs)
	}
	return out, rows.Err()
}

// zoneOfHost is the availability zone os-services shows for a compute
// host: its aggregates' zones joined by commas, or the default zone.
func (s *Service) zoneOfHost(zones map[string][]string, host string) string {
	if zs := zones[host]; len(zs) > 0 {
		return strings.Join(zs, ",")
	}
	return s.opts.DefaultAZ
}

// zoneOfService is a service's availability zone: controllers are in
// the internal zone.
func (s *Service) zoneOfService(zones map[string][]string, svc *computeService) string {
	if svc.Topic != "compute" {
		return s.internalAZ()
	}
	return s.zoneOfHost(zones, svc.Host)
}

// internalAZ is Nova's internal_service_availability_zone.
func (s *Service) internalAZ() string {
	if s.opts.InternalAZ == "" {
		return "internal"
	}
	return s.opts.InternalAZ
}
