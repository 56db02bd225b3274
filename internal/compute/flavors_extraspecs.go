package compute

import (
	"encoding/json"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Flavor extra specs (os-extra_specs). Values are strings or numbers;
// key validation by namespace (2.86) is beyond the served versions.

// extraSpecNotFound is Nova's missing-key message.
func extraSpecNotFound(flavorID, key string) error {
	return errs.NotFoundf("Flavor %s has no extra specs with key %s.", flavorID, key)
}

// listExtraSpecs is GET /flavors/{flavor_id}/os-extra_specs.
func (s *Service) listExtraSpecs(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-flavor-extra-specs:index", map[string]any{"project_id": projectOf(r)}); err != nil {
		return err
	}
	f, err := s.readFlavor(r)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"extra_specs": nonNilMap(f.ExtraSpecs)})
}

// showExtraSpec is GET /flavors/{flavor_id}/os-extra_specs/{key}.
func (s *Service) showExtraSpec(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-flavor-extra-specs:show", map[string]any{"project_id": projectOf(r)}); err != nil {
		return err
	}
	f, err := s.readFlavor(r)
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	v, ok := f.ExtraSpecs[key]
	if !ok {
		return extraSpecNotFound(r.PathValue("flavor_id"), key)
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{key: v})
}

// readFlavor loads the path's flavor as the caller sees it.
func (s *Service) readFlavor(r *http.Request) (*flavor, error) {
	var f *flavor
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		f, err = loadFlavor(tx, r.PathValue("flavor_id"), projectOf(r), s.isAdmin(r))
		return err
	})
	return f, err
}

// createExtraSpecs is POST /flavors/{flavor_id}/os-extra_specs: merge;
// the body comes back (200).
func (s *Service) createExtraSpecs(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	raw, err := requireBody(body, "extra_specs")
	if err != nil {
		return err
	}
	specs, err := parseExtraSpecs("extra_specs", raw)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-flavor-extra-specs:create", map[string]any{}); err != nil {
		return err
	}
	if err := s.writeExtraSpecs(r, specs); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// updateExtraSpec is PUT /flavors/{flavor_id}/os-extra_specs/{key}: a
// body of exactly that one key.
func (s *Service) updateExtraSpec(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	specs, err := parseExtraSpecs("", body)
	if err != nil {
		return err
	}
	if len(specs) != 1 {
		why := pyRepr(body) + " has too many properties"
		if len(specs) == 0 {
			why = pyRepr(body) + " does not have enough properties"
		}
		return errs.BadRequestf("%s", why)
	}
	if err := s.enforce(r, "os_compute_api:os-flavor-extra-specs:update", map[string]any{}); err != nil {
		return err
	}
	if _, ok := specs[r.PathValue("key")]; !ok {
		return errs.BadRequestf("Request body and URI mismatch")
	}
	if err := s.writeExtraSpecs(r, specs); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// parseExtraSpecs checks an extra specs object: keys of
// ^[a-zA-Z0-9-_:. ]{1,255}$, values strings or numbers of at most 255
// characters.
func parseExtraSpecs(field string, obj jsonObject) (map[string]string, error) {
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		if !metadataKeyOK(k) {
			why := fmt.Sprintf("Additional properties are not allowed (%s was unexpected)", pyRepr(k))
			if field == "" {
				return nil, errs.BadRequestf("%s", why)
			}
			return nil, invalidInput(field, obj, why)
		}
		var s string
		switch x := v.(type) {
		case string:
			s = x
			if utf8.RuneCountInString(s) > 255 {
				return nil, invalidInput(k, v, pyRepr(v)+" is too long")
			}
		case json.Number:
			s = pyNumber(x)
			if len(s) > 255 {
				return nil, errs.BadRequestf("extra_specs value has %d characters, more than 255.", len(s))
			}
		default:
			return nil, invalidInput(k, v, pyRepr(v)+" is not of type 'string', 'number'")
		}
		out[k] = s
	}
	return out, nil
}

// writeExtraSpecs merges specs into the path's flavor.
func (s *Service) writeExtraSpecs(r *http.Request, specs map[string]string) error {
	return s.db.Write(r.Context(), func(tx *db.Tx) error {
		f, err := loadFlavor(tx, r.PathValue("flavor_id"), projectOf(r), s.isAdmin(r))
		if err != nil {
			return err
		}
		for k, v := range specs {
			if _, err := tx.Exec(`DELETE FROM compute_flavor_extra_specs WHERE flavor_id = ? AND key = ?`, f.ID, k); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO compute_flavor_extra_specs (flavor_id, key, value) VALUES (?, ?, ?)`, f.ID, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// deleteExtraSpec is DELETE /flavors/{flavor_id}/os-extra_specs/{key}
// (200, no body, as upstream).
func (s *Service) deleteExtraSpec(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "os_compute_api:os-flavor-extra-specs:delete", map[string]any{}); err != nil {
		return err
	}
	key := r.PathValue("key")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		f, err := loadFlavor(tx, r.PathValue("flavor_id"), projectOf(r), s.isAdmin(r))
		if err != nil {
			return err
		}
		n, err := tx.ExecAffected(`DELETE FROM compute_flavor_extra_specs WHERE flavor_id = ? AND key = ?`, f.ID, key)
		if err == nil && n == 0 {
			err = extraSpecNotFound(r.PathValue("flavor_id"), key)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
