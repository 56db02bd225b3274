package network

import (
	"net/http"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) updateSubnetPool(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("pool_id")
	items, _, err := s.decodeBody(r, subnetPoolResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var p *subnetPool
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := lockSubnetPool(tx, id); err != nil {
			return err
		}
		if p, err = s.authorizedSubnetPool(r, tx, id, "update_subnetpool", item); err != nil {
			return err
		}
		if err := checkRevision(r, p.Std.Revision); err != nil {
			return err
		}
		return s.applySubnetPoolUpdate(r, tx, p, item)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"subnetpool": subnetPoolDict(p)})
}

// applySubnetPoolUpdate is update_subnetpool: prefixes may only grow, the
// merged pool is read again (bounds, IP version), then the default and
// address scope rules, then the row.
func (s *Service) applySubnetPoolUpdate(r *http.Request, tx *db.Tx, p *subnetPool, item map[string]any) error {
	spec, err := mergedPoolSpec(p, item)
	if err != nil {
		return err
	}
	sp, err := ipam.ReadSubnetPool(spec)
	if err != nil {
		return err
	}
	next := *p
	next.IPVersion, next.Prefixes = sp.IPVersion, prefixStrings(sp.Prefixes)
	next.MinPrefixlen, next.MaxPrefixlen, next.DefaultPrefixlen = sp.MinPrefixlen, sp.MaxPrefixlen, sp.DefaultPrefixlen
	applyPoolScalars(&next, item)
	if next.IsDefault && !p.IsDefault {
		if err := checkNoDefaultPool(tx, next.IPVersion); err != nil {
			return err
		}
	}
	if err := s.checkPoolUpdateAllowed(r, tx, p); err != nil {
		return err
	}
	if err := s.checkPoolScope(r, tx, &next); err != nil {
		return err
	}
	next.Std.UpdatedAt, next.Std.Revision = micros(s.now()), p.Std.Revision+1
	*p = next
	return saveSubnetPool(tx, p)
}

// mergedPoolSpec is _update_subnetpool_dict: the stored pool with the
// body's values, new prefixes covering the stored ones.
func mergedPoolSpec(p *subnetPool, item map[string]any) (ipam.SubnetPoolSpec, error) {
	spec := ipam.SubnetPoolSpec{Prefixes: p.Prefixes, MinPrefixlen: &p.MinPrefixlen, MaxPrefixlen: &p.MaxPrefixlen,
		DefaultPrefixlen: &p.DefaultPrefixlen}
	if v, ok := item["prefixes"]; ok {
		grown, err := ipam.UpdatePrefixes(parsePrefixes(p.Prefixes), stringsOf(v))
		if err != nil {
			return spec, err
		}
		spec.Prefixes = prefixStrings(grown)
	}
	for name, dst := range map[string]**int{"min_prefixlen": &spec.MinPrefixlen,
		"max_prefixlen": &spec.MaxPrefixlen, "default_prefixlen": &spec.DefaultPrefixlen} {
		if v := intAttr(item, name); v != nil {
			*dst = v
		}
	}
	return spec, nil
}

// applyPoolScalars sets the body's name, description, quota, default flag
// and address scope (null: none).
func applyPoolScalars(p *subnetPool, item map[string]any) {
	if v, ok := item["name"].(string); ok {
		p.Name = v
	}
	if v, ok := item["description"].(string); ok {
		p.Std.Description = v
	}
	if v := intAttr(item, "default_quota"); v != nil {
		p.DefaultQuota = v
	}
	if v, ok := item["is_default"].(bool); ok {
		p.IsDefault = v
	}
	if v, ok := item["address_scope_id"]; ok {
		p.AddressScopeID, _ = v.(string)
	}
}

// checkPoolUpdateAllowed is _check_subnetpool_update_allowed: a pool in a
// shared scope another project owns is read-only but for an admin.
func (s *Service) checkPoolUpdateAllowed(r *http.Request, tx *db.Tx, p *subnetPool) error {
	if p.AddressScopeID == "" {
		return nil
	}
	a, err := getAddressScope(tx, p.AddressScopeID, s.scope(r))
	if err != nil || s.isAdmin(r) || a.ProjectID == projectOf(r) {
		return err
	}
	return neutronerr.IllegalSubnetPoolUpdate("subnetpool " + p.ID + " cannot be updated when associated with shared address scope " + a.ID)
}

// prefixOpsBody is get_operation_request_body: a non-empty list.
func prefixOpsBody(r *http.Request) ([]string, error) {
	var body map[string]any
	bad := neutronerr.HTTPBadRequest("Request body contains invalid data")
	if err := httpx.DecodeJSON(r, &body); err != nil {
		return nil, bad
	}
	list, ok := body["prefixes"].([]any)
	if !ok || len(list) == 0 {
		return nil, bad
	}
	out := stringsOf(list)
	if len(out) != len(list) {
		return nil, bad
	}
	return out, nil
}

// addPrefixes is PUT .../add_prefixes: an update with the union.
func (s *Service) addPrefixes(w http.ResponseWriter, r *http.Request) error {
	return s.prefixOp(w, r, "add_prefixes", func(tx *db.Tx, p *subnetPool, prefixes []string) error {
		all := make([]any, 0, len(p.Prefixes)+len(prefixes))
		for _, x := range append(append([]string{}, p.Prefixes...), prefixes...) {
			all = append(all, x)
		}
		return s.applySubnetPoolUpdate(r, tx, p, map[string]any{"prefixes": all})
	})
}

// removePrefixes is PUT .../remove_prefixes: the difference, refused when
// a subnet of the pool lies in what goes.
func (s *Service) removePrefixes(w http.ResponseWriter, r *http.Request) error {
	return s.prefixOp(w, r, "remove_prefixes", func(tx *db.Tx, p *subnetPool, prefixes []string) error {
		remove := make([]netip.Prefix, 0, len(prefixes))
		for _, x := range prefixes {
			c, err := ipam.ParseCIDR(x)
			if err != nil {
				return err
			}
			remove = append(remove, c)
		}
		if len(p.Prefixes) == 0 {
			return nil
		}
		used, err := poolSubnetPrefixes(tx, p.ID, "")
		if err != nil {
			return err
		}
		left, changed, err := ipam.RemovePrefixes(parsePrefixes(p.Prefixes), remove, used)
		if err != nil || !changed {
			return err
		}
		p.Prefixes = prefixStrings(left)
		p.Std.UpdatedAt, p.Std.Revision = micros(s.now()), p.Std.Revision+1
		return saveSubnetPool(tx, p)
	})
}

// prefixOp runs a prefix action on a pool under its row lock and answers
// {"prefixes": [...]}.
func (s *Service) prefixOp(w http.ResponseWriter, r *http.Request, action string,
	op func(tx *db.Tx, p *subnetPool, prefixes []string) error) error {
	id := r.PathValue("pool_id")
	prefixes, err := prefixOpsBody(r)
	if err != nil {
		return err
	}
	var p *subnetPool
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := lockSubnetPool(tx, id); err != nil {
			return err
		}
		if p, err = s.authorizedSubnetPool(r, tx, id, action, nil); err != nil {
			return err
		}
		return op(tx, p, prefixes)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"prefixes": nonNil(p.Prefixes)})
}
