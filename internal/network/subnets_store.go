package network

import (
	"database/sql"
	"errors"
	"net/netip"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// subnet is a stored subnet with its child lists.
type subnet struct {
	ID, ProjectID, NetworkID, Name string
	IPVersion                      int
	CIDR                           string
	Gateway                        *string
	EnableDHCP                     bool
	RAMode, AddressMode            *string
	SubnetPoolID, SegmentID        *string
	Pools                          []ipam.Pool
	DNS                            []string
	Routes                         []ipam.Route
	ServiceTypes                   []string
	Shared                         bool // the network's shared column
	SharedWith                     bool // a policy shares the network with the reading project
	NetworkProject                 string
	Std                            StdAttrs
}

const subnetCols = `s.id, s.project_id, s.network_id, s.name, s.description, s.ip_version, s.cidr, s.gateway_ip,
	s.enable_dhcp, s.ipv6_ra_mode, s.ipv6_address_mode, s.subnetpool_id, s.segment_id,
	s.created_at, s.updated_at, s.revision_number, n.shared, n.project_id`

func scanSubnet(sc interface{ Scan(...any) error }) (*subnet, error) {
	s := &subnet{}
	err := sc.Scan(&s.ID, &s.ProjectID, &s.NetworkID, &s.Name, &s.Std.Description, &s.IPVersion, &s.CIDR, &s.Gateway,
		&s.EnableDHCP, &s.RAMode, &s.AddressMode, &s.SubnetPoolID, &s.SegmentID,
		&s.Std.CreatedAt, &s.Std.UpdatedAt, &s.Std.Revision, &s.Shared, &s.NetworkProject)
	return s, err
}

// ipamSubnet is the state the IPAM rules need.
func (s *subnet) ipamSubnet() ipam.Subnet {
	out := ipam.Subnet{ID: s.ID, IPVersion: s.IPVersion, CIDR: netip.MustParsePrefix(s.CIDR), Pools: s.Pools,
		EnableDHCP: s.EnableDHCP, RAMode: deref(s.RAMode), AddressMode: deref(s.AddressMode),
		SubnetPoolID: deref(s.SubnetPoolID)}
	if s.Gateway != nil {
		out.Gateway, _ = netip.ParseAddr(*s.Gateway)
	}
	return out
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// subnetVisibleClause limits subnets to those of networks project may see
// (its own, or reached through an RBAC policy).
func subnetVisibleClause(project string) (string, []any) {
	if project == "" {
		return "", nil
	}
	return ` AND (s.project_id = ? OR n.project_id = ? OR ` + rbacReach("network", "n.id") + `)`, []any{project, project, project}
}

// querySubnets reads subnets matching cond, visible to project ("" all).
func querySubnets(tx *db.Tx, project, cond string, args ...any) ([]*subnet, error) {
	vis, vargs := subnetVisibleClause(project)
	out, err := scanRows(tx, `SELECT `+subnetCols+` FROM network_subnets s JOIN network_networks n ON n.id = s.network_id
		WHERE `+cond+vis+` ORDER BY s.created_at, s.id`, append(args, vargs...), scanSubnet)
	if err != nil {
		return nil, err
	}
	if project != "" {
		nets := make([]string, len(out))
		for i, s := range out {
			nets[i] = s.NetworkID
		}
		with, err := sharedWith(tx, "network", project, nets)
		if err != nil {
			return nil, err
		}
		for _, s := range out {
			s.SharedWith = with[s.NetworkID]
		}
	}
	return out, fillSubnets(tx, out)
}

// getSubnet reads one subnet visible to project.
func getSubnet(tx *db.Tx, id, project string) (*subnet, error) {
	list, err := querySubnets(tx, project, `s.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.SubnetNotFound(id)
	}
	return list[0], nil
}

// networkSubnetRows are every subnet of a network.
func networkSubnetRows(tx *db.Tx, networkID string) ([]*subnet, error) {
	return querySubnets(tx, "", `s.network_id = ?`, networkID)
}

// fillSubnets loads the child lists and tags of subnets.
func fillSubnets(tx *db.Tx, subs []*subnet) error {
	return fillSubnetLists(tx, subs, true)
}

// ipamSubnetRows are a network's subnets with what address allocation
// reads: pools and service types, not DNS servers, routes or tags.
func ipamSubnetRows(tx *db.Tx, networkID string) ([]*subnet, error) {
	out, err := scanRows(tx, `SELECT `+subnetCols+` FROM network_subnets s JOIN network_networks n ON n.id = s.network_id
		WHERE s.network_id = ? ORDER BY s.created_at, s.id`, []any{networkID}, scanSubnet)
	if err != nil {
		return nil, err
	}
	return out, fillSubnetLists(tx, out, false)
}

// fillSubnetLists loads subnets' pools and service types, and with all
// their DNS servers, host routes and tags too.
func fillSubnetLists(tx *db.Tx, subs []*subnet, all bool) error {
	if len(subs) == 0 {
		return nil
	}
	byID := map[string]*subnet{}
	ids := make([]string, len(subs))
	for i, s := range subs {
		byID[s.ID], ids[i] = s, s.ID
	}
	in, args := inClause(ids)
	if err := eachRow(tx, `SELECT subnet_id, first_ip, last_ip FROM network_subnet_allocation_pools WHERE subnet_id`+in+` ORDER BY subnet_id, position`, args,
		func(sc func(...any) error) error {
			var id, first, last string
			if err := sc(&id, &first, &last); err != nil {
				return err
			}
			byID[id].Pools = append(byID[id].Pools, ipam.Pool{Start: netip.MustParseAddr(first), End: netip.MustParseAddr(last)})
			return nil
		}); err != nil {
		return err
	}
	if err := eachRow(tx, `SELECT subnet_id, service_type FROM network_subnet_service_types WHERE subnet_id`+in+` ORDER BY subnet_id, service_type`, args,
		func(sc func(...any) error) error {
			var id, st string
			if err := sc(&id, &st); err != nil {
				return err
			}
			byID[id].ServiceTypes = append(byID[id].ServiceTypes, st)
			return nil
		}); err != nil {
		return err
	}
	if !all {
		return nil
	}
	if err := eachRow(tx, `SELECT subnet_id, address FROM network_subnet_dns_nameservers WHERE subnet_id`+in+` ORDER BY subnet_id, position`, args,
		func(sc func(...any) error) error {
			var id, a string
			if err := sc(&id, &a); err != nil {
				return err
			}
			byID[id].DNS = append(byID[id].DNS, a)
			return nil
		}); err != nil {
		return err
	}
	if err := eachRow(tx, `SELECT subnet_id, destination, nexthop FROM network_subnet_host_routes WHERE subnet_id`+in+` ORDER BY subnet_id, position`, args,
		func(sc func(...any) error) error {
			var id string
			var r ipam.Route
			if err := sc(&id, &r.Destination, &r.Nexthop); err != nil {
				return err
			}
			byID[id].Routes = append(byID[id].Routes, r)
			return nil
		}); err != nil {
		return err
	}
	tags, err := loadTags(tx, "subnets", ids)
	if err != nil {
		return err
	}
	for _, s := range subs {
		s.Std.Tags = tags[s.ID]
	}
	return nil
}

// inClause is " IN (?, ?, ...)" with its arguments.
func inClause(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// eachRow runs fn on every row of a query.
func eachRow(tx *db.Tx, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// insertSubnet stores a new subnet with its child lists.
func insertSubnet(tx *db.Tx, s *subnet) error {
	if _, err := tx.Exec(`INSERT INTO network_subnets (id, project_id, network_id, name, description, ip_version, cidr,
		gateway_ip, enable_dhcp, ipv6_ra_mode, ipv6_address_mode, subnetpool_id, segment_id, created_at, updated_at,
		revision_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.ProjectID, s.NetworkID, s.Name, s.Std.Description, s.IPVersion, s.CIDR, s.Gateway, s.EnableDHCP,
		s.RAMode, s.AddressMode, s.SubnetPoolID, s.SegmentID, s.Std.CreatedAt, s.Std.UpdatedAt, s.Std.Revision); err != nil {
		return err
	}
	return writeSubnetLists(tx, s)
}

// saveSubnet writes a subnet's mutable columns and child lists.
func saveSubnet(tx *db.Tx, s *subnet) error {
	if _, err := tx.Exec(`UPDATE network_subnets SET name = ?, description = ?, gateway_ip = ?, enable_dhcp = ?,
		segment_id = ?, updated_at = ?, revision_number = ? WHERE id = ?`,
		s.Name, s.Std.Description, s.Gateway, s.EnableDHCP, s.SegmentID, s.Std.UpdatedAt, s.Std.Revision, s.ID); err != nil {
		return err
	}
	for _, t := range subnetListTables {
		if _, err := tx.Exec(`DELETE FROM `+t+` WHERE subnet_id = ?`, s.ID); err != nil {
			return err
		}
	}
	return writeSubnetLists(tx, s)
}

var subnetListTables = []string{"network_subnet_allocation_pools", "network_subnet_dns_nameservers",
	"network_subnet_host_routes", "network_subnet_service_types"}

func writeSubnetLists(tx *db.Tx, s *subnet) error {
	for i, p := range s.Pools {
		if _, err := tx.Exec(`INSERT INTO network_subnet_allocation_pools (subnet_id, position, first_ip, last_ip) VALUES (?, ?, ?, ?)`,
			s.ID, i, p.Start.String(), p.End.String()); err != nil {
			return err
		}
	}
	for i, a := range s.DNS {
		if _, err := tx.Exec(`INSERT INTO network_subnet_dns_nameservers (subnet_id, position, address) VALUES (?, ?, ?)`, s.ID, i, a); err != nil {
			return err
		}
	}
	for i, r := range s.Routes {
		if _, err := tx.Exec(`INSERT INTO network_subnet_host_routes (subnet_id, position, destination, nexthop) VALUES (?, ?, ?, ?)`,
			s.ID, i, r.Destination, r.Nexthop); err != nil {
			return err
		}
	}
	for _, st := range s.ServiceTypes {
		if _, err := tx.Exec(`INSERT INTO network_subnet_service_types (subnet_id, service_type) VALUES (?, ?)`, s.ID, st); err != nil {
			return err
		}
	}
	return nil
}

// subnetIPInUse is the port holding ip on a subnet, "" if none.
func subnetIPInUse(tx *db.Tx, subnetID, ip string) (string, error) {
	var port string
	err := tx.QueryRow(`SELECT port_id FROM network_ip_allocations WHERE subnet_id = ? AND ip_address = ?`, subnetID, ip).Scan(&port)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return port, err
}
