package network

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// subnetPoolResource is the subnetpool attribute map (neutron_lib's
// subnetpool and address-scope definitions, with standard attributes).
var subnetPoolResource = NewResource("subnetpool", "subnetpools", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Required: true, Validate: notEmptyString, Filter: true, Sort: true},
	{Name: "prefixes", Post: true, Put: true, Required: true, Validate: ipam.ValidateSubnetListAttr},
	{Name: "default_quota", Post: true, Put: true, Convert: toInt, Validate: nonNegative, Filter: true, Sort: true},
	{Name: "ip_version", Filter: true, Sort: true, Convert: toInt},
	{Name: "default_prefixlen", Post: true, Put: true, Convert: toInt, Validate: nonNegative, Filter: true, Sort: true},
	{Name: "min_prefixlen", Post: true, Put: true, Convert: toInt, Validate: nonNegative, Filter: true, Sort: true},
	{Name: "max_prefixlen", Post: true, Put: true, Convert: toInt, Validate: nonNegative, Filter: true, Sort: true},
	{Name: "is_default", Post: true, Put: true, Default: false, Convert: toBool, Filter: true, Sort: true, Policy: true},
	{Name: "shared", Post: true, Default: false, Convert: toBool, Filter: true, Sort: true, Policy: true},
	{Name: "address_scope_id", Post: true, Put: true, Validate: uuidOrNone, Filter: true, Sort: true},
}, stdAttrDefs()))

// notEmptyString is type:not_empty_string.
func notEmptyString(v any) string {
	if reason := maxString(0)(v); reason != "" {
		return reason
	}
	if s := v.(string); strings.TrimSpace(s) == "" {
		return fmt.Sprintf("'%s' Blank strings are not permitted", s)
	}
	return ""
}

// addSubnetPoolRoutes adds the subnet pool and address scope routes.
func (s *Service) addSubnetPoolRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/subnetpools", s.listSubnetPools)
	rt.Handle("POST", "/v2.0/subnetpools", s.createSubnetPools)
	rt.Handle("GET", "/v2.0/subnetpools/{pool_id}", s.showSubnetPool)
	rt.Handle("PUT", "/v2.0/subnetpools/{pool_id}", s.updateSubnetPool)
	rt.Handle("DELETE", "/v2.0/subnetpools/{pool_id}", s.deleteSubnetPool)
	rt.Handle("PUT", "/v2.0/subnetpools/{pool_id}/add_prefixes", s.addPrefixes)
	rt.Handle("PUT", "/v2.0/subnetpools/{pool_id}/remove_prefixes", s.removePrefixes)
	s.addAddressScopeRoutes(rt)
}

// subnetPoolDict is a pool with integer prefix lengths, as filters and
// sorts see it and as an update answers (upstream's update returns ints).
func subnetPoolDict(p *subnetPool) map[string]any {
	m := map[string]any{"id": p.ID, "name": p.Name, "tenant_id": p.ProjectID, "project_id": p.ProjectID,
		"default_prefixlen": p.DefaultPrefixlen, "min_prefixlen": p.MinPrefixlen, "max_prefixlen": p.MaxPrefixlen,
		"is_default": p.IsDefault, "shared": p.Shared || p.SharedWith, "prefixes": nonNil(p.Prefixes), "ip_version": p.IPVersion,
		"default_quota": nil, "address_scope_id": nilIfEmpty(p.AddressScopeID)}
	if p.DefaultQuota != nil {
		m["default_quota"] = *p.DefaultQuota
	}
	p.Std.put(m)
	return m
}

// subnetPoolView is _make_subnetpool_dict: prefix lengths as strings.
func subnetPoolView(m map[string]any) map[string]any {
	for _, k := range []string{"default_prefixlen", "min_prefixlen", "max_prefixlen"} {
		if n, ok := m[k].(int); ok {
			m[k] = strconv.Itoa(n)
		}
	}
	return m
}

func (s *Service) listSubnetPools(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, subnetPoolResource, "get_subnetpool", func(tx *db.Tx, scope string) ([]*subnetPool, error) {
		return querySubnetPools(tx, scope, "1 = 1")
	}, subnetPoolDict, subnetPoolView)
}

// readSubnetPool reads a pool the caller may see, for show and tags.
func (s *Service) readSubnetPool(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	p, err := getSubnetPool(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	m := subnetPoolDict(p)
	if ok, _ := s.allowed(r, "get_subnetpool", m, nil); !ok {
		return nil, neutronerr.SubnetPoolNotFound(id)
	}
	return subnetPoolView(m), nil
}

func (s *Service) showSubnetPool(w http.ResponseWriter, r *http.Request) error {
	var m map[string]any
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		m, err = s.readSubnetPool(r, tx, r.PathValue("pool_id"))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"subnetpool": selectFields(m, nonEmpty(r.URL.Query()["fields"]))})
}

func (s *Service) createSubnetPools(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, subnetPoolResource,
		func(tx *db.Tx, item map[string]any) (*subnetPool, []*ml2.Change, error) {
			p, err := s.insertSubnetPoolItem(r, tx, item)
			return p, nil, err
		}, nil, func(p *subnetPool) map[string]any { return subnetPoolView(subnetPoolDict(p)) })
}

// intAttr is an integer attribute of a converted body, nil when not given.
func intAttr(item map[string]any, name string) *int {
	if v, ok := item[name].(int64); ok {
		return new(int(v))
	}
	return nil
}

// insertSubnetPoolItem is create_subnetpool: SubnetPoolReader, the one
// default per IP version, the address scope, then the row.
func (s *Service) insertSubnetPoolItem(r *http.Request, tx *db.Tx, item map[string]any) (*subnetPool, error) {
	if err := s.enforce(r, "create_subnetpool", item, subnetPoolResource.PolicyAttrs(item, true)); err != nil {
		return nil, err
	}
	spec := ipam.SubnetPoolSpec{Prefixes: stringsOf(item["prefixes"]), MinPrefixlen: intAttr(item, "min_prefixlen"),
		MaxPrefixlen: intAttr(item, "max_prefixlen"), DefaultPrefixlen: intAttr(item, "default_prefixlen")}
	sp, err := ipam.ReadSubnetPool(spec)
	if err != nil {
		return nil, err
	}
	now := micros(s.now())
	p := &subnetPool{ID: s.newID(), IPVersion: sp.IPVersion, Prefixes: prefixStrings(sp.Prefixes),
		DefaultPrefixlen: sp.DefaultPrefixlen, MinPrefixlen: sp.MinPrefixlen, MaxPrefixlen: sp.MaxPrefixlen,
		DefaultQuota: intAttr(item, "default_quota"), Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
	p.ProjectID, _ = item["project_id"].(string)
	p.Name, _ = item["name"].(string)
	p.Std.Description, _ = item["description"].(string)
	p.Shared, _ = item["shared"].(bool)
	p.IsDefault, _ = item["is_default"].(bool)
	p.AddressScopeID, _ = item["address_scope_id"].(string)
	if p.IsDefault {
		if err := checkNoDefaultPool(tx, p.IPVersion); err != nil {
			return nil, err
		}
	}
	if err := s.checkPoolScope(r, tx, p); err != nil {
		return nil, err
	}
	if err := insertSubnetPool(tx, p); err != nil {
		return nil, err
	}
	if p.Shared {
		return p, s.ensureWildcard(tx, "subnetpool", p.ID, p.ProjectID, accessShared)
	}
	return p, nil
}

// checkNoDefaultPool is _check_default_subnetpool_exists.
func checkNoDefaultPool(tx *db.Tx, version int) error {
	found, err := tx.Exists(`SELECT 1 FROM network_subnetpools WHERE is_default = TRUE AND ip_version = ?`, version)
	if err == nil && found {
		return neutronerr.DefaultSubnetPoolExists()
	}
	return err
}

// checkPoolScope is _validate_address_scope_id for pool p as it will be
// stored: a scope the caller sees, of the pool's IP version, whose other
// pools' prefixes p's do not meet, and no network left split across scopes.
func (s *Service) checkPoolScope(r *http.Request, tx *db.Tx, p *subnetPool) error {
	if p.AddressScopeID == "" {
		return nil
	}
	if err := lockAddressScope(tx, p.AddressScopeID); err != nil {
		return err
	}
	a, err := getAddressScope(tx, p.AddressScopeID, s.scope(r))
	if err != nil {
		return err
	}
	if a.IPVersion != p.IPVersion {
		return neutronerr.IllegalSubnetPoolIpVersionAssociationToAddressScope(p.ID, a.ID, a.IPVersion)
	}
	if err := checkScopeNetworkAffinity(tx, p.ID, p.IPVersion); err != nil {
		return err
	}
	others, err := querySubnetPools(tx, "", "address_scope_id = ? AND id <> ?", a.ID, p.ID)
	if err != nil {
		return err
	}
	sets := make([][]netip.Prefix, len(others))
	for i, o := range others {
		sets[i] = parsePrefixes(o.Prefixes)
	}
	return ipam.CheckScopePrefixes(parsePrefixes(p.Prefixes), sets)
}

// checkScopeNetworkAffinity is _check_subnetpool_address_scope_network_affinity:
// re-scoping a pool may not leave a network with subnets of its family
// from outside the pool.
func checkScopeNetworkAffinity(tx *db.Tx, poolID string, version int) error {
	split, err := tx.Exists(`SELECT 1 FROM network_subnets WHERE ip_version = ?
		AND (subnetpool_id IS NULL OR subnetpool_id <> ?)
		AND network_id IN (SELECT network_id FROM network_subnets WHERE subnetpool_id = ?)`, version, poolID, poolID)
	if err == nil && split {
		return ipam.NetworkAddressScopeAffinityError()
	}
	return err
}

func (s *Service) deleteSubnetPool(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("pool_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := s.authorizedSubnetPool(r, tx, id, "delete_subnetpool", nil)
		if err != nil {
			return err
		}
		if err := checkRevision(r, p.Std.Revision); err != nil {
			return err
		}
		return removeSubnetPool(tx, id)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// authorizedSubnetPool reads a pool for a change and enforces action with
// the attributes item sets; a pool the caller may not see is not found.
func (s *Service) authorizedSubnetPool(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*subnetPool, error) {
	p, err := getSubnetPool(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := subnetPoolDict(p)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforceVisible(r, action, target, subnetPoolResource.PolicyAttrs(item, false), "get_subnetpool", subnetPoolDict(p), neutronerr.SubnetPoolNotFound(id)); err != nil {
		return nil, err
	}
	return p, nil
}
