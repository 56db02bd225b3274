package compute

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Flavors (Nova's flavors and os-flavor-manage): list, show, create,
// update (2.55+) and delete.

// pyFloat marshals as Python prints a float (1.0, not 1).
type pyFloat float64

func (f pyFloat) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(f), 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return []byte(s), nil
}

// flavorView is a flavor as the microversion shows it; detail adds the
// sizes, specs adds extra_specs (2.61+ when policy allows).
func (s *Service) flavorView(r *http.Request, f *flavor, detail, specs bool) map[string]any {
	v := version(r)
	out := map[string]any{"id": f.FlavorID, "name": f.Name, "links": linksFor(s.baseURL(r), "flavors", f.FlavorID)}
	if v.AtLeast(55) {
		out["description"] = f.Description
	}
	if !detail {
		return out
	}
	out["ram"], out["disk"], out["vcpus"] = f.MemoryMB, f.RootGB, f.VCPUs
	out["OS-FLV-EXT-DATA:ephemeral"] = f.EphemeralGB
	out["OS-FLV-DISABLED:disabled"] = f.Disabled
	out["os-flavor-access:is_public"] = f.IsPublic
	out["swap"] = any(f.Swap)
	if f.Swap == 0 && !v.AtLeast(75) {
		out["swap"] = ""
	}
	out["rxtx_factor"] = any(pyFloat(f.RxtxFactor))
	if f.RxtxFactor == 0 {
		out["rxtx_factor"] = ""
	}
	if specs {
		out["extra_specs"] = nonNilMap(f.ExtraSpecs)
	}
	return out
}

// showsExtraSpecs is Nova's include_extra_specs: 2.61+ and the extra
// specs index policy passes.
func (s *Service) showsExtraSpecs(r *http.Request) bool {
	return version(r).AtLeast(61) && s.policy.Check("os_compute_api:os-flavor-extra-specs:index", creds(r), callerTarget(r))
}

// listFlavors is GET /flavors.
func (s *Service) listFlavors(w http.ResponseWriter, r *http.Request) error {
	return s.serveFlavorList(w, r, false)
}

// listFlavorsDetail is GET /flavors/detail.
func (s *Service) listFlavorsDetail(w http.ResponseWriter, r *http.Request) error {
	return s.serveFlavorList(w, r, true)
}

func (s *Service) serveFlavorList(w http.ResponseWriter, r *http.Request, detail bool) error {
	l, err := s.parseFlavorList(r)
	if err != nil {
		return err
	}
	specs := detail && s.showsExtraSpecs(r)
	var page []*flavor
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		page, err = l.run(tx, projectOf(r), s.isAdmin(r))
		if err == nil && specs {
			err = fillExtraSpecs(tx, page)
		}
		return err
	})
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(page))
	for i, f := range page {
		items[i] = s.flavorView(r, f, detail, specs)
	}
	body := map[string]any{"flavors": items}
	path := "/v2.1/flavors"
	if detail {
		path += "/detail"
	}
	if len(page) > 0 {
		if links := collectionLinks(r, s.baseURL(r), path, len(page), l.limit, page[len(page)-1].FlavorID); links != nil {
			body["flavors_links"] = links
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// showFlavor is GET /flavors/{id}.
func (s *Service) showFlavor(w http.ResponseWriter, r *http.Request) error {
	var f *flavor
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		f, err = loadFlavor(tx, r.PathValue("id"), projectOf(r), s.isAdmin(r))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"flavor": s.flavorView(r, f, true, s.showsExtraSpecs(r))})
}

// createFlavor is POST /flavors (os-flavor-manage); 200 as upstream.
func (s *Service) createFlavor(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	f, err := parseFlavorCreate(body, version(r))
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-flavor-manage:create", map[string]any{}); err != nil {
		return err
	}
	if f.FlavorID == "" {
		f.FlavorID = s.newID()
	}
	f.CreatedAt = s.now().UnixMicro()
	f.ExtraSpecs = map[string]string{}
	if err := s.db.Write(r.Context(), func(tx *db.Tx) error { return insertFlavor(tx, f) }); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"flavor": s.flavorView(r, f, true, s.showsExtraSpecs(r))})
}

// updateFlavor is PUT /flavors/{id} (2.55+): the description only.
func (s *Service) updateFlavor(w http.ResponseWriter, r *http.Request) error {
	if !version(r).AtLeast(55) {
		return errs.NotFoundf("The resource could not be found.")
	}
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	desc, err := parseFlavorUpdate(body)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-flavor-manage:update", map[string]any{}); err != nil {
		return err
	}
	var f *flavor
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		f, err = loadFlavor(tx, r.PathValue("id"), projectOf(r), s.isAdmin(r))
		if err != nil {
			return err
		}
		f.Description, f.UpdatedAt = desc, ptr(s.now().UnixMicro())
		_, err = tx.Exec(`UPDATE compute_flavors SET description = ?, updated_at = ? WHERE id = ?`, f.Description, *f.UpdatedAt, f.ID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"flavor": s.flavorView(r, f, true, s.showsExtraSpecs(r))})
}

// deleteFlavor is DELETE /flavors/{id}: 202; instances keep their copy.
func (s *Service) deleteFlavor(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-flavor-manage:delete", map[string]any{}); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		n, err := tx.ExecAffected(`DELETE FROM compute_flavors WHERE flavorid = ?`, id)
		if err == nil && n == 0 {
			err = flavorNotFound(id)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
