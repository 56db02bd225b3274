package placement

import (
	"net/http"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// listTraits is GET /traits (?name=in:A,B|startswith:P, ?associated).
func (s *Service) listTraits(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:traits:list"); err != nil {
		return err
	}
	q := r.URL.Query()
	var in []string
	prefix := ""
	if q.Has("name") {
		op, val, ok := strings.Cut(q.Get("name"), ":")
		if !ok {
			return badRequest("Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: \"" + q.Get("name") + "\"")
		}
		switch op {
		case "in":
			in = strings.Split(val, ",")
		case "startswith":
			prefix = val
		}
	}
	assoc := q.Get("associated")
	if q.Has("associated") && !strings.EqualFold(assoc, "true") && !strings.EqualFold(assoc, "false") {
		return badRequest("The query parameter \"associated\" only accepts \"true\" or \"false\"")
	}
	var names []string
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		custom, err := tx.Strings("SELECT name FROM placement_custom_traits")
		if err != nil {
			return err
		}
		used, err := tx.Strings("SELECT DISTINCT trait FROM placement_provider_traits")
		if err != nil {
			return err
		}
		for _, t := range append(slices.Clone(standardTraits), custom...) {
			if (in == nil || slices.Contains(in, t)) && strings.HasPrefix(t, prefix) &&
				(!q.Has("associated") || slices.Contains(used, t) == strings.EqualFold(assoc, "true")) {
				names = append(names, t)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(names)
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"traits": nonNil(names)})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Service) showTrait(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:traits:show"); err != nil {
		return err
	}
	name := r.PathValue("name")
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		ok, err := traitExists(tx, name)
		if err == nil && !ok {
			return notFound("No such trait(s): " + name + ".")
		}
		return err
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) putTrait(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:traits:update"); err != nil {
		return err
	}
	name := r.PathValue("name")
	if !customPattern.MatchString(name) || len(name) > 255 {
		return badRequest("The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix \"CUSTOM_\" and use following characters: \"A\"-\"Z\", \"0\"-\"9\" and \"_\"")
	}
	created := false
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		n, err := tx.ExecAffected("INSERT INTO placement_custom_traits (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, s.now().UnixMicro())
		created = n > 0
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/traits/"+name)
	cacheHeaders(w, r, s.now().UnixMicro())
	if created {
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

func (s *Service) deleteTrait(w http.ResponseWriter, r *http.Request) error {
	return s.deleteCustomName(w, r, customName{rule: "placement:traits:delete",
		standard: standardTraitSet, exists: traitExists,
		usedBy:      "SELECT 1 FROM placement_provider_traits WHERE trait = ?",
		table:       "placement_custom_traits",
		standardMsg: func(n string) string { return "Cannot delete standard trait " + n + "." },
		missingMsg:  func(n string) string { return "No such trait(s): " + n + "." },
		inUseMsg:    func(n string) string { return "The trait " + n + " is in use by a resource provider." }})
}

func (s *Service) providerTraitsHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:traits:list"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	var p *provider
	var traits []string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = findProvider(tx, uuid); err != nil || p == nil {
			return err
		}
		traits, err = providerTraits(tx, uuid)
		return err
	})
	if err != nil {
		return err
	}
	if p == nil {
		return notFound("No resource provider with uuid " + uuid + " found: No resource provider with uuid " + uuid + " found")
	}
	cacheHeaders(w, r, p.Updated)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"traits": traits, "resource_provider_generation": p.Generation})
}

func (s *Service) putProviderTraits(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:traits:update"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	m, err := jsonObject(r)
	if err != nil {
		return err
	}
	if err := checkKeys(m, []string{"traits", "resource_provider_generation"}); err != nil {
		return err
	}
	gen, err := generationOf(m)
	if err != nil {
		return err
	}
	traits, err := stringList(m["traits"], namePattern)
	if err != nil {
		return err
	}
	var p *provider
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = mustProvider(tx, uuid); err != nil {
			return err
		}
		if p.Generation != gen {
			return concurrentUpdate("Resource provider's generation already changed. Please update the generation and try again.")
		}
		missing, err := missingTraits(tx, traits)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return badRequest("No such trait " + joinComma(missing))
		}
		if err := replaceProviderTraits(tx, uuid, traits); err != nil {
			return err
		}
		return s.bumpGeneration(tx, p)
	})
	if err != nil {
		return err
	}
	slices.Sort(traits)
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"traits": nonNil(slices.Compact(traits)), "resource_provider_generation": p.Generation})
}

func (s *Service) deleteProviderTraits(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:traits:delete"); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := mustProvider(tx, r.PathValue("uuid"))
		if err != nil {
			return err
		}
		if err := replaceProviderTraits(tx, p.UUID, nil); err != nil {
			return err
		}
		return s.bumpGeneration(tx, p)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// stringList is a JSON array of unique strings matching pattern.
func stringList(v any, pattern interface{ MatchString(string) bool }) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, invalid(repr(v) + " is not of type 'array'")
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, invalid(repr(item) + " is not of type 'string'")
		}
		if !pattern.MatchString(s) {
			return nil, invalid(repr(item) + " does not match '^[A-Z0-9_]+$'")
		}
		if slices.Contains(out, s) {
			return nil, invalid(repr(v) + " has non-unique elements")
		}
		out = append(out, s)
	}
	return out, nil
}
