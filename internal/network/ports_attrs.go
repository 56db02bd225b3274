package network

import (
	"fmt"
	"net"
	"strings"

	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Port binding attribute names (binding extension).
const (
	bindHost    = "binding:host_id"
	bindVIFType = "binding:vif_type"
	bindDetails = "binding:vif_details"
	bindVNIC    = "binding:vnic_type"
	bindProfile = "binding:profile"
)

// vnicTypes are the binding:vnic_type values upstream accepts.
var vnicTypes = []string{"normal", "direct", "macvtap", "baremetal", "direct-physical", "virtio-forwarder",
	"smart-nic", "vdpa", "accelerator-direct", "accelerator-direct-physical", "remote-managed"}

// maxAddressPairs is max_allowed_address_pair's default.
const maxAddressPairs = 10

// portResource is the port attribute map with the binding,
// security-group, port-security, allowed-address-pairs, extra_dhcp_opt,
// dns-integration and standard-attribute extensions.
var portResource = NewResource("port", "ports", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "network_id", Post: true, Required: true, Validate: validUUID, Filter: true, Sort: true},
	{Name: "admin_state_up", Post: true, Put: true, Default: true, Convert: toBool, Filter: true, Sort: true},
	{Name: "mac_address", Post: true, Put: true, Validate: validMAC, Filter: true, Sort: true, Policy: true},
	{Name: "fixed_ips", Post: true, Put: true, Validate: validFixedIPs, Filter: true, Policy: true},
	{Name: "device_id", Post: true, Put: true, Default: "", Validate: maxString(255), Filter: true, Sort: true},
	{Name: "device_owner", Post: true, Put: true, Default: "", Validate: maxString(255), Filter: true, Sort: true, Policy: true},
	{Name: "status", Filter: true, Sort: true},
	{Name: bindHost, Post: true, Put: true, Default: "", Filter: true, Policy: true},
	{Name: bindVIFType, Filter: true, Policy: true},
	{Name: bindDetails, Policy: true},
	{Name: bindVNIC, Post: true, Put: true, Default: "normal", Validate: oneOf(vnicTypes...), Filter: true, Policy: true},
	{Name: bindProfile, Post: true, Put: true, Validate: dictOrNone, Policy: true},
	{Name: "security_groups", Post: true, Put: true, Convert: ipam.ConvertNoneToEmptyListAttr, Validate: uuidList, Filter: true},
	{Name: "port_security_enabled", Post: true, Put: true, Convert: toBool, Filter: true, Policy: true},
	{Name: "allowed_address_pairs", Post: true, Put: true, Convert: addressPairs, Policy: true},
	{Name: "extra_dhcp_opts", Post: true, Put: true, Validate: validDHCPOpts},
	{Name: "dns_name", Post: true, Put: true, Default: "", Validate: maxString(255), Filter: true},
	{Name: "dns_assignment"},
	{Name: "ip_allocation"},
	qosPolicyIDAttr,
	{Name: "qos_network_policy_id"},
}, stdAttrDefs()))

// portPolicyAttrs are the port attributes with get/update rules.
var portPolicyAttrs = []string{bindHost, bindVIFType, bindDetails, bindProfile, "resource_request"}

// validMAC is type:mac_address.
func validMAC(v any) string {
	s, ok := v.(string)
	if ok {
		if hw, err := net.ParseMAC(s); err == nil && len(hw) == 6 {
			return ""
		}
	}
	return fmt.Sprintf("'%s' is not a valid MAC address", pyStr(v))
}

// validFixedIPs is type:fixed_ips.
func validFixedIPs(v any) string {
	list, ok := v.([]any)
	if !ok {
		return fmt.Sprintf("Invalid data format for fixed IP: '%s'", pyStr(v))
	}
	seen := map[string]bool{}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return fmt.Sprintf("Invalid data format for fixed IP: '%s'", pyStr(e))
		}
		if ip, ok := m["ip_address"]; ok {
			s, _ := ip.(string)
			if seen[s] {
				return fmt.Sprintf("Duplicate IP address '%s'", s)
			}
			if msg := ipam.ValidateIPAddressAttr(ip); msg != "" {
				return msg
			}
			seen[s] = true
		}
		if id, ok := m["subnet_id"]; ok {
			if msg := validUUID(id); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// uuidList is type:uuid_list.
func uuidList(v any) string {
	list, ok := v.([]any)
	if !ok {
		return fmt.Sprintf("'%s' is not a list", pyStr(v))
	}
	for _, e := range list {
		if msg := validUUID(e); msg != "" {
			return msg
		}
	}
	return ""
}

// dictOrNone is type:dict_or_none.
func dictOrNone(v any) string {
	if _, ok := v.(map[string]any); ok || v == nil {
		return ""
	}
	return fmt.Sprintf("'%s' is not a dictionary", pyStr(v))
}

// addressPairs validates allowed_address_pairs, raising the extension's
// own errors as upstream's validator does.
func addressPairs(v any) (any, error) {
	if v == nil {
		return []any{}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, neutronerr.HTTPBadRequest("Allowed address pairs must be a list.")
	}
	if len(list) > maxAddressPairs {
		return nil, neutronerr.New("AllowedAddressPairExhausted", "The number of allowed address pair exceeds the maximum %d.", maxAddressPairs)
	}
	seen := map[[2]string]bool{}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, neutronerr.HTTPBadRequest(fmt.Sprintf("Invalid input for allowed_address_pairs. Reason: '%s' is not a dictionary.", pyStr(e)))
		}
		if mac, ok := m["mac_address"]; ok {
			if msg := validMAC(mac); msg != "" {
				return nil, neutronerr.HTTPBadRequest(msg)
			}
		}
		ip, ok := m["ip_address"].(string)
		if !ok {
			return nil, neutronerr.New("AllowedAddressPairsMissingIP", "AllowedAddressPair must contain ip_address")
		}
		mac, _ := m["mac_address"].(string)
		if seen[[2]string{mac, ip}] {
			macText := mac
			if macText == "" {
				macText = "None"
			}
			return nil, neutronerr.New("DuplicateAddressPairInRequest", "Request contains duplicate address pair: mac_address %s ip_address %s.", macText, ip)
		}
		seen[[2]string{mac, ip}] = true
		for k := range m {
			if k != "mac_address" && k != "ip_address" {
				return nil, neutronerr.HTTPBadRequest("Unrecognized attribute(s) '" + k + "'")
			}
		}
		msg := ""
		if strings.Contains(ip, "/") {
			msg = ipam.SubnetReason(ip)
		} else {
			msg = ipam.IPAddressReason(ip)
		}
		if msg != "" {
			return nil, neutronerr.HTTPBadRequest(msg)
		}
	}
	return list, nil
}

// validDHCPOpts is the extra_dhcp_opts validator.
func validDHCPOpts(v any) string {
	if v == nil {
		return ""
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Sprintf("'%s' is not a list", pyStr(v))
	}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return fmt.Sprintf("'%s' is not a dictionary", pyStr(e))
		}
		for k, val := range m {
			switch k {
			case "opt_name":
				if s, _ := val.(string); s == "" {
					return "'' is too short"
				}
			case "opt_value":
			case "ip_version":
				if n, ok := val.(int64); !ok || (n != 4 && n != 6) {
					return fmt.Sprintf("%s is not in [4, 6]", pyReprValue(val))
				}
			default:
				return fmt.Sprintf("Validation of dictionary's keys failed. Unknown key '%s'", k)
			}
		}
		if _, ok := m["opt_name"]; !ok {
			return "Validation of dictionary's keys failed. Expected keys: {'opt_name'}"
		}
	}
	return ""
}
