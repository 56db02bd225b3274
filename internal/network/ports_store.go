package network

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"net/netip"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// port is a stored port with its addresses and lists.
type port struct {
	ID, ProjectID, NetworkID, Name string
	MAC, Status, DeviceID, Owner   string
	AdminStateUp, PortSecurity     bool
	Host, VNICType, VIFType        string
	VIFDetails, Profile            map[string]any
	DNSName                        string
	FixedIPs                       []fixedIP
	SecurityGroups                 []string
	Pairs                          []addressPair
	DHCPOpts                       []dhcpOpt
	NetworkProject                 string
	Trunk                          *trunkOfPort // the trunk it is the parent of
	QoSPolicyID                    string
	QoSNetworkPolicyID             string
	Std                            StdAttrs
}

type fixedIP struct {
	SubnetID string
	IP       netip.Addr
}

type addressPair struct{ IP, MAC string }

type dhcpOpt struct {
	Name, Value string
	IPVersion   int
}

const portCols = `p.id, p.project_id, p.network_id, p.name, p.description, p.mac_address, p.admin_state_up, p.status,
	p.device_id, p.device_owner, p.port_security_enabled, p.binding_host_id, p.binding_vnic_type, p.binding_vif_type,
	p.binding_vif_details, p.binding_profile, p.dns_name, p.created_at, p.updated_at, p.revision_number, n.project_id`

func scanPort(sc interface{ Scan(...any) error }) (*port, error) {
	p := &port{}
	var details, profile string
	err := sc.Scan(&p.ID, &p.ProjectID, &p.NetworkID, &p.Name, &p.Std.Description, &p.MAC, &p.AdminStateUp, &p.Status,
		&p.DeviceID, &p.Owner, &p.PortSecurity, &p.Host, &p.VNICType, &p.VIFType, &details, &profile, &p.DNSName,
		&p.Std.CreatedAt, &p.Std.UpdatedAt, &p.Std.Revision, &p.NetworkProject)
	if err != nil {
		return nil, err
	}
	if err := unmarshalObject(details, &p.VIFDetails); err != nil {
		return nil, err
	}
	return p, unmarshalObject(profile, &p.Profile)
}

// unmarshalObject decodes a stored JSON object; the common "{}" is an
// empty map without the decoder.
func unmarshalObject(s string, dst *map[string]any) error {
	if s == "{}" {
		*dst = map[string]any{}
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}

// portVisibleClause limits ports to the caller's own and those on
// networks it owns (admin_owner_or_network_owner).
func portVisibleClause(project string) (string, []any) {
	if project == "" {
		return "", nil
	}
	return ` AND (p.project_id = ? OR n.project_id = ?)`, []any{project, project}
}

// queryPorts reads ports matching cond, visible to project ("" all).
func queryPorts(tx *db.Tx, project, cond string, args ...any) ([]*port, error) {
	vis, vargs := portVisibleClause(project)
	from := ` FROM network_ports p JOIN network_networks n ON n.id = p.network_id WHERE ` + cond + vis
	args = append(args, vargs...)
	out, err := scanRows(tx, `SELECT `+portCols+from+` ORDER BY p.created_at, p.id`, args, scanPort)
	if err != nil {
		return nil, err
	}
	return out, fillPorts(tx, out, portSelector{in: ` IN (SELECT p.id` + from + `)`, args: args})
}

// portSelector picks the ports whose lists are read: " IN (…)" and its
// arguments. Few ports are named one by one; many by the query that found
// them, which spares SQLite preparing dozens of 500-item IN lists.
type portSelector struct {
	in   string
	args []any
	// all: the ports are most of those stored, and whole tables are read
	// (rows of other ports are skipped) instead of matching ids.
	all bool
}

// where is the condition on col picking the selected ports: " WHERE col
// IN (…)", or "" for all, with its arguments.
func (s portSelector) where(col string) (string, []any) {
	if s.all {
		return "", nil
	}
	return " WHERE " + col + s.in, s.args
}

// portSelectorFor is the selector of ports: query when there are many.
func portSelectorFor(ids []string, query portSelector) portSelector {
	if len(ids) > 500 && query.in != "" {
		return query
	}
	in, args := inClause(ids)
	return portSelector{in: in, args: args}
}

// getPort reads one port visible to project.
func getPort(tx *db.Tx, id, project string) (*port, error) {
	list, err := queryPorts(tx, project, `p.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.PortNotFound(id)
	}
	return list[0], nil
}

// fillPorts loads the addresses, groups, pairs, options and tags of
// ports, which query (a selector of exactly them, or none) found.
func fillPorts(tx *db.Tx, ports []*port, query portSelector) error {
	if len(ports) == 0 {
		return nil
	}
	byID := map[string]*port{}
	ids := make([]string, len(ports))
	for i, p := range ports {
		byID[p.ID], ids[i] = p, p.ID
	}
	if len(ids) > 500 && query.in != "" {
		sel, err := manyPortsSelector(tx, len(ids), query)
		if err != nil {
			return err
		}
		if err := fillPortLists(tx, byID, ids, sel); err != nil {
			return err
		}
		return fillPortQoS(tx, ports, sel.all)
	}
	for _, chunk := range chunks(ids, 500) {
		if err := fillPortLists(tx, byID, chunk, portSelectorFor(chunk, query)); err != nil {
			return err
		}
	}
	return fillPortQoS(tx, ports, false)
}

// manyPortsSelector is query, or reading whole tables when the n ports
// are at least half of those stored: one scan instead of a lookup per id.
func manyPortsSelector(tx *db.Tx, n int, query portSelector) (portSelector, error) {
	var total int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM network_ports`).Scan(&total); err != nil {
		return query, err
	}
	if 2*n >= total {
		return portSelector{all: true}, nil
	}
	return query, nil
}

// fillPortLists reads the lists of the ports sel picks, ids: addresses,
// security groups, address pairs, DHCP options and tags in one statement
// (statements, not rows, are most of the cost for a few ports), then the
// trunks.
func fillPortLists(tx *db.Tx, byID map[string]*port, ids []string, sel portSelector) error {
	where, selArgs := sel.where("port_id")
	tagWhere := " WHERE resource_type = ?"
	if !sel.all {
		tagWhere += " AND resource_id" + sel.in
	}
	args := make([]any, 0, 5*len(selArgs)+1)
	for range 4 {
		args = append(args, selArgs...)
	}
	args = append(append(args, "ports"), selArgs...)
	err := eachRow(tx, `SELECT 1, port_id, subnet_id, ip_address, CAST(NULL AS INTEGER) FROM network_ip_allocations`+where+`
		UNION ALL SELECT 2, port_id, security_group_id, NULL, NULL FROM network_port_security_groups`+where+`
		UNION ALL SELECT 3, port_id, ip_address, mac_address, NULL FROM network_allowed_address_pairs`+where+`
		UNION ALL SELECT 4, port_id, opt_name, opt_value, ip_version FROM network_extra_dhcp_opts`+where+`
		UNION ALL SELECT 5, resource_id, tag, NULL, NULL FROM network_tags`+tagWhere,
		args, func(sc func(...any) error) error {
			var kind int
			var id string
			var a, b sql.NullString
			var n sql.NullInt64
			if err := sc(&kind, &id, &a, &b, &n); err != nil {
				return err
			}
			if p := byID[id]; p != nil {
				addPortListRow(p, kind, a.String, b.String, int(n.Int64))
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, id := range ids {
		sortPortLists(byID[id])
	}
	return fillTrunkDetails(tx, byID, sel)
}

// addPortListRow files one row of fillPortLists' statement under p.
func addPortListRow(p *port, kind int, a, b string, n int) {
	switch kind {
	case 1:
		p.FixedIPs = append(p.FixedIPs, fixedIP{a, netip.MustParseAddr(b)})
	case 2:
		p.SecurityGroups = append(p.SecurityGroups, a)
	case 3:
		p.Pairs = append(p.Pairs, addressPair{IP: a, MAC: b})
	case 4:
		p.DHCPOpts = append(p.DHCPOpts, dhcpOpt{Name: a, Value: b, IPVersion: n})
	case 5:
		p.Std.Tags = append(p.Std.Tags, a)
	}
}

// sortPortLists puts a port's lists in the order the API shows them.
func sortPortLists(p *port) {
	sortFixedIPs(p.FixedIPs)
	slices.Sort(p.SecurityGroups)
	slices.Sort(p.Std.Tags)
	slices.SortFunc(p.Pairs, func(x, y addressPair) int {
		return cmp.Or(cmp.Compare(x.IP, y.IP), cmp.Compare(x.MAC, y.MAC))
	})
	slices.SortFunc(p.DHCPOpts, func(x, y dhcpOpt) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.IPVersion, y.IPVersion))
	})
}

// chunks splits ids so IN lists stay within the engines' parameter limits.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out, ids = append(out, ids[:n]), ids[n:]
	}
	return append(out, ids)
}

// insertPort stores a new port row and its lists.
func insertPort(tx *db.Tx, p *port) error {
	details, _ := json.Marshal(orEmptyMap(p.VIFDetails))
	profile, _ := json.Marshal(orEmptyMap(p.Profile))
	if _, err := tx.Exec(`INSERT INTO network_ports (id, project_id, network_id, name, description, mac_address,
		admin_state_up, status, device_id, device_owner, port_security_enabled, binding_host_id, binding_vnic_type,
		binding_vif_type, binding_vif_details, binding_profile, dns_name, created_at, updated_at, revision_number)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ProjectID, p.NetworkID, p.Name, p.Std.Description, p.MAC, p.AdminStateUp, p.Status, p.DeviceID, p.Owner,
		p.PortSecurity, p.Host, p.VNICType, p.VIFType, string(details), string(profile), p.DNSName,
		p.Std.CreatedAt, p.Std.UpdatedAt, p.Std.Revision); err != nil {
		return err
	}
	return writePortLists(tx, p)
}

// savePort writes a port's mutable columns and replaces its lists; the
// addresses are written by the allocator.
func savePort(tx *db.Tx, p *port) error {
	details, _ := json.Marshal(orEmptyMap(p.VIFDetails))
	profile, _ := json.Marshal(orEmptyMap(p.Profile))
	if _, err := tx.Exec(`UPDATE network_ports SET name = ?, description = ?, mac_address = ?, admin_state_up = ?,
		status = ?, device_id = ?, device_owner = ?, port_security_enabled = ?, binding_host_id = ?,
		binding_vnic_type = ?, binding_vif_type = ?, binding_vif_details = ?, binding_profile = ?, dns_name = ?,
		updated_at = ?, revision_number = ? WHERE id = ?`,
		p.Name, p.Std.Description, p.MAC, p.AdminStateUp, p.Status, p.DeviceID, p.Owner, p.PortSecurity, p.Host,
		p.VNICType, p.VIFType, string(details), string(profile), p.DNSName, p.Std.UpdatedAt, p.Std.Revision, p.ID); err != nil {
		return err
	}
	if err := followParent(tx, p.ID, p.Host, p.Status, p.Std.UpdatedAt); err != nil {
		return err
	}
	for _, t := range []string{"network_port_security_groups", "network_allowed_address_pairs", "network_extra_dhcp_opts"} {
		if _, err := tx.Exec(`DELETE FROM `+t+` WHERE port_id = ?`, p.ID); err != nil {
			return err
		}
	}
	return writePortLists(tx, p)
}

func writePortLists(tx *db.Tx, p *port) error {
	for _, sg := range p.SecurityGroups {
		if _, err := tx.Exec(`INSERT INTO network_port_security_groups (port_id, security_group_id) VALUES (?, ?)`, p.ID, sg); err != nil {
			return err
		}
	}
	for _, ap := range p.Pairs {
		if _, err := tx.Exec(`INSERT INTO network_allowed_address_pairs (port_id, ip_address, mac_address) VALUES (?, ?, ?)`, p.ID, ap.IP, ap.MAC); err != nil {
			return err
		}
	}
	for _, o := range p.DHCPOpts {
		if _, err := tx.Exec(`INSERT INTO network_extra_dhcp_opts (port_id, opt_name, opt_value, ip_version) VALUES (?, ?, ?, ?)`,
			p.ID, o.Name, o.Value, o.IPVersion); err != nil {
			return err
		}
	}
	return nil
}

// writeFixedIPs replaces a port's addresses.
func writeFixedIPs(tx *db.Tx, p *port) error {
	if _, err := tx.Exec(`DELETE FROM network_ip_allocations WHERE port_id = ?`, p.ID); err != nil {
		return err
	}
	return insertFixedIPs(tx, p)
}

// insertFixedIPs stores the addresses of a port that has none stored.
func insertFixedIPs(tx *db.Tx, p *port) error {
	for _, f := range p.FixedIPs {
		if _, err := tx.Exec(`INSERT INTO network_ip_allocations (subnet_id, ip_address, port_id, network_id) VALUES (?, ?, ?, ?)`,
			f.SubnetID, f.IP.String(), p.ID, p.NetworkID); err != nil {
			return err
		}
	}
	return nil
}

// deletePortRow removes a port; its lists and addresses cascade.
func deletePortRow(tx *db.Tx, id string) error {
	if err := deleteTags(tx, "ports", id); err != nil {
		return err
	}
	_, err := tx.Exec(`DELETE FROM network_ports WHERE id = ?`, id)
	return err
}

func orEmptyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
