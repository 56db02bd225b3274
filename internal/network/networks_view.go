package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/network/ml2"
)

// networkDict is a network as the API shows it, before policy hides
// attributes.
func networkDict(n *network) map[string]any {
	m := map[string]any{
		"id": n.ID, "name": n.Name, "tenant_id": n.ProjectID, "project_id": n.ProjectID,
		"admin_state_up": n.AdminStateUp, "status": n.Status, "subnets": nonNil(n.Subnets), "shared": n.Shared || n.SharedWith,
		"router:external": n.External, "mtu": n.MTU, "port_security_enabled": n.PortSecurity,
		"availability_zone_hints": nonNil(n.AZHints), "availability_zones": nonNil(n.AZs),
		"ipv4_address_scope": nilIfEmpty(n.Scopes.V4), "ipv6_address_scope": nilIfEmpty(n.Scopes.V6), "l2_adjacency": true, "is_default": n.IsDefault,
		"qos_policy_id": nilIfEmpty(n.QoSPolicyID),
	}
	n.Std.put(m)
	putProvider(m, n.Segments)
	return m
}

// putProvider adds the provider attributes of a single-segment network,
// or the multi-provider segments list (extend_network_dict_provider).
func putProvider(m map[string]any, segs []ml2.Segment) {
	if len(segs) > 1 {
		list := make([]map[string]any, len(segs))
		for i, s := range segs {
			list[i] = providerAttrs(&s)
		}
		m["segments"] = list
		return
	}
	var first *ml2.Segment
	if len(segs) == 1 {
		first = &segs[0]
	}
	for k, v := range providerAttrs(first) {
		m[k] = v
	}
}

func providerAttrs(s *ml2.Segment) map[string]any {
	m := map[string]any{provType: nil, provPhysnet: nil, provSegID: nil}
	if s == nil {
		return m
	}
	m[provType], m[provPhysnet] = s.Type, nilIfEmpty(s.PhysNet)
	if s.HasID {
		m[provSegID] = s.SegID
	}
	return m
}

// networkPolicyAttrs are the network attributes with get/update rules.
var networkPolicyAttrs = []string{"shared", "router:external", provType, provPhysnet, provSegID, "segments",
	"port_security_enabled", "mtu", "is_default"}

// showable returns the network dict as the caller may see it, or false
// when get_network refuses it.
func (s *Service) showable(r *http.Request, n *network) (map[string]any, bool) {
	m := networkDict(n)
	if ok, _ := s.allowed(r, "get_network", m, nil); !ok {
		return nil, false
	}
	for k := range s.hiddenFields(r, "get_network", m, networkPolicyAttrs) {
		delete(m, k)
	}
	return m, true
}
