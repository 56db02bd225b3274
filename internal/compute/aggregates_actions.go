package compute

import (
	"context"
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// aggregateAction is POST /os-aggregates/{id}/action: add_host,
// remove_host or set_metadata.
func (s *Service) aggregateAction(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	actions := map[string]func(http.ResponseWriter, *http.Request, any) error{
		"add_host": s.addAggregateHost, "remove_host": s.removeAggregateHost, "set_metadata": s.setAggregateMetadata}
	for key, arg := range body {
		if h, ok := actions[key]; ok {
			if len(body) > 1 {
				return onlyKeys("", body, []string{key})
			}
			return h(w, r, arg)
		}
	}
	return errs.BadRequestf("There is no such action: %s", firstKey(body))
}

// addAggregateHost puts a compute host in the aggregate (409 when its
// zone would conflict or it is there already).
func (s *Service) addAggregateHost(w http.ResponseWriter, r *http.Request, arg any) error {
	host, err := parseHostAction("add_host", arg)
	if err != nil {
		return err
	}
	return s.changeAggregate(w, r, "os_compute_api:os-aggregates:add_host", host, func(tx *db.Tx, id int64) (*aggregate, error) {
		if svc, err := computeServiceOf(tx, host); err != nil || svc == nil {
			return nil, orNotFound(err, errs.NotFoundf("Compute host %s could not be found.", host))
		}
		a, err := loadAggregate(tx, id)
		if err != nil {
			return nil, err
		}
		if zone, ok := a.Metadata[azKey]; ok {
			format := "Cannot add host to aggregate %d. Reason: %s."
			if err := zoneConflicts(tx, a, []string{host}, zone, format, errs.Conflictf); err != nil {
				return nil, err
			}
		}
		if slices.Contains(a.Hosts, host) {
			return nil, errs.Conflictf("Aggregate %d already has host %s.", id, host)
		}
		a.Hosts = append(a.Hosts, host)
		_, err = tx.Exec(`INSERT INTO compute_aggregate_hosts (aggregate_id, host) VALUES (?, ?)`, id, host)
		return a, err
	})
}

func orNotFound(err error, notFound error) error {
	if err != nil {
		return err
	}
	return notFound
}

// removeAggregateHost takes a host out of the aggregate; every refusal
// is Nova's one 404 message.
func (s *Service) removeAggregateHost(w http.ResponseWriter, r *http.Request, arg any) error {
	host, err := parseHostAction("remove_host", arg)
	if err != nil {
		return err
	}
	return s.changeAggregate(w, r, "os_compute_api:os-aggregates:remove_host", host, func(tx *db.Tx, id int64) (*aggregate, error) {
		cannot := errs.NotFoundf("Cannot remove host %s in aggregate %d", host, id)
		if svc, err := computeServiceOf(tx, host); err != nil || svc == nil {
			return nil, orNotFound(err, cannot)
		}
		a, err := loadAggregate(tx, id)
		if errs.Is(err, errs.NotFound) {
			return nil, cannot
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(a.Hosts, host) {
			return nil, cannot
		}
		a.Hosts = slices.DeleteFunc(a.Hosts, func(h string) bool { return h == host })
		_, err = tx.Exec(`DELETE FROM compute_aggregate_hosts WHERE aggregate_id = ? AND host = ?`, id, host)
		return a, err
	})
}

// setAggregateMetadata merges metadata into the aggregate; null values
// remove keys. A new availability zone passes Nova's checks first.
func (s *Service) setAggregateMetadata(w http.ResponseWriter, r *http.Request, arg any) error {
	meta, err := parseSetMetadata(arg)
	if err != nil {
		return err
	}
	return s.changeAggregate(w, r, "os_compute_api:os-aggregates:set_metadata", "", func(tx *db.Tx, id int64) (*aggregate, error) {
		a, err := loadAggregate(tx, id)
		if err != nil {
			return nil, err
		}
		if zone, ok := meta[azKey]; ok {
			if err := s.changeZone(tx, a, zone, "Cannot update metadata of aggregate %d. Reason: %s."); err != nil {
				return nil, err
			}
		}
		if err := applyAggregateMetadata(tx, a, meta); err != nil {
			return nil, err
		}
		return a, s.touchAggregate(tx, a)
	})
}

// applyAggregateMetadata writes the metadata items other than the zone.
func applyAggregateMetadata(tx *db.Tx, a *aggregate, meta map[string]*string) error {
	set := map[string]string{}
	for k, v := range meta {
		if k == azKey {
			continue
		}
		if v != nil {
			set[k] = *v
			a.Metadata[k] = *v
			continue
		}
		delete(a.Metadata, k)
		if _, err := tx.Exec(`DELETE FROM compute_aggregate_metadata WHERE aggregate_id = ? AND key = ?`, a.ID, k); err != nil {
			return err
		}
	}
	return writeAggregateMetadata(tx, a.ID, set)
}

// mirrorHostAggregates makes the host's resource providers members of
// exactly the host's aggregates, so placement's member_of matches; a
// failure is logged, as Nova does.
func (s *Service) mirrorHostAggregates(ctx context.Context, host string) {
	if s.opts.Placement == nil {
		return
	}
	var nodes []*computeNode
	var aggs []string
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		if nodes, err = loadNodes(tx, `host = ?`, host); err != nil {
			return err
		}
		aggs, err = aggregateUUIDsOfHost(tx, host)
		return err
	})
	if err != nil {
		s.log.Warn("placement aggregates not updated", "host", host, "error", err.Error())
		return
	}
	for _, n := range nodes {
		if err := s.opts.Placement.SetProviderAggregates(ctx, n.UUID, nonNil(aggs)); err != nil {
			s.log.Warn("placement aggregates not updated", "node", n.UUID, "error", err.Error())
		}
	}
}
