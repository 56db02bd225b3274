package network

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) addSubnetRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/subnets", s.listSubnets)
	rt.Handle("POST", "/v2.0/subnets", s.createSubnet)
	rt.Handle("GET", "/v2.0/subnets/{subnet_id}", s.showSubnet)
	rt.Handle("PUT", "/v2.0/subnets/{subnet_id}", s.updateSubnet)
	rt.Handle("DELETE", "/v2.0/subnets/{subnet_id}", s.deleteSubnet)
}

func (s *Service) listSubnets(w http.ResponseWriter, r *http.Request) error {
	lq, err := parseListQuery(r, subnetResource)
	if err != nil {
		return err
	}
	var subs []*subnet
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		subs, err = querySubnets(tx, s.scope(r), "1 = 1")
		return err
	}); err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(subs))
	byID := map[string]*subnet{}
	for _, sub := range subs {
		if ok, _ := s.allowed(r, "get_subnet", subnetTarget(sub), nil); ok {
			items, byID[sub.ID] = append(items, subnetDict(sub)), sub
		}
	}
	return s.writeList(w, r, subnetResource, items, lq, func(m map[string]any) map[string]any {
		v, _ := s.subnetView(r, byID[m["id"].(string)])
		return v
	})
}

func (s *Service) showSubnet(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("subnet_id")
	return showOne(s, w, r, subnetResource, func(tx *db.Tx) (*subnet, error) { return getSubnet(tx, id, s.scope(r)) },
		func(sub *subnet) (map[string]any, bool) { return s.subnetView(r, sub) }, neutronerr.SubnetNotFound(id))
}

func (s *Service) createSubnet(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, subnetResource, func(tx *db.Tx, item map[string]any) (*subnet, []*ml2.Change, error) {
		return s.insertSubnetItem(r, tx, item)
	}, nil, func(sub *subnet) map[string]any { m, _ := s.subnetView(r, sub); return m })
}

// insertSubnetItem creates one subnet: checks, address plan, rows, and
// the network's DHCP port when the subnet serves DHCP.
func (s *Service) insertSubnetItem(r *http.Request, tx *db.Tx, item map[string]any) (*subnet, []*ml2.Change, error) {
	netID, _ := item["network_id"].(string)
	n, err := getNetwork(tx, netID, s.scope(r))
	if err != nil {
		return nil, nil, err
	}
	target := map[string]any{"network:tenant_id": n.ProjectID, "network:project_id": n.ProjectID}
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforce(r, "create_subnet", target, subnetResource.PolicyAttrs(item, true)); err != nil {
		return nil, nil, err
	}
	sub, err := s.planSubnet(tx, s.scope(r), n, item)
	if err != nil {
		return nil, nil, err
	}
	if err := insertSubnet(tx, sub); err != nil {
		return nil, nil, err
	}
	c := &ml2.Change{Op: ml2.OpCreate, Kind: ml2.KindSubnet, Current: subnetDict(sub), Segments: n.Segments}
	if err := s.mechs.Precommit(tx, c); err != nil {
		return nil, nil, err
	}
	auto, err := s.addAutoAddresses(tx, n, sub)
	if err != nil {
		return nil, nil, err
	}
	changes := append([]*ml2.Change{c}, auto...)
	if sub.EnableDHCP {
		pc, err := s.syncDHCPPort(tx, n)
		if err != nil {
			return nil, nil, err
		}
		changes = append(changes, pc...)
	}
	return sub, changes, nil
}

// planSubnet validates a create body against the network and works out
// the subnet's gateway and pools.
func (s *Service) planSubnet(tx *db.Tx, scope string, n *network, item map[string]any) (*subnet, error) {
	cidr, _ := item["cidr"].(string)
	_, hasPrefixlen := item["prefixlen"]
	poolID, err := s.subnetPoolOf(tx, item)
	if err != nil {
		return nil, err
	}
	if err := ipam.CheckCreateShape(cidr != "", hasPrefixlen, poolID != ""); err != nil {
		return nil, err
	}
	if err := checkServiceTypes(item); err != nil {
		return nil, err
	}
	spec, err := subnetSpec(item)
	if err != nil {
		return nil, err
	}
	existing, err := networkSubnetRows(tx, n.ID)
	if err != nil {
		return nil, err
	}
	if poolID != "" {
		if err := s.cidrFromPool(tx, scope, n, item, poolID, &spec, existing); err != nil {
			return nil, err
		}
	} else if err := checkNoPoolAffinity(spec, existing); err != nil {
		return nil, err
	}
	cidrs := make([]netip.Prefix, len(existing))
	for i, e := range existing {
		cidrs[i] = netip.MustParsePrefix(e.CIDR)
	}
	planned, err := ipam.PrepareSubnet(spec, n.ID, cidrs, ipam.DefaultLimits)
	if err != nil {
		return nil, err
	}
	now := micros(s.now())
	sub := &subnet{ID: s.newID(), NetworkID: n.ID, IPVersion: spec.IPVersion, CIDR: planned.CIDR.String(),
		EnableDHCP: planned.EnableDHCP, Pools: planned.Pools, DNS: spec.DNS, Routes: spec.Routes,
		Shared: n.Shared, NetworkProject: n.ProjectID, Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
	sub.ProjectID, _ = item["project_id"].(string)
	sub.Name, _ = item["name"].(string)
	sub.Std.Description, _ = item["description"].(string)
	if planned.Gateway.IsValid() {
		sub.Gateway = new(planned.Gateway.String())
	}
	if spec.RAMode != "" {
		sub.RAMode = new(spec.RAMode)
	}
	if spec.AddressMode != "" {
		sub.AddressMode = new(spec.AddressMode)
	}
	sub.ServiceTypes = stringsOf(item["service_types"])
	if poolID != "" {
		sub.SubnetPoolID = new(poolID)
	}
	if seg, ok := item["segment_id"].(string); ok {
		if err := checkSegmentOf(n, seg); err != nil {
			return nil, err
		}
		sub.SegmentID = new(seg)
	}
	return sub, nil
}

// checkSegmentOf refuses a segment that is not one of the network's.
func checkSegmentOf(n *network, seg string) error {
	for _, s := range n.Segments {
		if s.ID == seg {
			return nil
		}
	}
	return neutronerr.New("SegmentNotFound", "Segment %s could not be found.", seg)
}

// checkServiceTypes is validate_subnet_service_types.
func checkServiceTypes(item map[string]any) error {
	for _, st := range stringsOf(item["service_types"]) {
		if !strings.HasPrefix(st, "network:") && !strings.HasPrefix(st, "neutron:") && !strings.HasPrefix(st, "compute:") {
			return neutronerr.InvalidSubnetServiceType(st)
		}
	}
	return nil
}

// stringsOf is a decoded JSON list of strings.
func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// subnetSpec turns a converted body into IPAM's spec.
func subnetSpec(item map[string]any) (ipam.SubnetSpec, error) {
	spec := ipam.SubnetSpec{}
	if v, ok := item["ip_version"].(int64); ok {
		spec.IPVersion = int(v)
	}
	spec.CIDR, _ = item["cidr"].(string)
	if gw, ok := item["gateway_ip"]; ok {
		spec.GatewaySet = true
		spec.Gateway, _ = gw.(string)
	}
	if v, ok := item["enable_dhcp"].(bool); ok {
		spec.EnableDHCP = &v
	}
	if pools, ok := item["allocation_pools"].([]any); ok {
		in := make([]ipam.PoolInput, 0, len(pools))
		for _, p := range pools {
			m, _ := p.(map[string]any)
			start, _ := m["start"].(string)
			end, _ := m["end"].(string)
			in = append(in, ipam.PoolInput{Start: start, End: end})
		}
		parsed, err := ipam.ParsePools(in)
		if err != nil {
			return spec, err
		}
		spec.PoolsSet, spec.Pools = true, parsed
	}
	if v, ok := item["dns_nameservers"]; ok {
		spec.DNSSet, spec.DNS = true, stringsOf(v)
	}
	if v, ok := item["host_routes"].([]any); ok {
		spec.RoutesSet = true
		for _, e := range v {
			m, _ := e.(map[string]any)
			d, _ := m["destination"].(string)
			h, _ := m["nexthop"].(string)
			spec.Routes = append(spec.Routes, ipam.Route{Destination: d, Nexthop: h})
		}
	}
	spec.RAMode, _ = item["ipv6_ra_mode"].(string)
	spec.AddressMode, _ = item["ipv6_address_mode"].(string)
	return spec, nil
}
