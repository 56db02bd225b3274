package compute

import (
	"maps"
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// aggregateView is an aggregate as the API shows it (uuid from 2.41);
// full adds hosts and metadata (every answer but create's).
func aggregateView(a *aggregate, full bool, v httpx.Microversion) map[string]any {
	var zone any
	if z, ok := a.Metadata[azKey]; ok {
		zone = z
	}
	out := map[string]any{"id": a.ID, "name": a.Name, "availability_zone": zone,
		"created_at": microTime(a.CreatedAt), "updated_at": microTimeOrNil(a.UpdatedAt),
		"deleted": false, "deleted_at": nil}
	if v.AtLeast(41) {
		out["uuid"] = a.UUID
	}
	if full {
		out["hosts"] = nonNil(a.Hosts)
		out["metadata"] = a.Metadata
	}
	return out
}

func writeAggregate(w http.ResponseWriter, r *http.Request, a *aggregate, full bool) error {
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"aggregate": aggregateView(a, full, version(r))})
}

// listAggregates is GET /os-aggregates.
func (s *Service) listAggregates(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-aggregates:index", map[string]any{}); err != nil {
		return err
	}
	var list []*aggregate
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = loadAggregates(tx, "")
		return err
	})
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, a := range list {
		out = append(out, aggregateView(a, true, version(r)))
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"aggregates": out})
}

// createAggregate is POST /os-aggregates (200, as upstream).
func (s *Service) createAggregate(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	in, err := parseAggregateBody(body, true)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-aggregates:create", map[string]any{}); err != nil {
		return err
	}
	a := &aggregate{UUID: s.newID(), Name: *in.name, Metadata: map[string]string{}, CreatedAt: s.now().UnixMicro()}
	if in.zone != nil && *in.zone != "" {
		a.Metadata[azKey] = *in.zone
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := checkAggregateName(tx, a.Name, 0); err != nil {
			return err
		}
		if a.ID, err = nextCounter(tx, "aggregate"); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO compute_aggregates (id, uuid, name, created_at) VALUES (?, ?, ?, ?)`,
			a.ID, a.UUID, a.Name, a.CreatedAt); err != nil {
			return err
		}
		return writeAggregateMetadata(tx, a.ID, a.Metadata)
	})
	if err != nil {
		return err
	}
	return writeAggregate(w, r, a, false)
}

// checkAggregateName refuses a name another aggregate has (409).
func checkAggregateName(tx *db.Tx, name string, self int64) error {
	taken, err := tx.Exists(`SELECT 1 FROM compute_aggregates WHERE name = ? AND id <> ?`, name, self)
	if err != nil || !taken {
		return err
	}
	return errs.Conflictf("Aggregate %s already exists.", name)
}

// writeAggregateMetadata upserts metadata items.
func writeAggregateMetadata(tx *db.Tx, id int64, meta map[string]string) error {
	for k, v := range meta {
		if _, err := tx.Exec(`INSERT INTO compute_aggregate_metadata (aggregate_id, key, value) VALUES (?, ?, ?)
			ON CONFLICT (aggregate_id, key) DO UPDATE SET value = excluded.value`, id, k, v); err != nil {
			return err
		}
	}
	return nil
}

// aggregatePathID reads the {id} of an aggregate path (an integer).
func aggregatePathID(r *http.Request) (int64, error) { return integerID(r.PathValue("id")) }

// showAggregate is GET /os-aggregates/{id}.
func (s *Service) showAggregate(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-aggregates:show", map[string]any{}); err != nil {
		return err
	}
	id, err := aggregatePathID(r)
	if err != nil {
		return err
	}
	var a *aggregate
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		a, err = loadAggregate(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return writeAggregate(w, r, a, true)
}

// updateAggregate is PUT /os-aggregates/{id}: name and availability zone.
func (s *Service) updateAggregate(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	in, err := parseAggregateBody(body, false)
	if err != nil {
		return err
	}
	return s.changeAggregate(w, r, "os_compute_api:os-aggregates:update", "", func(tx *db.Tx, id int64) (*aggregate, error) {
		a, err := loadAggregate(tx, id)
		if err != nil {
			return nil, err
		}
		if in.name != nil {
			if err := checkAggregateName(tx, *in.name, id); err != nil {
				return nil, err
			}
			a.Name = *in.name
		}
		if in.hasZone {
			if err := s.changeZone(tx, a, in.zone, "Cannot update aggregate %d. Reason: %s."); err != nil {
				return nil, err
			}
		}
		return a, s.touchAggregate(tx, a)
	})
}

// changeAggregate is the frame of every change to the aggregate the path
// names: the policy rule, change in a write transaction, placement told of
// host's aggregates when a host moved, and the aggregate as the answer.
func (s *Service) changeAggregate(w http.ResponseWriter, r *http.Request, rule, host string,
	change func(tx *db.Tx, id int64) (*aggregate, error)) error {
	if err := s.enforce(r, rule, map[string]any{}); err != nil {
		return err
	}
	id, err := aggregatePathID(r)
	if err != nil {
		return err
	}
	var a *aggregate
	if err := s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		a, err = change(tx, id)
		return err
	}); err != nil {
		return err
	}
	if host != "" {
		s.mirrorHostAggregates(r.Context(), host)
	}
	return writeAggregate(w, r, a, true)
}

// touchAggregate saves name and updated_at.
func (s *Service) touchAggregate(tx *db.Tx, a *aggregate) error {
	now := s.now().UnixMicro()
	a.UpdatedAt = &now
	_, err := tx.Exec(`UPDATE compute_aggregates SET name = ?, updated_at = ? WHERE id = ?`, a.Name, now, a.ID)
	return err
}

// changeZone sets the aggregate's availability zone after Nova's
// is_safe_to_update_az checks; format is the refusal's message.
func (s *Service) changeZone(tx *db.Tx, a *aggregate, zone *string, format string) error {
	if zone == nil || *zone == "" {
		return errs.BadRequestf(format, a.ID, "Aggregate "+a.Name+" does not support empty named availability zone")
	}
	if err := zoneConflicts(tx, a, a.Hosts, *zone, format, errs.BadRequestf); err != nil {
		return err
	}
	if a.zone() != *zone {
		n, err := hostInstanceCount(tx, a.Hosts...)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.BadRequestf(format, a.ID, "One or more hosts contain instances in this zone")
		}
	}
	a.Metadata[azKey] = *zone
	return writeAggregateMetadata(tx, a.ID, map[string]string{azKey: *zone})
}

// zoneConflicts refuses putting hosts in zone while another aggregate
// holding one of them names a different zone: "One or more hosts already
// in availability zone(s) ['az1']".
func zoneConflicts(tx *db.Tx, a *aggregate, hosts []string, zone, format string, refuse func(string, ...any) *errs.Error) error {
	byID := map[int64]string{}
	for _, h := range hosts {
		others, err := aggregatesOfHost(tx, h)
		if err != nil {
			return err
		}
		for _, o := range others {
			if z, ok := o.Metadata[azKey]; ok && z != zone && o.ID != a.ID {
				byID[o.ID] = z
			}
		}
	}
	var conflicting []any
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		conflicting = append(conflicting, byID[id])
	}
	if len(conflicting) == 0 {
		return nil
	}
	return refuse(format, a.ID, "One or more hosts already in availability zone(s) "+pyRepr(conflicting))
}

// deleteAggregate is DELETE /os-aggregates/{id}; one with hosts stays.
func (s *Service) deleteAggregate(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-aggregates:delete", map[string]any{}); err != nil {
		return err
	}
	id, err := aggregatePathID(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		a, err := loadAggregate(tx, id)
		if err != nil {
			return err
		}
		if len(a.Hosts) > 0 {
			return errs.BadRequestf("Cannot remove host from aggregate %d. Reason: Host aggregate is not empty.", id)
		}
		_, err = tx.Exec(`DELETE FROM compute_aggregates WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
