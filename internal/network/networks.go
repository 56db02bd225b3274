package network

import (
	"context"
	"github.com/monostack/monostack/internal/network/rpc"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// scope is the project whose networks a caller may see; "" for admins.
func (s *Service) scope(r *http.Request) string {
	if s.isAdmin(r) {
		return ""
	}
	return projectOf(r)
}

func (s *Service) listNetworksHandler(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, networkResource, "get_network", listNetworks, networkDict, s.hideNetworkFields(r))
}

// hideNetworkFields drops what get_network:<attr> rules hide; filters and
// sorts see every attribute first, as Neutron's run in the database.
func (s *Service) hideNetworkFields(r *http.Request) func(map[string]any) map[string]any {
	return func(m map[string]any) map[string]any {
		for k := range s.hiddenFields(r, "get_network", m, networkPolicyAttrs) {
			delete(m, k)
		}
		return m
	}
}

func (s *Service) showNetwork(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("network_id")
	n, err := s.loadNetwork(r.Context(), id, s.scope(r))
	if err != nil {
		return err
	}
	m, ok := s.showable(r, n)
	if !ok {
		return neutronerr.NetworkNotFound(id)
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"network": selectFields(m, nonEmpty(r.URL.Query()["fields"]))})
}

func (s *Service) loadNetwork(ctx context.Context, id, project string) (*network, error) {
	var n *network
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		var err error
		n, err = getNetwork(tx, id, project)
		return err
	})
	return n, err
}

func (s *Service) createNetwork(w http.ResponseWriter, r *http.Request) error {
	items, bulk, err := s.decodeBody(r, networkResource, true)
	if err != nil {
		return err
	}
	for _, item := range items {
		if err := s.enforce(r, "create_network", item, networkResource.PolicyAttrs(item, true)); err != nil {
			return err
		}
	}
	var created []*network
	var changes []*ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		created, changes = nil, nil
		quota, err := s.reserveQuota(tx, "network", items)
		if err != nil {
			return err
		}
		for _, item := range items {
			n, err := s.insertNetworkItem(tx, item)
			if err == nil {
				err = s.bindNetworkQoS(r, tx, n, item, true)
			}
			if err != nil {
				return err
			}
			c := &ml2.Change{Op: ml2.OpCreate, Kind: ml2.KindNetwork, Current: networkDict(n), Segments: n.Segments}
			if err := s.mechs.Precommit(tx, c); err != nil {
				return err
			}
			created, changes = append(created, n), append(changes, c)
		}
		return quota.check()
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), changes)
	return s.writeCreated(w, r, created, bulk)
}

// writeCreated answers a create with the new networks as the caller sees them.
func (s *Service) writeCreated(w http.ResponseWriter, r *http.Request, nets []*network, bulk bool) error {
	out := make([]map[string]any, len(nets))
	for i, n := range nets {
		m := networkDict(n)
		for k := range s.hiddenFields(r, "get_network", m, networkPolicyAttrs) {
			delete(m, k)
		}
		out[i] = m
	}
	if bulk {
		return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"networks": out})
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"network": out[0]})
}

// postcommit tells the mechanism drivers, then the agents; failures are logged.
func (s *Service) postcommit(ctx context.Context, changes []*ml2.Change) {
	for _, c := range changes {
		if err := s.mechs.Postcommit(ctx, c); err != nil {
			s.log.Error("mechanism driver postcommit failed", "op", c.Op, "kind", c.Kind, "err", err)
		}
	}
	s.notifyAgents(ctx, changes)
}

// insertNetworkItem creates one network with its segments.
func (s *Service) insertNetworkItem(tx *db.Tx, item map[string]any) (*network, error) {
	now := micros(s.now())
	n := &network{ID: s.newID(), Status: "ACTIVE", Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
	n.ProjectID, _ = item["project_id"].(string)
	applyNetworkItem(n, item, true)
	if err := checkAZHints(tx, rpc.AgentTypeDHCP, n.AZHints); err != nil {
		return nil, err
	}
	asked, err := requestedSegments(item)
	if err != nil {
		return nil, err
	}
	if n.Segments, err = s.createSegments(tx, n, asked); err != nil {
		return nil, err
	}
	if err := s.fitMTU(n, item); err != nil {
		return nil, err
	}
	if err := insertNetwork(tx, n); err != nil {
		return nil, err
	}
	if err := s.networkWildcards(tx, n); err != nil {
		return nil, err
	}
	return n, storeSegments(tx, n, n.Segments)
}

// fitMTU sets the network's MTU: the requested one if the segments carry
// it, else the largest they carry (_get_network_mtu).
func (s *Service) fitMTU(n *network, item map[string]any) error {
	max := s.types.NetworkMTU(n.Segments)
	want, _ := item["mtu"].(int64)
	if want > 0 && int(want) > max {
		return neutronerr.InvalidInput("Requested MTU is too big, maximum is " + itoa(max))
	}
	if want > 0 {
		n.MTU = int(want)
	} else if n.MTU == 0 {
		n.MTU = max
	}
	return nil
}

// applyNetworkItem copies the plain attributes of a body to n; on create
// absent ones take their defaults.
func applyNetworkItem(n *network, item map[string]any, create bool) {
	if create {
		n.AdminStateUp, n.PortSecurity = true, true
	}
	str := func(k string, dst *string) {
		if v, ok := item[k].(string); ok {
			*dst = v
		}
	}
	flag := func(k string, dst *bool) {
		if v, ok := item[k].(bool); ok {
			*dst = v
		}
	}
	str("name", &n.Name)
	str("description", &n.Std.Description)
	flag("admin_state_up", &n.AdminStateUp)
	flag("shared", &n.Shared)
	flag("router:external", &n.External)
	flag("port_security_enabled", &n.PortSecurity)
	flag("is_default", &n.IsDefault)
	if hints, ok := item["availability_zone_hints"].([]any); ok {
		n.AZHints = make([]string, len(hints))
		for i, h := range hints {
			n.AZHints[i], _ = h.(string)
		}
	}
}
