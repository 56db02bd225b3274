package network

import (
	"encoding/json"
	"github.com/monostack/monostack/internal/network/rpc"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Device owners of the ports the L3 service makes.
const (
	ownerRouterInterface = "network:router_interface"
	ownerRouterGateway   = "network:router_gateway"
	ownerFloatingIP      = "network:floatingip"
)

// router is a stored router with its routes and gateway.
type router struct {
	ID, ProjectID, Name, Status string
	AdminStateUp, EnableSNAT    bool
	Distributed, HA             bool
	GWPortID                    string
	AZHints                     []string
	Routes                      []extraRoute
	GWNetworkID                 string
	GWFixedIPs                  []fixedIP
	Host                        string // the L3 agent's host holding it, "" while none does
	AZ                          string // that agent's availability zone, "" if none
	Std                         StdAttrs
}

type extraRoute struct{ Destination, Nexthop string }

const routerCols = `id, project_id, name, description, status, admin_state_up, COALESCE(gw_port_id, ''), enable_snat,
	distributed, ha, availability_zone_hints, l3_host, created_at, updated_at, revision_number,
	COALESCE((SELECT a.availability_zone FROM network_agents a WHERE a.agent_type = '` + rpc.AgentTypeL3 + `'
		AND a.host = network_routers.l3_host AND network_routers.l3_host <> ''), '')`

func scanRouter(sc interface{ Scan(...any) error }) (*router, error) {
	rt := &router{}
	var hints string
	err := sc.Scan(&rt.ID, &rt.ProjectID, &rt.Name, &rt.Std.Description, &rt.Status, &rt.AdminStateUp, &rt.GWPortID,
		&rt.EnableSNAT, &rt.Distributed, &rt.HA, &hints, &rt.Host, &rt.Std.CreatedAt, &rt.Std.UpdatedAt, &rt.Std.Revision, &rt.AZ)
	if err != nil {
		return nil, err
	}
	return rt, json.Unmarshal([]byte(hints), &rt.AZHints)
}

// queryRouters reads the routers matching where that project owns (""
// for every project), with routes, gateway and tags.
func queryRouters(tx *db.Tx, project, where string, args ...any) ([]*router, error) {
	if project != "" {
		where = "(" + where + ") AND project_id = ?"
		args = append(args, project)
	}
	out, err := scanRows(tx, `SELECT `+routerCols+` FROM network_routers WHERE `+where+` ORDER BY created_at, id`, args, scanRouter)
	if err != nil {
		return nil, err
	}
	return out, fillRouters(tx, out)
}

// getRouter reads one router visible to project.
func getRouter(tx *db.Tx, id, project string) (*router, error) {
	list, err := queryRouters(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.RouterNotFound(id)
	}
	return list[0], nil
}

// fillRouters loads routes, gateway port addresses and tags.
func fillRouters(tx *db.Tx, routers []*router) error {
	ids := make([]string, len(routers))
	byID := map[string]*router{}
	for i, rt := range routers {
		ids[i], byID[rt.ID] = rt.ID, rt
	}
	tags, err := loadTags(tx, "routers", ids)
	if err != nil {
		return err
	}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		if err := eachRow(tx, `SELECT router_id, destination, nexthop FROM network_router_routes WHERE router_id`+in+
			` ORDER BY destination, nexthop`, args, func(sc func(...any) error) error {
			var id string
			var r extraRoute
			if err := sc(&id, &r.Destination, &r.Nexthop); err != nil {
				return err
			}
			byID[id].Routes = append(byID[id].Routes, r)
			return nil
		}); err != nil {
			return err
		}
		if err := fillGateways(tx, byID, in, args); err != nil {
			return err
		}
	}
	for _, rt := range routers {
		rt.Std.Tags = tags[rt.ID]
	}
	return nil
}

// fillGateways loads the network and addresses of routers' gateway ports.
func fillGateways(tx *db.Tx, byID map[string]*router, in string, args []any) error {
	return eachRow(tx, `SELECT r.id, p.network_id, COALESCE(a.subnet_id, ''), COALESCE(a.ip_address, '')
		FROM network_routers r JOIN network_ports p ON p.id = r.gw_port_id
		LEFT JOIN network_ip_allocations a ON a.port_id = p.id WHERE r.id`+in+` ORDER BY a.subnet_id, a.ip_address`, args,
		func(sc func(...any) error) error {
			var id, net, sub, ip string
			if err := sc(&id, &net, &sub, &ip); err != nil {
				return err
			}
			rt := byID[id]
			rt.GWNetworkID = net
			if addr, err := netip.ParseAddr(ip); err == nil {
				rt.GWFixedIPs = append(rt.GWFixedIPs, fixedIP{sub, addr})
			}
			return nil
		})
}

// insertRouter stores a new router row.
func insertRouter(tx *db.Tx, rt *router) error {
	hints, _ := json.Marshal(nonNil(rt.AZHints))
	_, err := tx.Exec(`INSERT INTO network_routers (id, project_id, name, description, status, admin_state_up, enable_snat,
		distributed, ha, availability_zone_hints, created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rt.ID, rt.ProjectID, rt.Name, rt.Std.Description, rt.Status, rt.AdminStateUp, rt.EnableSNAT, rt.Distributed, rt.HA,
		string(hints), rt.Std.CreatedAt, rt.Std.UpdatedAt, rt.Std.Revision)
	return err
}

// saveRouter writes a router's changeable columns.
func saveRouter(tx *db.Tx, rt *router) error {
	_, err := tx.Exec(`UPDATE network_routers SET name = ?, description = ?, admin_state_up = ?, gw_port_id = ?, enable_snat = ?,
		distributed = ?, ha = ?, updated_at = ?, revision_number = ? WHERE id = ?`,
		rt.Name, rt.Std.Description, rt.AdminStateUp, nilIfEmpty(rt.GWPortID), rt.EnableSNAT, rt.Distributed, rt.HA,
		rt.Std.UpdatedAt, rt.Std.Revision, rt.ID)
	return err
}

// writeRoutes replaces a router's extra routes.
func writeRoutes(tx *db.Tx, rt *router) error {
	if _, err := tx.Exec(`DELETE FROM network_router_routes WHERE router_id = ?`, rt.ID); err != nil {
		return err
	}
	for _, r := range rt.Routes {
		if _, err := tx.Exec(`INSERT INTO network_router_routes (router_id, destination, nexthop) VALUES (?, ?, ?)`,
			rt.ID, r.Destination, r.Nexthop); err != nil {
			return err
		}
	}
	return nil
}

// routerPortIDs are the ids of a router's ports of type portType.
func routerPortIDs(tx *db.Tx, routerID, portType string) ([]string, error) {
	return scanRows(tx, `SELECT port_id FROM network_router_ports WHERE router_id = ? AND port_type = ? ORDER BY port_id`,
		[]any{routerID, portType}, func(sc interface{ Scan(...any) error }) (string, error) {
			var id string
			return id, sc.Scan(&id)
		})
}

// routerPorts are a router's ports of type portType with their addresses.
func routerPorts(tx *db.Tx, routerID, portType string) ([]*port, error) {
	return queryPorts(tx, "", `p.id IN (SELECT port_id FROM network_router_ports WHERE router_id = ? AND port_type = ?)`,
		routerID, portType)
}

// addRouterPort records that the router owns a port.
func addRouterPort(tx *db.Tx, routerID, portID, portType string) error {
	_, err := tx.Exec(`INSERT INTO network_router_ports (port_id, router_id, port_type) VALUES (?, ?, ?)`, portID, routerID, portType)
	return err
}

// checkServicePort is prevent_l3_port_deletion: a router's or floating
// IP's port goes only with its router interface, gateway or floating IP.
func checkServicePort(tx *db.Tx, p *port) error {
	var q string
	switch p.Owner {
	case ownerRouterInterface, ownerRouterGateway:
		q = `SELECT 1 FROM network_router_ports WHERE port_id = ?`
	case ownerFloatingIP:
		q = `SELECT 1 FROM network_floatingips WHERE floating_port_id = ?`
	default:
		return nil
	}
	owned, err := tx.Exists(q, p.ID)
	if err != nil || !owned {
		return err
	}
	return neutronerr.ServicePortInUse(p.ID, "has device owner "+p.Owner)
}
