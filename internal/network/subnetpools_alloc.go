package network

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
)

// allocateSubnetFromPool picks a CIDR for a new subnet from pool poolID (locked so two
// processes cannot hand out the same prefix), honouring a requested cidr or prefixlen.
// project owns the new subnet (default_quota counts its subnets); prefixlen 0 is the
// pool's default_prefixlen and ipVersion 0 "not given". The caller has checked that
// the requester may see the pool (getSubnetPool with s.scope(r)) and stores the
// subnet with subnetpool_id in the same transaction.
func (s *Service) allocateSubnetFromPool(tx *db.Tx, poolID, project string, cidr string,
	prefixlen int, ipVersion int) (allocated string, pool *subnetPool, err error) {
	if err := lockSubnetPool(tx, poolID); err != nil {
		return "", nil, err
	}
	if pool, err = getSubnetPool(tx, poolID, ""); err != nil {
		return "", nil, err
	}
	if err := ipam.CheckPoolVersion(ipVersion, pool.IPVersion); err != nil {
		return "", nil, err
	}
	req := ipam.PoolRequest{Prefixlen: prefixlen}
	if req.Prefixlen == 0 {
		req.Prefixlen = pool.DefaultPrefixlen
	}
	if cidr != "" {
		if req.CIDR, err = ipam.ParseCIDR(cidr); err != nil {
			return "", nil, err
		}
	}
	used, err := poolSubnetPrefixes(tx, poolID, "")
	if err != nil {
		return "", nil, err
	}
	if pool.DefaultQuota != nil && *pool.DefaultQuota > 0 {
		if req.ProjectAllocations, err = poolSubnetPrefixes(tx, poolID, project); err != nil {
			return "", nil, err
		}
	}
	got, err := ipam.AllocateFromPool(pool.ipamPool(), used, req)
	if err != nil {
		return "", nil, err
	}
	return got.String(), pool, nil
}

// defaultSubnetPool is get_default_subnetpool: the pool marked default for
// ipVersion, nil if none.
func (s *Service) defaultSubnetPool(tx *db.Tx, ipVersion int) (*subnetPool, error) {
	pools, err := querySubnetPools(tx, "", "is_default = TRUE AND ip_version = ?", ipVersion)
	if err != nil || len(pools) == 0 {
		return nil, err
	}
	return pools[0], nil
}

// networkScopes are a network's ipv4_address_scope and ipv6_address_scope
// ("" is none).
type networkScopes struct{ V4, V6 string }

// networkAddressScopes is _extend_network_dict_address_scope for many
// networks: the address scope of the pools their subnets came from.
func networkAddressScopes(tx *db.Tx, networkIDs []string) (map[string]networkScopes, error) {
	out := map[string]networkScopes{}
	for _, chunk := range chunks(networkIDs, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		err := eachRow(tx, `SELECT DISTINCT s.network_id, p.ip_version, p.address_scope_id FROM network_subnets s
			JOIN network_subnetpools p ON p.id = s.subnetpool_id
			WHERE p.address_scope_id IS NOT NULL AND s.network_id`+in, args,
			func(sc func(...any) error) error {
				var net, scope string
				var version int
				if err := sc(&net, &version, &scope); err != nil {
					return err
				}
				ns := out[net]
				if version == 4 {
					ns.V4 = scope
				} else {
					ns.V6 = scope
				}
				out[net] = ns
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
