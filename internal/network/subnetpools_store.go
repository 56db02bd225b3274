package network

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// subnetPool is a stored subnet pool.
type subnetPool struct {
	ID, ProjectID, Name string
	IPVersion           int
	Prefixes            []string // compacted, in address order
	DefaultPrefixlen    int
	MinPrefixlen        int
	MaxPrefixlen        int
	Shared, IsDefault   bool // Shared: the wildcard access_as_shared policy exists
	SharedWith          bool // a policy shares the pool with the reading project
	DefaultQuota        *int
	AddressScopeID      string // "" is none
	Std                 StdAttrs
}

// ipamPool is the pool as ipam's allocator reads it.
func (p *subnetPool) ipamPool() ipam.SubnetPool {
	sp := ipam.SubnetPool{IPVersion: p.IPVersion, Prefixes: parsePrefixes(p.Prefixes),
		MinPrefixlen: p.MinPrefixlen, MaxPrefixlen: p.MaxPrefixlen, DefaultPrefixlen: p.DefaultPrefixlen}
	if p.DefaultQuota != nil {
		sp.DefaultQuota = *p.DefaultQuota
	}
	return sp
}

// ref is what the network affinity checks need of the pool.
func (p *subnetPool) ref() *ipam.PoolRef {
	return &ipam.PoolRef{ID: p.ID, IPVersion: p.IPVersion, AddressScopeID: p.AddressScopeID}
}

// parsePrefixes reads stored (already canonical) CIDRs.
func parsePrefixes(ss []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// prefixStrings writes prefixes as the API and the table hold them.
func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

const subnetPoolCols = `id, project_id, name, description, ip_version, prefixes, default_prefixlen, min_prefixlen,
	max_prefixlen, shared, is_default, default_quota, address_scope_id, created_at, updated_at, revision_number`

func scanSubnetPool(sc interface{ Scan(...any) error }) (*subnetPool, error) {
	p := &subnetPool{}
	var prefixes string
	var quota sql.NullInt64
	var scope sql.NullString
	err := sc.Scan(&p.ID, &p.ProjectID, &p.Name, &p.Std.Description, &p.IPVersion, &prefixes, &p.DefaultPrefixlen,
		&p.MinPrefixlen, &p.MaxPrefixlen, &p.Shared, &p.IsDefault, &quota, &scope,
		&p.Std.CreatedAt, &p.Std.UpdatedAt, &p.Std.Revision)
	if err != nil {
		return nil, err
	}
	if quota.Valid {
		p.DefaultQuota = new(int(quota.Int64))
	}
	p.AddressScopeID = scope.String
	return p, json.Unmarshal([]byte(prefixes), &p.Prefixes)
}

// querySubnetPools reads the pools matching where that project may see
// ("" for every pool), with their tags.
func querySubnetPools(tx *db.Tx, project, where string, args ...any) ([]*subnetPool, error) {
	where, args = sharedVisible("subnetpool", where, project, args)
	pools, err := scanRows(tx, `SELECT `+subnetPoolCols+` FROM network_subnetpools WHERE `+where+` ORDER BY created_at, id`,
		args, scanSubnetPool)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(pools))
	for i, p := range pools {
		ids[i] = p.ID
	}
	tags, err := loadTags(tx, "subnetpools", ids)
	if err != nil {
		return nil, err
	}
	with := map[string]bool{}
	if project != "" {
		if with, err = sharedWith(tx, "subnetpool", project, ids); err != nil {
			return nil, err
		}
	}
	for _, p := range pools {
		p.Std.Tags, p.SharedWith = tags[p.ID], with[p.ID]
	}
	return pools, nil
}

// getSubnetPool reads one pool visible to project ("" for any): the
// lead's subnet create calls it with s.scope(r) before allocating.
func getSubnetPool(tx *db.Tx, id, project string) (*subnetPool, error) {
	pools, err := querySubnetPools(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(pools) == 0 {
		return nil, neutronerr.SubnetPoolNotFound(id)
	}
	return pools[0], nil
}

// poolArgs are a pool's column values in subnetPoolCols order.
func poolArgs(p *subnetPool) []any {
	prefixes, _ := json.Marshal(nonNil(p.Prefixes))
	var scope any
	if p.AddressScopeID != "" {
		scope = p.AddressScopeID
	}
	return []any{p.ID, p.ProjectID, p.Name, p.Std.Description, p.IPVersion, string(prefixes), p.DefaultPrefixlen,
		p.MinPrefixlen, p.MaxPrefixlen, p.Shared, p.IsDefault, p.DefaultQuota, scope,
		p.Std.CreatedAt, p.Std.UpdatedAt, p.Std.Revision}
}

// insertSubnetPool stores a pool row.
func insertSubnetPool(tx *db.Tx, p *subnetPool) error {
	_, err := tx.Exec(`INSERT INTO network_subnetpools (`+subnetPoolCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		poolArgs(p)...)
	return poolWriteError(err, p)
}

// saveSubnetPool writes every column of a pool but its id.
func saveSubnetPool(tx *db.Tx, p *subnetPool) error {
	args := poolArgs(p)
	_, err := tx.Exec(`UPDATE network_subnetpools SET project_id = ?, name = ?, description = ?, ip_version = ?,
		prefixes = ?, default_prefixlen = ?, min_prefixlen = ?, max_prefixlen = ?, shared = ?, is_default = ?,
		default_quota = ?, address_scope_id = ?, created_at = ?, updated_at = ?, revision_number = ? WHERE id = ?`,
		append(args[1:], p.ID)...)
	return poolWriteError(err, p)
}

// poolWriteError names the constraint a pool write broke: the one default
// per IP version, or a scope deleted meanwhile.
func poolWriteError(err error, p *subnetPool) error {
	switch {
	case errors.Is(err, db.ErrConflict):
		return neutronerr.DefaultSubnetPoolExists()
	case errors.Is(err, db.ErrReference):
		return neutronerr.AddressScopeNotFound(p.AddressScopeID)
	}
	return err
}

// lockSubnetPool takes the pool's row lock so two processes sharing a
// PostgreSQL database allocate from it one at a time (SQLite has a single
// writer already); a pool deleted meanwhile is not found.
func lockSubnetPool(tx *db.Tx, id string) error {
	n, err := tx.ExecAffected(`UPDATE network_subnetpools SET revision_number = revision_number WHERE id = ?`, id)
	if err == nil && n == 0 {
		return neutronerr.SubnetPoolNotFound(id)
	}
	return err
}

// poolSubnetPrefixes are the cidrs of the subnets allocated from a pool,
// of one project only unless project is "".
func poolSubnetPrefixes(tx *db.Tx, poolID, project string) ([]netip.Prefix, error) {
	q, args := `SELECT cidr FROM network_subnets WHERE subnetpool_id = ?`, []any{poolID}
	if project != "" {
		q, args = q+` AND project_id = ?`, append(args, project)
	}
	cidrs, err := tx.Strings(q+` ORDER BY cidr`, args...)
	return parsePrefixes(cidrs), err
}

// removeSubnetPool deletes a pool no subnet was allocated from.
func removeSubnetPool(tx *db.Tx, id string) error {
	if err := lockSubnetPool(tx, id); err != nil {
		return err
	}
	used, err := tx.Exists(`SELECT 1 FROM network_subnets WHERE subnetpool_id = ?`, id)
	if err != nil {
		return err
	}
	if used {
		return neutronerr.SubnetPoolDeleteError("Subnet pool has existing allocations")
	}
	if err := deleteTags(tx, "subnetpools", id); err != nil {
		return err
	}
	if err := deleteObjectRBAC(tx, "subnetpool", id, "", ""); err != nil {
		return err
	}
	_, err = tx.Exec(`DELETE FROM network_subnetpools WHERE id = ?`, id)
	return err
}
