package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/httpx"
)

// versions is Neutron's version list: v2.0, CURRENT.
func (s *Service) versions(w http.ResponseWriter, r *http.Request) error {
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"versions": []map[string]any{{
		"id": "v2.0", "status": "CURRENT",
		"links": []map[string]string{{"rel": "self", "href": s.baseURL(r) + "/v2.0/"}},
	}}})
}

// apiResources are the collections GET /v2.0 lists (the core resources
// and those of the loaded extensions); resources append theirs.
var apiResources = []struct{ name, collection string }{
	{"network", "networks"},
	{"subnet", "subnets"},
	{"port", "ports"},
	{"segment", "segments"},
	{"network_segment_range", "network_segment_ranges"},
	{"security_group", "security_groups"},
	{"security_group_rule", "security_group_rules"},
	{"address_group", "address_groups"},
	{"subnetpool", "subnetpools"},
	{"address_scope", "address_scopes"},
	{"router", "routers"},
	{"floatingip", "floatingips"},
	{"trunk", "trunks"},
	{"network_ip_availability", "network-ip-availabilities"},
	{"rbac_policy", "rbac_policies"},
	{"quota", "quotas"},
	{"policy", "policies"},
	{"rule_type", "rule_types"},
	{"agent", "agents"},
	{"availability_zone", "availability_zones"},
}

// resourceIndex is GET /v2.0.
func (s *Service) resourceIndex(w http.ResponseWriter, r *http.Request) error {
	out := make([]map[string]any, len(apiResources))
	for i, res := range apiResources {
		out[i] = map[string]any{"name": res.name, "collection": res.collection,
			"links": []map[string]string{{"rel": "self", "href": s.baseURL(r) + "/v2.0/" + res.collection}}}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"resources": out})
}
