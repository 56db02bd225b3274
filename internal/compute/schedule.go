package compute

import (
	"context"
	"database/sql"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/scheduler"
)

var errNoRows = sql.ErrNoRows

// schedulerSpec is the scheduler's view of an instance's request: its
// flavor, image, zone, group with where its members run, and the hosts of
// the instances its hints name.
func (s *Service) schedulerSpec(ctx context.Context, inst *instance) (scheduler.RequestSpec, error) {
	f := inst.Flavor
	req := inst.Requested
	spec := scheduler.RequestSpec{InstanceUUID: inst.UUID, ProjectID: inst.ProjectID,
		Flavor: scheduler.Flavor{VCPUs: f.VCPUs, MemoryMB: f.MemoryMB, RootGB: f.RootGB,
			EphemeralGB: f.EphemeralGB, SwapMB: f.SwapMB, ExtraSpecs: f.ExtraSpecs},
		ImageID: inst.ImageRef, ImageProperties: req.ImageProperties, BootFromVolume: inst.ImageRef == "",
		AvailabilityZone: req.AvailabilityZone, ForceHost: req.ForceHost, ForceNode: req.ForceNode,
		IgnoreHosts: req.IgnoreHosts}
	if h, ok := req.Hints["requested_host"].(string); ok {
		spec.RequestedHost = h
	}
	if n, ok := req.Hints["requested_hypervisor_hostname"].(string); ok {
		spec.RequestedNode = n
	}
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		var err error
		if spec.Group, err = groupOfSpec(tx, inst); err != nil {
			return err
		}
		if req.SameHost != nil {
			if spec.SameHost, err = hostsOf(tx, req.SameHost); err != nil {
				return err
			}
			spec.SameHost = nonNil(spec.SameHost)
		}
		spec.DifferentHost, err = hostsOf(tx, req.DifferentHost)
		return err
	})
	return spec, err
}

// groupOfSpec is the instance's server group with the hosts its other
// live members run on.
func groupOfSpec(tx *db.Tx, inst *instance) (*scheduler.Group, error) {
	if inst.Requested.GroupUUID == "" {
		return nil, nil
	}
	g, err := loadServerGroup(tx, inst.Requested.GroupUUID)
	if err != nil {
		return nil, err
	}
	out := &scheduler.Group{UUID: g.UUID, Policy: g.Policy, Hosts: map[string]int{}}
	if n, ok := g.Rules["max_server_per_host"].(float64); ok {
		out.MaxServerPerHost = int(n)
	}
	var others []string
	for _, m := range g.Members {
		if m != inst.UUID {
			others = append(others, m)
		}
	}
	hosts, err := hostsOf(tx, others)
	if err != nil {
		return nil, err
	}
	for _, h := range hosts {
		out.Hosts[h]++
	}
	return out, nil
}

// hostsOf lists the hosts the live instances among uuids run on (one
// entry per instance).
func hostsOf(tx *db.Tx, uuids []string) ([]string, error) {
	if len(uuids) == 0 {
		return nil, nil
	}
	q, args := inClause(uuids)
	return tx.Strings(`SELECT host FROM compute_instances WHERE deleted = FALSE AND host IS NOT NULL AND uuid IN `+q, args...)
}
