package network

import (
	"fmt"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// subnetPoolOf is _get_subnetpool_id: the pool a create names, the
// default pool of its IP version with use_default_subnetpool, or "".
func (s *Service) subnetPoolOf(tx *db.Tx, item map[string]any) (string, error) {
	poolID, _ := item["subnetpool_id"].(string)
	useDefault, _ := item["use_default_subnetpool"].(bool)
	if useDefault && poolID != "" {
		return "", neutronerr.BadRequest("subnets", "subnetpool_id and use_default_subnetpool cannot both be specified")
	}
	if poolID != "" || !useDefault {
		return poolID, nil
	}
	given, _ := item["ip_version"].(int64)
	cidr, _ := item["cidr"].(string)
	version := versionOf(cidr, int(given))
	pool, err := s.defaultSubnetPool(tx, version)
	if err != nil {
		return "", err
	}
	if pool == nil {
		return "", neutronerr.BadRequest("subnets", fmt.Sprintf("No default subnetpool found for IPv%d", version))
	}
	return pool.ID, nil
}

// cidrFromPool allocates the subnet's cidr from its pool and checks the
// network's pool and address scope affinity; spec gets the cidr and,
// for a prefix-length request, the pool's default gateway.
func (s *Service) cidrFromPool(tx *db.Tx, scope string, n *network, item map[string]any,
	poolID string, spec *ipam.SubnetSpec, existing []*subnet) error {
	if _, err := getSubnetPool(tx, poolID, scope); err != nil {
		return err
	}
	project, _ := item["project_id"].(string)
	prefixlen, _ := item["prefixlen"].(int64)
	cidr, pool, err := s.allocateSubnetFromPool(tx, poolID, project, spec.CIDR, int(prefixlen), spec.IPVersion)
	if err != nil {
		return err
	}
	if err := checkPoolAffinity(tx, n, pool, existing); err != nil {
		return err
	}
	if spec.CIDR == "" && !spec.GatewaySet {
		gw, _ := ipam.AnySubnetDefaults(netip.MustParsePrefix(cidr))
		spec.GatewaySet, spec.Gateway = true, gw.String()
	}
	spec.CIDR = cidr
	return nil
}

// checkPoolAffinity is _validate_network_subnetpools for a new subnet
// from pool on network n.
func checkPoolAffinity(tx *db.Tx, n *network, pool *subnetPool, existing []*subnet) error {
	scopes, err := networkAddressScopes(tx, []string{n.ID})
	if err != nil {
		return err
	}
	networkScope := scopes[n.ID].V4
	if pool.IPVersion == 6 {
		networkScope = scopes[n.ID].V6
	}
	return ipam.CheckNetworkSubnetPools(poolRefsOf(existing), pool.ref(), pool.IPVersion, networkScope)
}

// checkNoPoolAffinity refuses a subnet without a pool beside one of the
// same IP version that came from a pool.
func checkNoPoolAffinity(spec ipam.SubnetSpec, existing []*subnet) error {
	return ipam.CheckNetworkSubnetPools(poolRefsOf(existing), nil, versionOf(spec.CIDR, spec.IPVersion), "")
}

// versionOf is the IP version of cidr, or fallback when it is not one.
func versionOf(cidr string, fallback int) int {
	p, err := netip.ParsePrefix(cidr)
	switch {
	case err != nil:
		return fallback
	case p.Addr().Is4():
		return 4
	}
	return 6
}

// poolRefsOf are the affinity-check views of a network's subnets.
func poolRefsOf(existing []*subnet) []ipam.Subnet {
	subs := make([]ipam.Subnet, len(existing))
	for i, e := range existing {
		subs[i] = ipam.Subnet{ID: e.ID, IPVersion: e.IPVersion, SubnetPoolID: deref(e.SubnetPoolID)}
	}
	return subs
}
