package placement

import (
	"net/http"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// readResources reads {"CLASS": amount>=1, ...}.
func readResources(v any) (map[string]int, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(repr(v) + " is not of type 'object'")
	}
	if len(m) == 0 {
		return nil, invalid("{} does not have enough properties")
	}
	out := map[string]int{}
	for _, rc := range sortedKeys(m) {
		if !namePattern.MatchString(rc) {
			return nil, invalid("Additional properties are not allowed (" + repr(rc) + " was unexpected)")
		}
		n, err := intValue(m[rc], 1, maxInt)
		if err != nil {
			return nil, err
		}
		out[rc] = n
	}
	return out, nil
}

// readAllocationsDict reads the 1.12+ {rp: {"resources": {...}}} form.
func readAllocationsDict(v any, allowEmpty bool) (map[string]placementapi.Resources, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(repr(v) + " is not of type 'object'")
	}
	if len(m) == 0 && !allowEmpty {
		return nil, invalid("{} does not have enough properties")
	}
	out := map[string]placementapi.Resources{}
	for _, rp := range sortedKeys(m) {
		rec, ok := m[rp].(map[string]any)
		if !ok {
			return nil, invalid(repr(m[rp]) + " is not of type 'object'")
		}
		if err := checkKeys(rec, []string{"resources"}, "generation"); err != nil {
			return nil, err
		}
		res, err := readResources(rec["resources"])
		if err != nil {
			return nil, err
		}
		out[rp] = placementapi.Resources{Resources: res}
	}
	return out, nil
}

// readAllocationsList reads the pre-1.12 list form.
func readAllocationsList(v any) (map[string]placementapi.Resources, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, invalid(repr(v) + " is not of type 'array'")
	}
	if len(list) == 0 {
		return nil, invalid("[] is too short")
	}
	out := map[string]placementapi.Resources{}
	for _, item := range list {
		rec, ok := item.(map[string]any)
		if !ok {
			return nil, invalid(repr(item) + " is not of type 'object'")
		}
		if err := checkKeys(rec, []string{"resource_provider", "resources"}); err != nil {
			return nil, err
		}
		rpObj, ok := rec["resource_provider"].(map[string]any)
		if !ok {
			return nil, invalid(repr(rec["resource_provider"]) + " is not of type 'object'")
		}
		if err := checkKeys(rpObj, []string{"uuid"}); err != nil {
			return nil, err
		}
		rp, err := uuidValue(rpObj["uuid"])
		if err != nil {
			return nil, err
		}
		res, err := readResources(rec["resources"])
		if err != nil {
			return nil, err
		}
		out[rp] = placementapi.Resources{Resources: res}
	}
	return out, nil
}

// readConsumerPut reads one consumer's allocations in the shape of v.
func readConsumerPut(m map[string]any, v httpx.Microversion) (placementapi.AllocationsPut, error) {
	var out placementapi.AllocationsPut
	required := []string{"allocations"}
	var optional []string
	if v.AtLeast(8) {
		required = append(required, "project_id", "user_id")
	}
	if v.AtLeast(28) {
		required = append(required, "consumer_generation")
	}
	if v.AtLeast(34) {
		optional = append(optional, "mappings")
	}
	if v.AtLeast(38) {
		required = append(required, "consumer_type")
	}
	if err := checkKeys(m, required, optional...); err != nil {
		return out, err
	}
	var err error
	if v.AtLeast(12) {
		out.Allocations, err = readAllocationsDict(m["allocations"], v.AtLeast(28))
	} else {
		out.Allocations, err = readAllocationsList(m["allocations"])
	}
	if err != nil {
		return out, err
	}
	for key, dst := range map[string]*string{"project_id": &out.ProjectID, "user_id": &out.UserID} {
		if raw, ok := m[key]; ok {
			if *dst, err = stringValue(raw, 255); err != nil {
				return out, err
			}
		}
	}
	if raw, ok := m["consumer_generation"]; ok && raw != nil {
		g, err := intValue(raw, -1<<62, 1<<62)
		if err != nil {
			return out, err
		}
		out.ConsumerGeneration = &g
	}
	if raw, ok := m["consumer_type"]; ok {
		if out.ConsumerType, err = patternValue(raw, namePattern); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (s *Service) putAllocationsHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:allocations:update"); err != nil {
		return err
	}
	c, ok := normUUID(r.PathValue("consumer_uuid"))
	if !ok {
		return badRequest("Malformed consumer_uuid: " + r.PathValue("consumer_uuid"))
	}
	m, err := jsonObject(r)
	if err != nil {
		return err
	}
	put, err := readConsumerPut(m, want(r))
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		return s.writeAllocations(tx, map[string]placementapi.AllocationsPut{c: put}, writeOptions{minor: want(r).Minor})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) postAllocationsHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:allocations:manage"); err != nil {
		return err
	}
	m, err := jsonObject(r)
	if err != nil {
		return err
	}
	if len(m) == 0 {
		return invalid("{} does not have enough properties")
	}
	all := map[string]placementapi.AllocationsPut{}
	for _, c := range sortedKeys(m) {
		norm, ok := normUUID(c)
		if !ok {
			return invalid("Additional properties are not allowed (" + repr(c) + " was unexpected)")
		}
		rec, ok := m[c].(map[string]any)
		if !ok {
			return invalid(repr(m[c]) + " is not of type 'object'")
		}
		v := want(r)
		if v.Minor < 12 {
			v.Minor = 12
		}
		if all[norm], err = readConsumerPut(rec, v); err != nil {
			return err
		}
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		return s.writeAllocations(tx, all, writeOptions{minor: want(r).Minor, post: true})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) getAllocationsHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:allocations:list"); err != nil {
		return err
	}
	var a *placementapi.ConsumerAllocations
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		a, _, err = consumerAllocations(tx, r.PathValue("consumer_uuid"))
		return err
	})
	if err != nil {
		return err
	}
	v := want(r)
	out := map[string]any{"allocations": a.Allocations}
	if len(a.Allocations) > 0 && v.AtLeast(12) && a.ConsumerGeneration != nil {
		out["project_id"], out["user_id"] = a.ProjectID, a.UserID
		if v.AtLeast(28) {
			out["consumer_generation"] = *a.ConsumerGeneration
		}
		if v.AtLeast(38) {
			out["consumer_type"] = a.ConsumerType
		}
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (s *Service) deleteAllocationsHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:allocations:delete"); err != nil {
		return err
	}
	c := r.PathValue("consumer_uuid")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		had, err := deleteConsumerAllocations(tx, c)
		if err == nil && !had {
			return notFound("No allocations for consumer '" + c + "'")
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// providerAllocationsHandler is GET /resource_providers/{uuid}/allocations.
func (s *Service) providerAllocationsHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:allocations:list"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	out := map[string]map[string]any{}
	var p *provider
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		var err error
		if p, err = findProvider(tx, uuid); err != nil || p == nil {
			return err
		}
		rows, err := tx.Query("SELECT a.consumer_uuid, a.resource_class, a.used, c.generation FROM placement_allocations a "+
			"LEFT JOIN placement_consumers c ON c.uuid = a.consumer_uuid WHERE a.provider_uuid = ?", uuid)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c, rc string
			var used int
			var gen *int
			if err := rows.Scan(&c, &rc, &used, &gen); err != nil {
				return err
			}
			if out[c] == nil {
				out[c] = map[string]any{"resources": map[string]int{}}
				if want(r).AtLeast(28) {
					out[c]["consumer_generation"] = gen
				}
			}
			out[c]["resources"].(map[string]int)[rc] = used
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	if p == nil {
		return notFound("Resource provider '" + uuid + "' not found: No resource provider with uuid " + uuid + " found")
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"allocations": out, "resource_provider_generation": p.Generation})
}
