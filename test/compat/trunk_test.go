package compat

import (
	"fmt"
	"testing"
)

// TestTrunksAndIPAvailabilityCLI drives trunks, subports and IP
// availability with the real openstack CLI against `monostack up`.
func TestTrunksAndIPAvailabilityCLI(t *testing.T) {
	requireCLI(t)
	c := startCloud(t)
	admin := c.admin()
	c.ok(t, admin, "network", "create", "tnet")
	c.ok(t, admin, "subnet", "create", "--network", "tnet", "--subnet-range", "10.30.0.0/24", "tsub")
	for _, p := range []string{"parent", "child1", "child2"} {
		c.ok(t, admin, "port", "create", "--network", "tnet", p)
	}
	c.ok(t, admin, "network", "trunk", "create", "--parent-port", "parent",
		"--subport", "port=child1,segmentation-type=vlan,segmentation-id=100", "trunk1")
	c.ok(t, admin, "network", "trunk", "set", "--subport", "port=child2,segmentation-type=vlan,segmentation-id=200", "trunk1")
	var subports []map[string]any
	c.jsonOut(t, admin, &subports, "network", "subport", "list", "--trunk", "trunk1")
	if len(subports) != 2 || fmt.Sprint(subports[0]["Segmentation ID"]) != "100" {
		t.Fatalf("subport list: %v", subports)
	}
	c.ok(t, admin, "network", "trunk", "unset", "--subport", "child1", "trunk1")
	var trunk map[string]any
	c.jsonOut(t, admin, &trunk, "network", "trunk", "show", "trunk1")
	if trunk["status"] != "DOWN" || len(trunk["sub_ports"].([]any)) != 1 {
		t.Fatalf("trunk show: %v", trunk)
	}
	if _, _, err := c.run(t, admin, "port", "delete", "parent"); err == nil {
		t.Fatal("a trunk's parent port was deleted")
	}

	var avail []map[string]any
	c.jsonOut(t, admin, &avail, "ip", "availability", "list")
	found := false
	for _, a := range avail {
		if a["Network Name"] == "tnet" {
			found = fmt.Sprint(a["Total IPs"]) == "253" && fmt.Sprint(a["Used IPs"]) == "4"
		}
	}
	if !found {
		t.Fatalf("ip availability list: %v", avail)
	}
	var one map[string]any
	c.jsonOut(t, admin, &one, "ip", "availability", "show", "tnet")
	if fmt.Sprint(one["used_ips"]) != "4" || fmt.Sprint(one["total_ips"]) != "253" {
		t.Fatalf("ip availability show: %v", one)
	}
	c.ok(t, admin, "network", "trunk", "delete", "trunk1")
	c.ok(t, admin, "port", "delete", "parent")
}
