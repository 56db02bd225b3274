package network

import (
	"net/http"
	"strings"
)

// dnsDomain is the default dns_domain ports' names live in.
const dnsDomain = "openstacklocal."

// portDict is a port as the API shows it, before policy hides attributes.
// dnsHostReplacer turns an address into a host name's part.
var dnsHostReplacer = strings.NewReplacer(".", "-", ":", "-")

func portDict(p *port) map[string]any {
	fixed := make([]map[string]any, len(p.FixedIPs))
	dns := make([]map[string]any, len(p.FixedIPs))
	for i, f := range p.FixedIPs {
		fixed[i] = map[string]any{"subnet_id": f.SubnetID, "ip_address": f.IP.String()}
		host := p.DNSName
		if host == "" {
			host = "host-" + dnsHostReplacer.Replace(f.IP.String())
		}
		dns[i] = map[string]any{"hostname": host, "ip_address": f.IP.String(), "fqdn": host + "." + dnsDomain}
	}
	pairs := make([]map[string]any, len(p.Pairs))
	for i, ap := range p.Pairs {
		pairs[i] = map[string]any{"ip_address": ap.IP, "mac_address": ap.MAC}
	}
	opts := make([]map[string]any, len(p.DHCPOpts))
	for i, o := range p.DHCPOpts {
		opts[i] = map[string]any{"opt_name": o.Name, "opt_value": o.Value, "ip_version": o.IPVersion}
	}
	m := make(map[string]any, 40) // every key below and the standard attributes, without regrowing
	m["id"] = p.ID
	m["name"] = p.Name
	m["network_id"] = p.NetworkID
	m["tenant_id"] = p.ProjectID
	m["project_id"] = p.ProjectID
	m["mac_address"] = p.MAC
	m["admin_state_up"] = p.AdminStateUp
	m["status"] = p.Status
	m["device_id"] = p.DeviceID
	m["device_owner"] = p.Owner
	m["fixed_ips"] = fixed
	m["allowed_address_pairs"] = pairs
	m["extra_dhcp_opts"] = opts
	m["security_groups"] = nonNil(p.SecurityGroups)
	m["port_security_enabled"] = p.PortSecurity
	m[bindHost] = p.Host
	m[bindVIFType] = p.VIFType
	m[bindDetails] = orEmptyMap(p.VIFDetails)
	m[bindVNIC] = p.VNICType
	m[bindProfile] = orEmptyMap(p.Profile)
	m["dns_name"] = p.DNSName
	m["dns_assignment"] = dns
	m["ip_allocation"] = "immediate"
	m["qos_policy_id"] = nilIfEmpty(p.QoSPolicyID)
	m["qos_network_policy_id"] = nilIfEmpty(p.QoSNetworkPolicyID)
	if p.Trunk != nil {
		m["trunk_details"] = p.Trunk.dict()
	}
	p.Std.put(m)
	return m
}

// portTarget is a port's policy target: its dict, the network's owner and
// whether the device owner is a network one (rule network_device).
func portTarget(p *port, item map[string]any) map[string]any {
	m := portDict(p)
	for k, v := range item {
		m[k] = v
	}
	owner, _ := m["device_owner"].(string)
	m["network:tenant_id"], m["network:project_id"] = p.NetworkProject, p.NetworkProject
	m["device_owner_network"] = strings.HasPrefix(owner, "network:")
	return m
}

// portView is what the caller sees of a port, false when get_port refuses.
func (s *Service) portView(r *http.Request, p *port) (map[string]any, bool) {
	m, ok := s.readablePort(r, p)
	if !ok {
		return nil, false
	}
	return s.hidePortFields(r, m), true
}

// readablePort is the port's full dict, false when get_port refuses it.
func (s *Service) readablePort(r *http.Request, p *port) (map[string]any, bool) {
	m := portDict(p)
	m["network:tenant_id"], m["network:project_id"] = p.NetworkProject, p.NetworkProject
	m["device_owner_network"] = strings.HasPrefix(p.Owner, "network:")
	ok, _ := s.allowed(r, "get_port", m, nil)
	delete(m, "network:tenant_id")
	delete(m, "network:project_id")
	delete(m, "device_owner_network")
	return m, ok
}

// hidePortFields drops what get_port:<attr> rules hide from the caller.
func (s *Service) hidePortFields(r *http.Request, m map[string]any) map[string]any {
	for k := range s.hiddenFields(r, "get_port", m, portPolicyAttrs) {
		delete(m, k)
	}
	return m
}
