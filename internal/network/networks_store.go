package network

import (
	"database/sql"
	"encoding/json"
	"errors"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/rpc"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// network is a stored network with its segments.
type network struct {
	ID, ProjectID, Name, Status string
	AdminStateUp, Shared        bool // Shared: the wildcard access_as_shared policy exists
	SharedWith                  bool // an access_as_shared policy targets the reading project
	External, IsDefault         bool
	PortSecurity                bool
	MTU                         int
	AZHints                     []string
	AZs                         []string // zones of the DHCP agents serving it
	Std                         StdAttrs
	Segments                    []ml2.Segment
	Subnets                     []string
	Scopes                      networkScopes // address scopes of its subnets' pools
	QoSPolicyID                 string
}

const networkCols = `id, project_id, name, description, status, admin_state_up, shared, router_external,
	is_default, mtu, port_security_enabled, availability_zone_hints, created_at, updated_at, revision_number`

func scanNetwork(sc interface{ Scan(...any) error }) (*network, error) {
	n := &network{}
	var hints string
	err := sc.Scan(&n.ID, &n.ProjectID, &n.Name, &n.Std.Description, &n.Status, &n.AdminStateUp, &n.Shared,
		&n.External, &n.IsDefault, &n.MTU, &n.PortSecurity, &hints, &n.Std.CreatedAt, &n.Std.UpdatedAt, &n.Std.Revision)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(hints), &n.AZHints); err != nil {
		return nil, err
	}
	return n, nil
}

// visibleClause limits a network query to what a project may see: its
// own and those an RBAC policy (access_as_shared or access_as_external)
// opens to it or to everyone ("" project: every network).
func visibleClause(project string) (string, []any) {
	if project == "" {
		return "", nil
	}
	return ` WHERE (project_id = ? OR ` + rbacReach("network", "network_networks.id") + `)`, []any{project, project}
}

// getNetwork reads one network visible to project ("" for any).
func getNetwork(tx *db.Tx, id, project string) (*network, error) {
	n, err := networkRow(tx, id, project)
	if err != nil {
		return nil, err
	}
	return n, fillNetworks(tx, []*network{n}, project)
}

// portNetwork reads a network visible to project ("" for any) as port
// work needs it: its row and segments, without the lists only its own
// view shows.
func portNetwork(tx *db.Tx, id, project string) (*network, error) {
	n, err := networkRow(tx, id, project)
	if err != nil {
		return nil, err
	}
	segs, err := loadSegments(tx, []string{id})
	n.Segments = segs[id]
	return n, err
}

// networkRow reads a network's own row, visible to project ("" for any).
func networkRow(tx *db.Tx, id, project string) (*network, error) {
	where, args := visibleClause(project)
	if where == "" {
		where = " WHERE id = ?"
	} else {
		where += " AND id = ?"
	}
	n, err := scanNetwork(tx.QueryRow(`SELECT `+networkCols+` FROM network_networks`+where, append(args, id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, neutronerr.NetworkNotFound(id)
	}
	return n, err
}

// listNetworks reads the networks visible to project ("" for all).
func listNetworks(tx *db.Tx, project string) ([]*network, error) {
	where, args := visibleClause(project)
	rows, err := tx.Query(`SELECT `+networkCols+` FROM network_networks`+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*network
	for rows.Next() {
		n, err := scanNetwork(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, fillNetworks(tx, out, project)
}

// fillNetworks loads segments, tags and subnets of networks, and which
// of them are shared with project ("" for none).
func fillNetworks(tx *db.Tx, nets []*network, project string) error {
	ids := make([]string, len(nets))
	for i, n := range nets {
		ids[i] = n.ID
	}
	segs, err := loadSegments(tx, ids)
	if err != nil {
		return err
	}
	tags, err := loadTags(tx, "networks", ids)
	if err != nil {
		return err
	}
	subnets, err := networkSubnets(tx, ids)
	if err != nil {
		return err
	}
	scopes, err := networkAddressScopes(tx, ids)
	if err != nil {
		return err
	}
	with := map[string]bool{}
	if project != "" {
		if with, err = sharedWith(tx, "network", project, ids); err != nil {
			return err
		}
	}
	zones, err := networkZones(tx, ids)
	if err != nil {
		return err
	}
	for _, n := range nets {
		n.Segments, n.Std.Tags, n.Subnets = segs[n.ID], tags[n.ID], subnets[n.ID]
		n.Scopes, n.SharedWith, n.AZs = scopes[n.ID], with[n.ID], zones[n.ID]
	}
	return fillNetworkQoS(tx, nets)
}

// networkSubnets are the subnet ids of networks.
func networkSubnets(tx *db.Tx, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		err := eachRow(tx, `SELECT network_id, id FROM network_subnets WHERE network_id`+in+` ORDER BY created_at, id`, args,
			func(sc func(...any) error) error {
				var net, id string
				if err := sc(&net, &id); err != nil {
					return err
				}
				out[net] = append(out[net], id)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// insertNetwork stores a network row.
func insertNetwork(tx *db.Tx, n *network) error {
	hints, _ := json.Marshal(nonNil(n.AZHints))
	_, err := tx.Exec(`INSERT INTO network_networks (`+networkCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.ProjectID, n.Name, n.Std.Description, n.Status, n.AdminStateUp, n.Shared, n.External, n.IsDefault,
		n.MTU, n.PortSecurity, string(hints), n.Std.CreatedAt, n.Std.UpdatedAt, n.Std.Revision)
	return err
}

// saveNetwork writes a network's mutable columns.
func saveNetwork(tx *db.Tx, n *network) error {
	_, err := tx.Exec(`UPDATE network_networks SET name = ?, description = ?, admin_state_up = ?, shared = ?,
		router_external = ?, is_default = ?, mtu = ?, port_security_enabled = ?, updated_at = ?, revision_number = ?
		WHERE id = ?`, n.Name, n.Std.Description, n.AdminStateUp, n.Shared, n.External, n.IsDefault, n.MTU,
		n.PortSecurity, n.Std.UpdatedAt, n.Std.Revision, n.ID)
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// networkZones are the zones of the DHCP agents holding each network's
// DHCP port (get_network_availability_zones).
func networkZones(tx *db.Tx, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		err := eachRow(tx, `SELECT DISTINCT p.network_id, a.availability_zone FROM network_ports p
			JOIN network_agents a ON a.host = p.binding_host_id AND a.agent_type = ?
			WHERE p.device_owner = ? AND a.availability_zone IS NOT NULL AND p.network_id`+in+`
			ORDER BY p.network_id, a.availability_zone`, append([]any{rpc.AgentTypeDHCP, ipam.OwnerDHCP}, args...),
			func(sc func(...any) error) error {
				var net, zone string
				err := sc(&net, &zone)
				out[net] = append(out[net], zone)
				return err
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
