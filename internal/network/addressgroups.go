package network

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// addressGroupResource is the address-group extension's attribute map.
var addressGroupResource = NewResource("address_group", "address_groups", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "description", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(1024)},
	{Name: "addresses", Post: true, Convert: noneToEmptyList, Validate: subnetList},
}, stdAttrDefs()[1:4]))

func (s *Service) addAddressGroupRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/address-groups", s.listAddressGroups)
	rt.Handle("POST", "/v2.0/address-groups", s.createAddressGroups)
	rt.Handle("GET", "/v2.0/address-groups/{ag_id}", s.showAddressGroup)
	rt.Handle("PUT", "/v2.0/address-groups/{ag_id}", s.updateAddressGroup)
	rt.Handle("DELETE", "/v2.0/address-groups/{ag_id}", s.deleteAddressGroup)
	rt.Handle("PUT", "/v2.0/address-groups/{ag_id}/add_addresses", s.changeAddresses("add_addresses"))
	rt.Handle("PUT", "/v2.0/address-groups/{ag_id}/remove_addresses", s.changeAddresses("remove_addresses"))
}

// noneToEmptyList is convert_none_to_empty_list.
func noneToEmptyList(v any) (any, error) {
	if v == nil {
		return []any{}, nil
	}
	return v, nil
}

// subnetList is type:subnet_list: unique CIDRs (IPv4 ones without host bits
// beyond what they say).
func subnetList(v any) string {
	list, ok := v.([]any)
	if !ok {
		return fmt.Sprintf("'%s' is not a list", pyStr(v))
	}
	seen := map[string]bool{}
	var dups []string
	for _, e := range list {
		k := pyStr(e)
		if seen[k] && !slices.Contains(dups, k) {
			dups = append(dups, k)
		}
		seen[k] = true
	}
	if len(dups) > 0 {
		return "Duplicate items in the list: '" + strings.Join(dups, ", ") + "'"
	}
	for _, e := range list {
		if msg := validSubnet(e); msg != "" {
			return msg
		}
	}
	return ""
}

// validSubnet is validate_subnet.
func validSubnet(v any) string {
	s, ok := v.(string)
	if !ok || strings.ContainsAny(s, " \t\r\n") {
		return fmt.Sprintf("'%s' is not a valid IP subnet", pyStr(v))
	}
	p, err := parsePrefixOrAddr(s)
	if err != nil {
		return fmt.Sprintf("'%s' is not a valid IP subnet", s)
	}
	if !strings.Contains(s, "/") || (p.Addr().Is4() && p.String() != s) {
		return fmt.Sprintf("'%s' isn't a recognized IP subnet cidr, '%s' is recommended", s, p.Masked())
	}
	return ""
}

// normalizeAddresses masks each CIDR, dropping repeats, in request order.
func normalizeAddresses(list []string) []string {
	var out []string
	for _, a := range list {
		p, err := parsePrefixOrAddr(a)
		if err != nil {
			continue
		}
		if n := p.Masked().String(); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// addressGroupDict is an address group as the API shows it.
func addressGroupDict(g *addressGroup) map[string]any {
	m := map[string]any{"id": g.ID, "name": g.Name, "project_id": g.ProjectID, "tenant_id": g.ProjectID,
		"addresses": nonNil(g.Addresses)}
	g.Std.put(m)
	delete(m, "tags")
	return m
}

func (s *Service) listAddressGroups(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, addressGroupResource, "get_address_group", func(tx *db.Tx, scope string) ([]*addressGroup, error) {
		return queryAddressGroups(tx, scope, "1 = 1")
	}, addressGroupDict, nil)
}

func (s *Service) showAddressGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("ag_id")
	return showOne(s, w, r, addressGroupResource,
		func(tx *db.Tx) (*addressGroup, error) { return getAddressGroup(tx, id, s.scope(r)) },
		func(g *addressGroup) (map[string]any, bool) {
			m := addressGroupDict(g)
			ok, _ := s.allowed(r, "get_address_group", m, nil)
			return m, ok
		}, neutronerr.AddressGroupNotFound(id))
}

func (s *Service) createAddressGroups(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, addressGroupResource,
		func(tx *db.Tx, item map[string]any) (*addressGroup, []*ml2.Change, error) {
			if err := s.enforce(r, "create_address_group", item, nil); err != nil {
				return nil, nil, err
			}
			now := micros(s.now())
			g := &addressGroup{ID: s.newID(), Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
			g.ProjectID, _ = item["project_id"].(string)
			g.Name, _ = item["name"].(string)
			g.Std.Description, _ = item["description"].(string)
			if err := insertAddressGroup(tx, g); err != nil {
				return nil, nil, err
			}
			return g, nil, s.addAddresses(tx, g, stringsOf(item["addresses"]))
		}, nil, addressGroupDict)
}

// authorizedAddressGroup reads an address group for a change and enforces
// action; one the caller may not see is not found.
func (s *Service) authorizedAddressGroup(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*addressGroup, error) {
	g, err := getAddressGroup(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := addressGroupDict(g)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforceVisible(r, action, target, nil, "get_address_group", addressGroupDict(g), neutronerr.AddressGroupNotFound(id)); err != nil {
		return nil, err
	}
	return g, nil
}

func (s *Service) updateAddressGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("ag_id")
	items, _, err := s.decodeBody(r, addressGroupResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var g *addressGroup
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if g, err = s.authorizedAddressGroup(r, tx, id, "update_address_group", item); err != nil {
			return err
		}
		if err := checkRevision(r, g.Std.Revision); err != nil {
			return err
		}
		if v, ok := item["name"].(string); ok {
			g.Name = v
		}
		if v, ok := item["description"].(string); ok {
			g.Std.Description = v
		}
		g.Std.UpdatedAt, g.Std.Revision = micros(s.now()), g.Std.Revision+1
		return saveAddressGroup(tx, g)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"address_group": addressGroupDict(g)})
}

func (s *Service) deleteAddressGroup(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("ag_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		g, err := s.authorizedAddressGroup(r, tx, id, "delete_address_group", nil)
		if err != nil {
			return err
		}
		if err := checkRevision(r, g.Std.Revision); err != nil {
			return err
		}
		used, err := addressGroupInUse(tx, id)
		if err != nil {
			return err
		}
		if used {
			return neutronerr.AddressGroupInUse(id)
		}
		return removeAddressGroup(tx, id)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changeAddresses is the add_addresses or remove_addresses member action.
func (s *Service) changeAddresses(action string) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		addrs, err := decodeAddresses(r)
		if err != nil {
			return err
		}
		id := r.PathValue("ag_id")
		var g *addressGroup
		err = s.db.Write(r.Context(), func(tx *db.Tx) error {
			if g, err = s.authorizedAddressGroup(r, tx, id, action, nil); err != nil {
				return err
			}
			if action == "add_addresses" {
				return s.addAddresses(tx, g, addrs)
			}
			return s.removeAddresses(tx, g, addrs)
		})
		if err != nil {
			return err
		}
		s.notifyMembersUpdated(r.Context(), g.ID)
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{"address_group": addressGroupDict(g)})
	}
}

// decodeAddresses reads {"addresses": [CIDR, ...]}.
func decodeAddresses(r *http.Request) ([]string, error) {
	var body map[string]any
	if err := httpx.DecodeJSON(r, &body); err != nil {
		return nil, neutronerr.New("MalformedRequestBody", "Malformed request body: Cannot understand JSON")
	}
	list, ok := body["addresses"]
	if !ok {
		return nil, neutronerr.HTTPBadRequest("Unable to find 'addresses' in request body")
	}
	if reason := subnetList(list); reason != "" {
		return nil, neutronerr.HTTPBadRequest("Invalid input for addresses. Reason: " + reason + ".")
	}
	return stringsOf(list), nil
}

// addAddresses adds CIDRs none of which the group has yet.
func (s *Service) addAddresses(tx *db.Tx, g *addressGroup, addrs []string) error {
	norm := normalizeAddresses(addrs)
	var have []any
	for _, a := range norm {
		if slices.Contains(g.Addresses, a) {
			have = append(have, a)
		}
	}
	if len(have) > 0 {
		return neutronerr.AddressesAlreadyExist(pyStr(have), g.ID)
	}
	g.Addresses = append(g.Addresses, norm...)
	slices.Sort(g.Addresses)
	return s.bumpAddressGroup(tx, g, norm, true)
}

// removeAddresses removes CIDRs all of which the group has.
func (s *Service) removeAddresses(tx *db.Tx, g *addressGroup, addrs []string) error {
	norm := normalizeAddresses(addrs)
	var missing []any
	for _, a := range norm {
		if !slices.Contains(g.Addresses, a) {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		return neutronerr.AddressesNotFound(pyStr(missing), g.ID)
	}
	g.Addresses = slices.DeleteFunc(g.Addresses, func(a string) bool { return slices.Contains(norm, a) })
	return s.bumpAddressGroup(tx, g, norm, false)
}

// bumpAddressGroup stores an address change; each address is a revision.
func (s *Service) bumpAddressGroup(tx *db.Tx, g *addressGroup, addrs []string, add bool) error {
	if len(addrs) == 0 {
		return nil
	}
	if err := setAddresses(tx, g.ID, addrs, add); err != nil {
		return err
	}
	g.Std.UpdatedAt, g.Std.Revision = micros(s.now()), g.Std.Revision+int64(len(addrs))
	return saveAddressGroup(tx, g)
}
