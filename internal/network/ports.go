package network

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) addPortRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/ports", s.listPorts)
	rt.Handle("POST", "/v2.0/ports", s.createPort)
	rt.Handle("GET", "/v2.0/ports/{port_id}", s.showPort)
	rt.Handle("PUT", "/v2.0/ports/{port_id}", s.updatePort)
	rt.Handle("DELETE", "/v2.0/ports/{port_id}", s.deletePort)
}

func (s *Service) listPorts(w http.ResponseWriter, r *http.Request) error {
	fixedFilters := r.URL.Query()["fixed_ips"]
	r = withoutQuery(r, "fixed_ips")
	lq, err := parseListQuery(r, portResource)
	if err != nil {
		return err
	}
	var ports []*port
	cond, args := sqlPrefilter(lq, portFilterColumns)
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		ports, err = queryPorts(tx, s.scope(r), cond, args...)
		return err
	}); err != nil {
		return err
	}
	items := mapKept(ports, func(p *port) (map[string]any, bool) {
		if !matchesFixedIPs(p, fixedFilters) {
			return nil, false
		}
		return s.readablePort(r, p)
	})
	return s.writeList(w, r, portResource, items, lq, func(m map[string]any) map[string]any { return s.hidePortFields(r, m) })
}

// portFilterColumns are the port filters SQL narrows by.
var portFilterColumns = map[string]string{"id": "p.id", "network_id": "p.network_id", "device_id": "p.device_id",
	"device_owner": "p.device_owner", "project_id": "p.project_id", "tenant_id": "p.project_id", "status": "p.status",
	"binding:host_id": "p.binding_host_id"}

// withoutQuery is r without the query parameter name.
func withoutQuery(r *http.Request, name string) *http.Request {
	q := r.URL.Query()
	if _, ok := q[name]; !ok {
		return r
	}
	q.Del(name)
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	return r2
}

// matchesFixedIPs applies fixed_ips=ip_address=X / subnet_id=Y filters:
// each given filter must match one of the port's addresses.
func matchesFixedIPs(p *port, filters []string) bool {
	for _, f := range filters {
		vals, err := url.ParseQuery(f)
		if err != nil {
			return false
		}
		ok := false
		for _, fip := range p.FixedIPs {
			ipOK := vals.Get("ip_address") == "" || vals.Get("ip_address") == fip.IP.String()
			subOK := vals.Get("subnet_id") == "" || vals.Get("subnet_id") == fip.SubnetID
			if sub := vals.Get("ip_address_substr"); sub != "" {
				ipOK = ipOK && strings.Contains(fip.IP.String(), sub)
			}
			ok = ok || (ipOK && subOK)
		}
		if !ok {
			return false
		}
	}
	return true
}

func (s *Service) showPort(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("port_id")
	return showOne(s, w, r, portResource, func(tx *db.Tx) (*port, error) { return getPort(tx, id, s.scope(r)) },
		func(p *port) (map[string]any, bool) { return s.portView(r, p) }, neutronerr.PortNotFound(id))
}

func (s *Service) createPort(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, portResource, func(tx *db.Tx, item map[string]any) (*port, []*ml2.Change, error) {
		p, c, err := s.createPortItem(r, tx, item)
		return p, []*ml2.Change{c}, err
	}, func(ps []*port) { s.activateBound(r.Context(), ps) },
		func(p *port) map[string]any { m, _ := s.portView(r, p); return m })
}

// createPortItem checks policy for one body and stores the port.
func (s *Service) createPortItem(r *http.Request, tx *db.Tx, item map[string]any) (*port, *ml2.Change, error) {
	netID, _ := item["network_id"].(string)
	n, err := portNetwork(tx, netID, s.scope(r))
	if err != nil {
		return nil, nil, err
	}
	project, _ := item["project_id"].(string)
	p := s.blankPort(n, project)
	if err := s.enforce(r, "create_port", portTarget(p, item), portPolicyAttrsOf(item, true)); err != nil {
		return nil, nil, err
	}
	applyPortItem(p, item)
	if err := s.portSecurityGroups(tx, p, item); err != nil {
		return nil, nil, err
	}
	c, err := s.newPort(tx, n, p, fixedRequests(item))
	if err == nil {
		err = s.bindPortQoS(r, tx, p, item, true)
	}
	return p, c, err
}

// portPolicyAttrsOf adds the fixed_ips and allowed_address_pairs
// sub-attribute rules upstream enforces for the keys the body uses.
func portPolicyAttrsOf(item map[string]any, create bool) []string {
	attrs := portResource.PolicyAttrs(item, create)
	for _, f := range fixedRequests(item) {
		if f.IPAddress != "" && !containsStr(attrs, "fixed_ips:ip_address") {
			attrs = append(attrs, "fixed_ips:ip_address")
		}
		if f.SubnetID != "" && !containsStr(attrs, "fixed_ips:subnet_id") {
			attrs = append(attrs, "fixed_ips:subnet_id")
		}
	}
	if pairs, _ := item["allowed_address_pairs"].([]any); len(pairs) > 0 {
		attrs = append(attrs, "allowed_address_pairs:ip_address")
		for _, e := range pairs {
			if m, _ := e.(map[string]any); m["mac_address"] != nil {
				attrs = append(attrs, "allowed_address_pairs:mac_address")
				break
			}
		}
	}
	return attrs
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fixedRequests is the fixed_ips of a body, nil when absent.
func fixedRequests(item map[string]any) []ipam.FixedIPRequest {
	list, ok := item["fixed_ips"].([]any)
	if !ok {
		return nil
	}
	out := make([]ipam.FixedIPRequest, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		sub, _ := m["subnet_id"].(string)
		ip, _ := m["ip_address"].(string)
		out = append(out, ipam.FixedIPRequest{SubnetID: sub, IPAddress: ip})
	}
	return out
}

// applyPortItem copies the plain attributes of a body to p.
func applyPortItem(p *port, item map[string]any) {
	str := func(k string, dst *string) {
		if v, ok := item[k].(string); ok {
			*dst = v
		}
	}
	str("name", &p.Name)
	str("description", &p.Std.Description)
	str("device_id", &p.DeviceID)
	str("device_owner", &p.Owner)
	str("mac_address", &p.MAC)
	str(bindHost, &p.Host)
	str(bindVNIC, &p.VNICType)
	str("dns_name", &p.DNSName)
	if v, ok := item["admin_state_up"].(bool); ok {
		p.AdminStateUp = v
	}
	if v, ok := item["port_security_enabled"].(bool); ok {
		p.PortSecurity = v
	}
	if v, ok := item[bindProfile]; ok {
		p.Profile, _ = v.(map[string]any)
	}
	if v, ok := item["allowed_address_pairs"].([]any); ok {
		p.Pairs = nil
		for _, e := range v {
			m, _ := e.(map[string]any)
			ip, _ := m["ip_address"].(string)
			mac, _ := m["mac_address"].(string)
			p.Pairs = append(p.Pairs, addressPair{IP: ip, MAC: mac})
		}
	}
	if v, ok := item["extra_dhcp_opts"].([]any); ok {
		p.DHCPOpts = nil
		for _, e := range v {
			m, _ := e.(map[string]any)
			o := dhcpOpt{IPVersion: 4}
			o.Name, _ = m["opt_name"].(string)
			o.Value = pyStr(m["opt_value"])
			if iv, ok := m["ip_version"].(int64); ok {
				o.IPVersion = int(iv)
			}
			p.DHCPOpts = append(p.DHCPOpts, o)
		}
	}
}

// fillPairMACs gives address pairs without a MAC the port's.
func fillPairMACs(p *port) {
	for i := range p.Pairs {
		if p.Pairs[i].MAC == "" {
			p.Pairs[i].MAC = p.MAC
		}
	}
}
