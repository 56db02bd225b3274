package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The os-networks proxy (removed at 2.36): lists the networks the network
// service (or the stub) offers, so clients that look networks up through
// compute (`openstack server create --network`) find them.

// proxyGone refuses proxy APIs from 2.36 as Nova does.
func proxyGone(r *http.Request) error {
	if version(r).AtLeast(36) {
		return errs.NotFoundf("The resource could not be found.")
	}
	return nil
}

// networkFields are the os-networks fields beyond id, label and cidr;
// admins see the rest of Nova's list too, all null here.
var (
	networkFields      = []string{"netmask", "gateway", "broadcast", "dns1", "dns2", "cidr_v6", "gateway_v6", "netmask_v6"}
	networkAdminFields = []string{"created_at", "updated_at", "deleted_at", "deleted", "injected", "bridge", "vlan",
		"vpn_public_address", "vpn_public_port", "vpn_private_address", "dhcp_start", "project_id", "host",
		"bridge_interface", "multi_host", "priority", "rxtx_base", "mtu", "dhcp_server", "enable_dhcp", "share_address"}
)

func networkView(n NetworkInfo, admin bool) map[string]any {
	out := map[string]any{"id": n.ID, "label": firstNonEmpty(n.Label, n.Name), "cidr": n.CIDR}
	for _, f := range networkFields {
		out[f] = nil
	}
	if admin {
		for _, f := range networkAdminFields {
			out[f] = nil
		}
	}
	return out
}

// listNetworksProxy is GET /os-networks.
func (s *Service) listNetworksProxy(w http.ResponseWriter, r *http.Request) error {
	if err := proxyGone(r); err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-networks:list", callerTarget(r)); err != nil {
		return err
	}
	nets, err := s.opts.Network.Networks(r.Context(), projectOf(r))
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(nets))
	for _, n := range nets {
		out = append(out, networkView(n, s.isAdmin(r)))
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"networks": out})
}

// showNetworkProxy is GET /os-networks/{id}.
func (s *Service) showNetworkProxy(w http.ResponseWriter, r *http.Request) error {
	if err := proxyGone(r); err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-networks:show", callerTarget(r)); err != nil {
		return err
	}
	nets, err := s.opts.Network.Networks(r.Context(), projectOf(r))
	if err != nil {
		return err
	}
	for _, n := range nets {
		if n.ID == r.PathValue("id") {
			return httpx.WriteJSON(w, http.StatusOK, map[string]any{"network": networkView(n, s.isAdmin(r))})
		}
	}
	return errs.NotFoundf("Network could not be found")
}
