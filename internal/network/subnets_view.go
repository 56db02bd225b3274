package network

import "net/http"

// subnetDict is a subnet as the API shows it, before policy hides
// attributes.
func subnetDict(s *subnet) map[string]any {
	pools := make([]map[string]any, len(s.Pools))
	for i, p := range s.Pools {
		pools[i] = map[string]any{"start": p.Start.String(), "end": p.End.String()}
	}
	routes := make([]map[string]any, len(s.Routes))
	for i, r := range s.Routes {
		routes[i] = map[string]any{"destination": r.Destination, "nexthop": r.Nexthop}
	}
	m := map[string]any{
		"id": s.ID, "name": s.Name, "tenant_id": s.ProjectID, "project_id": s.ProjectID,
		"network_id": s.NetworkID, "ip_version": s.IPVersion, "cidr": s.CIDR, "gateway_ip": strOrNil(s.Gateway),
		"enable_dhcp": s.EnableDHCP, "ipv6_ra_mode": strOrNil(s.RAMode), "ipv6_address_mode": strOrNil(s.AddressMode),
		"subnetpool_id": strOrNil(s.SubnetPoolID), "segment_id": strOrNil(s.SegmentID), "shared": s.Shared || s.SharedWith,
		"allocation_pools": pools, "host_routes": routes, "dns_nameservers": nonNil(s.DNS),
		"service_types": nonNil(s.ServiceTypes),
	}
	s.Std.put(m)
	return m
}

func strOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// subnetTarget is a subnet's policy target: its dict and the network's owner.
func subnetTarget(s *subnet) map[string]any {
	m := subnetDict(s)
	m["network:tenant_id"], m["network:project_id"] = s.NetworkProject, s.NetworkProject
	return m
}

// subnetView is what the caller sees of a subnet, false when get_subnet
// refuses it.
func (s *Service) subnetView(r *http.Request, sub *subnet) (map[string]any, bool) {
	if ok, _ := s.allowed(r, "get_subnet", subnetTarget(sub), nil); !ok {
		return nil, false
	}
	m := subnetDict(sub)
	for k := range s.hiddenFields(r, "get_subnet", m, subnetPolicyAttrs) {
		delete(m, k)
	}
	return m, true
}
