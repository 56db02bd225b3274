package placement

import (
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

func classView(name string) map[string]any {
	return map[string]any{"name": name, "links": []map[string]string{{"rel": "self", "href": "/resource_classes/" + name}}}
}

func (s *Service) listClasses(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_classes:list"); err != nil {
		return err
	}
	var custom []string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		custom, err = customClasses(tx)
		return err
	})
	if err != nil {
		return err
	}
	out := []any{}
	for _, n := range append(slices.Clone(standardClasses), custom...) {
		out = append(out, classView(n))
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"resource_classes": out})
}

func (s *Service) showClass(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_classes:show"); err != nil {
		return err
	}
	name := r.PathValue("name")
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ok, err := classExists(tx, name)
		if err == nil && !ok {
			return notFound("No such resource class " + name + ".")
		}
		return err
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, classView(name))
}

// readClassName reads {"name": "CUSTOM_..."}.
func readClassName(r *http.Request) (string, error) {
	m, err := jsonObject(r)
	if err != nil {
		return "", err
	}
	if err := checkKeys(m, []string{"name"}); err != nil {
		return "", err
	}
	if _, err := stringValue(m["name"], 255); err != nil {
		return "", err
	}
	return patternValue(m["name"], customPattern)
}

func (s *Service) createClass(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_classes:create"); err != nil {
		return err
	}
	name, err := readClassName(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		now := s.now().UnixMicro()
		n, err := tx.ExecAffected("INSERT INTO placement_custom_classes (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING", name, now, now)
		if err == nil && n == 0 {
			return conflict("Conflicting resource class already exists: "+name, codeDuplicateName)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/resource_classes/"+name)
	w.WriteHeader(http.StatusCreated)
	return nil
}

// putClass is PUT /resource_classes/{name}: from 1.7 a bodiless create or
// check; before, a rename of a custom class.
func (s *Service) putClass(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_classes:update"); err != nil {
		return err
	}
	name := r.PathValue("name")
	if !want(r).AtLeast(7) {
		return s.renameClass(w, r, name)
	}
	if _, err := patternValue(name, customPattern); err != nil {
		return err
	}
	created := false
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		now := s.now().UnixMicro()
		n, err := tx.ExecAffected("INSERT INTO placement_custom_classes (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING", name, now, now)
		created = n > 0
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/resource_classes/"+name)
	cacheHeaders(w, r, s.now().UnixMicro())
	if created {
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

func (s *Service) renameClass(w http.ResponseWriter, r *http.Request, old string) error {
	name, err := readClassName(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if standardClassSet[old] {
			return badRequest("Cannot update standard resource class " + old)
		}
		ok, err := classExists(tx, old)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("No such resource class " + old + ".")
		}
		if taken, err := classExists(tx, name); err != nil || taken {
			if err != nil {
				return err
			}
			return conflict("Resource class already exists: "+name, codeDuplicateName)
		}
		for _, q := range []string{"UPDATE placement_custom_classes SET name = ? WHERE name = ?",
			"UPDATE placement_inventories SET resource_class = ? WHERE resource_class = ?",
			"UPDATE placement_allocations SET resource_class = ? WHERE resource_class = ?"} {
			if _, err := tx.Exec(q, name, old); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, classView(name))
}

func (s *Service) deleteClass(w http.ResponseWriter, r *http.Request) error {
	return s.deleteCustomName(w, r, customName{rule: "placement:resource_classes:delete",
		standard: standardClassSet, exists: classExists,
		usedBy: "SELECT 1 FROM placement_inventories WHERE resource_class = ?",
		table:  "placement_custom_classes",
		standardMsg: func(n string) string {
			return "Error in delete resource class: Cannot delete standard resource class " + n + "."
		},
		missingMsg: func(n string) string { return "No such resource class " + n + "." },
		inUseMsg: func(n string) string {
			return "Error in delete resource class: Cannot delete resource class " + n + ". Class is in use in inventory."
		}})
}
