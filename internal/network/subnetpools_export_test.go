package network

import (
	"context"

	"github.com/monostack/monostack/internal/db"
)

// AllocateFromPoolForTest runs allocateSubnetFromPool and stores the
// subnet it would make (a bare network_subnets row) on network netID.
func (s *Service) AllocateFromPoolForTest(ctx context.Context, netID, poolID, project, cidr string,
	prefixlen, ipVersion int) (string, error) {
	var got string
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		c, pool, err := s.allocateSubnetFromPool(tx, poolID, project, cidr, prefixlen, ipVersion)
		if err != nil {
			return err
		}
		got = c
		now := micros(s.now())
		_, err = tx.Exec(`INSERT INTO network_subnets (id, project_id, network_id, ip_version, cidr, subnetpool_id,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.newID(), project, netID, pool.ref().IPVersion,
			c, pool.ID, now, now)
		return err
	})
	return got, err
}

// DefaultSubnetPoolForTest is the id of the default pool of version, "" if none.
func (s *Service) DefaultSubnetPoolForTest(ctx context.Context, version int) (string, error) {
	var id string
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		p, err := s.defaultSubnetPool(tx, version)
		if p != nil {
			id = p.ID
		}
		return err
	})
	return id, err
}

// NetworkScopesForTest are a network's ipv4 and ipv6 address scopes.
func (s *Service) NetworkScopesForTest(ctx context.Context, netID string) (v4, v6 string, err error) {
	err = s.db.Read(ctx, func(tx *db.Tx) error {
		m, err := networkAddressScopes(tx, []string{netID})
		v4, v6 = m[netID].V4, m[netID].V6
		return err
	})
	return v4, v6, err
}
