package network_test

import (
	"slices"
	"testing"

	"github.com/monostack/monostack/internal/network/rpc"
)

func TestAgentPortNotifications(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	p1, p2, netID := s.p1["id"].(string), s.p2["id"].(string), s.net["id"].(string)
	e.drain()

	// A wiring change of a bound port: port_update for its host, and the DHCP agent gets the port.
	got := e.ok(t, 200, "PUT", "/v2.0/ports/"+p1, e.admin, map[string]any{"port": map[string]any{"admin_state_up": false}})["port"].(map[string]any)
	rev := int64(got["revision_number"].(float64))
	expect(t, e, func(m rpc.PortUpdate) bool {
		return m == rpc.PortUpdate{PortID: p1, NetworkID: netID, Host: "host1", RevisionNumber: rev}
	})
	expect(t, e, func(m rpc.DHCPNotify) bool {
		return m.Event == rpc.DHCPPortUpdate && m.PortID == p1 && m.Port != nil && !m.Port.AdminStateUp && m.Port.RevisionNumber == rev
	})
	// A name is nothing an L2 agent wires.
	e.ok(t, 200, "PUT", "/v2.0/ports/"+p1, e.admin, map[string]any{"port": map[string]any{"name": "renamed"}})
	none(t, e, func(m rpc.PortUpdate) bool { return m.PortID == p1 })

	// Joining a group: its members changed, the port's other group's did not.
	db := e.ok(t, 201, "POST", "/v2.0/security-groups", e.member, map[string]any{"security_group": map[string]any{
		"name": "db"}})["security_group"].(map[string]any)["id"].(string)
	e.ok(t, 200, "PUT", "/v2.0/ports/"+p2, e.member, map[string]any{"port": map[string]any{
		"security_groups": []any{s.sg["id"], db}}})
	expect(t, e, func(m rpc.PortUpdate) bool { return m.PortID == p2 && m.Host == "host2" })
	expect(t, e, func(m rpc.SecurityGroupsMemberUpdated) bool { return slices.Equal(m.SecurityGroups, []string{db}) })

	// Rules of a group change.
	rule := e.ok(t, 201, "POST", "/v2.0/security-group-rules", e.member, map[string]any{"security_group_rule": map[string]any{
		"security_group_id": db, "direction": "ingress", "protocol": "tcp"}})["security_group_rule"].(map[string]any)
	expect(t, e, func(m rpc.SecurityGroupsRuleUpdated) bool { return slices.Equal(m.SecurityGroups, []string{db}) })
	e.ok(t, 204, "DELETE", "/v2.0/security-group-rules/"+rule["id"].(string), e.member, nil)
	expect(t, e, func(m rpc.SecurityGroupsRuleUpdated) bool { return slices.Equal(m.SecurityGroups, []string{db}) })

	// An address group's addresses are members of the rules naming it.
	e.ok(t, 200, "PUT", "/v2.0/address-groups/"+s.ag["id"].(string)+"/add_addresses", e.member, map[string]any{"addresses": []any{"203.0.113.0/24"}})
	expect(t, e, func(m rpc.SecurityGroupsMemberUpdated) bool {
		return slices.Equal(m.SecurityGroups, []string{s.ag["id"].(string)})
	})

	// An ACTIVE port on a tunnel goes away.
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+p2, e.admin, nil)
	expect(t, e, func(m rpc.PortDelete) bool { return m == rpc.PortDelete{PortID: p2, NetworkID: netID} })
	expect(t, e, func(m rpc.L2PopUpdate) bool { return slices.Equal(m.NetworkIDs, []string{netID}) })
	expect(t, e, func(m rpc.SecurityGroupsMemberUpdated) bool {
		return slices.Equal(m.SecurityGroups, sorted(db, s.sg["id"].(string)))
	})
	expect(t, e, func(m rpc.DHCPNotify) bool { return m.Event == rpc.DHCPPortDelete && m.PortID == p2 })
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

func TestAgentNetworkNotifications(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	netID := s.net["id"].(string)
	e.drain()
	e.ok(t, 200, "PUT", "/v2.0/networks/"+netID, e.member, map[string]any{"network": map[string]any{"admin_state_up": false}})
	expect(t, e, func(m rpc.NetworkUpdate) bool { return m.NetworkID == netID && m.RevisionNumber > 0 })
	expect(t, e, func(m rpc.DHCPNotify) bool { return m.Event == rpc.DHCPNetworkUpdate && m.NetworkID == netID })
	e.ok(t, 200, "PUT", "/v2.0/networks/"+netID, e.member, map[string]any{"network": map[string]any{"name": "x"}})
	none(t, e, func(m rpc.NetworkUpdate) bool { return m.NetworkID == netID })

	e.ok(t, 200, "PUT", "/v2.0/subnets/"+s.sub["id"].(string), e.member, map[string]any{"subnet": map[string]any{"name": "s"}})
	expect(t, e, func(m rpc.DHCPNotify) bool { return m.Event == rpc.DHCPSubnetUpdate && m.SubnetID == s.sub["id"] })

	// A port going DOWN on a tunnel changes the flooding lists.
	var reply rpc.UpdateDevicesReply
	e.call(t, rpc.SubjectUpdateDevices, rpc.UpdateDevices{Host: "host1", DevicesDown: []string{s.p1["id"].(string)}}, &reply)
	expect(t, e, func(m rpc.L2PopUpdate) bool { return slices.Equal(m.NetworkIDs, []string{netID}) })

	other := e.createNet(t, e.member, map[string]any{"name": "other"})["id"].(string)
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+other, e.member, nil)
	expect(t, e, func(m rpc.NetworkDelete) bool { return m.NetworkID == other })
	expect(t, e, func(m rpc.DHCPNotify) bool { return m.Event == rpc.DHCPNetworkDelete && m.NetworkID == other })
}

func TestAgentNoDHCPEventsWithoutDHCP(t *testing.T) {
	e := startAgentBus(t)
	n := e.createNet(t, e.member, map[string]any{"name": "n"})
	e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.7.0.0/24", "enable_dhcp": false})
	p := e.createPort(t, e.member, map[string]any{"network_id": n["id"]})
	none(t, e, func(m rpc.DHCPNotify) bool { return m.NetworkID == n["id"] })
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+p["id"].(string), e.member, nil)
	expect(t, e, func(m rpc.PortDelete) bool { return m.PortID == p["id"] })
}

// TestAgentNotificationLost: with the bus gone, API calls still succeed.
func TestAgentNotificationLost(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	e.svc.StopAgents()
	e.controller.Close()
	e.ok(t, 200, "PUT", "/v2.0/ports/"+s.p1["id"].(string), e.admin, map[string]any{"port": map[string]any{"admin_state_up": false}})
}
