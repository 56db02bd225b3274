package compute

import (
	"net/http"
	"sort"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// zonedService is a service with its availability zone.
type zonedService struct {
	*computeService
	zone string
}

// zonedServices reads every service with its zone.
func (s *Service) zonedServices(r *http.Request) ([]zonedService, error) {
	var list []*computeService
	var zones map[string][]string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if list, err = loadServices(tx, ""); err != nil {
			return err
		}
		zones, err = hostZones(tx)
		return err
	})
	out := make([]zonedService, 0, len(list))
	for _, svc := range list {
		out = append(out, zonedService{svc, s.zoneOfService(zones, svc)})
	}
	return out, err
}

// splitZones is Nova's get_availability_zones: zones with an enabled
// service are available; zones with only disabled ones are not.
func splitZones(list []zonedService) (available, unavailable []string) {
	on, off := map[string]bool{}, map[string]bool{}
	for _, z := range list {
		if z.Disabled {
			off[z.zone] = true
		} else {
			on[z.zone] = true
		}
	}
	for z := range on {
		available = append(available, z)
	}
	for z := range off {
		if !on[z] {
			unavailable = append(unavailable, z)
		}
	}
	sort.Strings(available)
	sort.Strings(unavailable)
	return available, unavailable
}

func zoneEntry(name string, available bool, hosts any) map[string]any {
	return map[string]any{"zoneName": name, "zoneState": map[string]any{"available": available}, "hosts": hosts}
}

// listAvailabilityZones is GET /os-availability-zone: the zones, the
// internal zone of controllers hidden.
func (s *Service) listAvailabilityZones(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-availability-zone:list", map[string]any{}); err != nil {
		return err
	}
	list, err := s.zonedServices(r)
	if err != nil {
		return err
	}
	available, unavailable := splitZones(list)
	out := []map[string]any{}
	for _, group := range []struct {
		zones []string
		on    bool
	}{{available, true}, {unavailable, false}} {
		for _, z := range group.zones {
			if z != s.internalAZ() {
				out = append(out, zoneEntry(z, group.on, nil))
			}
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"availabilityZoneInfo": out})
}

// detailAvailabilityZones is GET /os-availability-zone/detail: each
// available zone with its hosts and their enabled services' state.
func (s *Service) detailAvailabilityZones(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-availability-zone:detail", map[string]any{}); err != nil {
		return err
	}
	list, err := s.zonedServices(r)
	if err != nil {
		return err
	}
	live := s.livenessNow()
	hosts := map[string]map[string]map[string]any{} // zone → host → binary → state
	for _, z := range list {
		if z.Disabled {
			continue
		}
		if hosts[z.zone] == nil {
			hosts[z.zone] = map[string]map[string]any{}
		}
		if hosts[z.zone][z.Host] == nil {
			hosts[z.zone][z.Host] = map[string]any{}
		}
		hosts[z.zone][z.Host][z.Binary] = map[string]any{"available": live.up(z.computeService),
			"active": !z.Disabled, "updated_at": microTime(live.updatedAt(z.computeService))}
	}
	available, unavailable := splitZones(list)
	out := []map[string]any{}
	for _, z := range available {
		out = append(out, zoneEntry(z, true, hosts[z]))
	}
	for _, z := range unavailable {
		out = append(out, zoneEntry(z, false, nil))
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"availabilityZoneInfo": out})
}
