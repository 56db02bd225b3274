package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// addressScopeResource is the address-scope extension's attribute map.
var addressScopeResource = NewResource("address_scope", "address_scopes", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "shared", Post: true, Put: true, Default: false, Convert: toBool, Filter: true, Sort: true, Policy: true},
	{Name: "ip_version", Post: true, Required: true, Convert: toInt, Validate: intIn(4, 6), Filter: true, Sort: true},
}))

// addAddressScopeRoutes adds the address-scope routes.
func (s *Service) addAddressScopeRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/address-scopes", s.listAddressScopes)
	rt.Handle("POST", "/v2.0/address-scopes", s.createAddressScopes)
	rt.Handle("GET", "/v2.0/address-scopes/{scope_id}", s.showAddressScope)
	rt.Handle("PUT", "/v2.0/address-scopes/{scope_id}", s.updateAddressScope)
	rt.Handle("DELETE", "/v2.0/address-scopes/{scope_id}", s.deleteAddressScope)
}

// addressScopeDict is a scope as the API shows it.
func addressScopeDict(a *addressScope) map[string]any {
	return map[string]any{"id": a.ID, "name": a.Name, "shared": a.Shared || a.SharedWith, "ip_version": a.IPVersion,
		"project_id": a.ProjectID, "tenant_id": a.ProjectID}
}

func (s *Service) listAddressScopes(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, addressScopeResource, "get_address_scope", func(tx *db.Tx, scope string) ([]*addressScope, error) {
		return queryAddressScopes(tx, scope, "1 = 1")
	}, addressScopeDict, nil)
}

func (s *Service) showAddressScope(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("scope_id")
	return showOne(s, w, r, addressScopeResource,
		func(tx *db.Tx) (*addressScope, error) { return getAddressScope(tx, id, s.scope(r)) },
		func(a *addressScope) (map[string]any, bool) {
			m := addressScopeDict(a)
			ok, _ := s.allowed(r, "get_address_scope", m, nil)
			return m, ok
		}, neutronerr.AddressScopeNotFound(id))
}

func (s *Service) createAddressScopes(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, addressScopeResource,
		func(tx *db.Tx, item map[string]any) (*addressScope, []*ml2.Change, error) {
			if err := s.enforce(r, "create_address_scope", item, addressScopeResource.PolicyAttrs(item, true)); err != nil {
				return nil, nil, err
			}
			a := &addressScope{ID: s.newID()}
			a.ProjectID, _ = item["project_id"].(string)
			a.Name, _ = item["name"].(string)
			a.Shared, _ = item["shared"].(bool)
			version, _ := item["ip_version"].(int64)
			a.IPVersion = int(version)
			if err := insertAddressScope(tx, a); err != nil || !a.Shared {
				return a, nil, err
			}
			return a, nil, s.ensureWildcard(tx, "address_scope", a.ID, a.ProjectID, accessShared)
		}, nil, addressScopeDict)
}

// authorizedAddressScope reads a scope for an update or delete and
// enforces action with the attributes item sets; a scope the caller may
// not see is not found.
func (s *Service) authorizedAddressScope(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*addressScope, error) {
	a, err := getAddressScope(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := addressScopeDict(a)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforceVisible(r, action, target, addressScopeResource.PolicyAttrs(item, false), "get_address_scope", addressScopeDict(a), neutronerr.AddressScopeNotFound(id)); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) updateAddressScope(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("scope_id")
	items, _, err := s.decodeBody(r, addressScopeResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var a *addressScope
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if a, err = s.authorizedAddressScope(r, tx, id, "update_address_scope", item); err != nil {
			return err
		}
		if shared, ok := item["shared"].(bool); ok && a.Shared && !shared {
			return neutronerr.AddressScopeUpdateError(id, "Shared address scope can't be unshared")
		}
		if name, ok := item["name"].(string); ok {
			a.Name = name
		}
		if shared, ok := item["shared"].(bool); ok && shared && !a.Shared {
			a.Shared = true
			if err := s.ensureWildcard(tx, "address_scope", a.ID, a.ProjectID, accessShared); err != nil {
				return err
			}
		}
		return saveAddressScope(tx, a)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"address_scope": addressScopeDict(a)})
}

func (s *Service) deleteAddressScope(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("scope_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := s.authorizedAddressScope(r, tx, id, "delete_address_scope", nil); err != nil {
			return err
		}
		return removeAddressScope(tx, id)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
