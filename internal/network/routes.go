package network

import "github.com/monostack/monostack/internal/httpx"

// addRoutes is the network route table.
func (s *Service) addRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/{$}", s.versions, httpx.Public)
	rt.Handle("GET", "/v2.0", s.resourceIndex)
	rt.Handle("GET", "/v2.0/extensions", s.listExtensions)
	rt.Handle("GET", "/v2.0/extensions/{alias}", s.showExtension)

	rt.Handle("GET", "/v2.0/networks", s.listNetworksHandler)
	rt.Handle("POST", "/v2.0/networks", s.createNetwork)
	rt.Handle("GET", "/v2.0/networks/{network_id}", s.showNetwork)
	rt.Handle("PUT", "/v2.0/networks/{network_id}", s.updateNetwork)
	rt.Handle("DELETE", "/v2.0/networks/{network_id}", s.deleteNetwork)

	rt.Handle("GET", "/v2.0/segments", s.listSegments)
	rt.Handle("POST", "/v2.0/segments", s.createSegment)
	rt.Handle("GET", "/v2.0/segments/{segment_id}", s.showSegment)
	rt.Handle("PUT", "/v2.0/segments/{segment_id}", s.updateSegment)
	rt.Handle("DELETE", "/v2.0/segments/{segment_id}", s.deleteSegment)

	rt.Handle("GET", "/v2.0/network-segment-ranges", s.listRanges)
	rt.Handle("POST", "/v2.0/network-segment-ranges", s.createRange)
	rt.Handle("GET", "/v2.0/network-segment-ranges/{range_id}", s.showRange)
	rt.Handle("PUT", "/v2.0/network-segment-ranges/{range_id}", s.updateRange)
	rt.Handle("DELETE", "/v2.0/network-segment-ranges/{range_id}", s.deleteRange)

	s.addSubnetRoutes(rt)
	s.addPortRoutes(rt)
	s.addSecurityRoutes(rt)
	s.addSubnetPoolRoutes(rt)
	s.addRouterRoutes(rt)
	s.addFloatingIPRoutes(rt)
	s.addTrunkRoutes(rt)
	s.addIPAvailabilityRoutes(rt)
	s.addRBACRoutes(rt)
	s.addQuotaRoutes(rt)
	s.addQoSRoutes(rt)
	s.addAgentRoutes(rt)

	s.addTagRoutes(func(method, pattern string, h httpx.HandlerFunc) { rt.Handle(method, pattern, h) })
}
