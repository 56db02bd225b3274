package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The server IPs API: GET /servers/{id}/ips[/{network}] (labels, not ids).

// serverAddresses loads a visible instance's addresses by network label,
// without the extended fields.
func (s *Service) serverAddresses(r *http.Request, rule string) (map[string][]map[string]any, error) {
	var inst *instance
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if inst, err = s.visibleInstance(tx, r, r.PathValue("id")); err != nil {
			return err
		}
		return s.enforce(r, rule, map[string]any{"project_id": inst.ProjectID})
	})
	if err != nil {
		return nil, err
	}
	vc := &viewCtx{netNames: s.networkNames(r.Context(), projectOf(r))}
	addrs := vc.addresses(inst)
	for _, list := range addrs {
		for _, a := range list {
			delete(a, "OS-EXT-IPS:type")
			delete(a, "OS-EXT-IPS-MAC:mac_addr")
		}
	}
	return addrs, nil
}

// listServerIPs is GET /servers/{id}/ips.
func (s *Service) listServerIPs(w http.ResponseWriter, r *http.Request) error {
	addrs, err := s.serverAddresses(r, "os_compute_api:ips:index")
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"addresses": addrs})
}

// showServerIPs is GET /servers/{id}/ips/{network}.
func (s *Service) showServerIPs(w http.ResponseWriter, r *http.Request) error {
	addrs, err := s.serverAddresses(r, "os_compute_api:ips:show")
	if err != nil {
		return err
	}
	label := r.PathValue("network")
	list, ok := addrs[label]
	if !ok {
		return errs.NotFoundf("Instance is not a member of specified network")
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{label: list})
}
