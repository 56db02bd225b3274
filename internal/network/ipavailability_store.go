package network

import (
	"encoding/json"
	"math/big"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
)

// The IP availability figures are two aggregate queries, whatever the
// number of ports: used addresses counted per subnet in SQL, and the
// allocation pools (or, without pools, the CIDR) summed per subnet.

// subnetAvail is one subnet's row of the used-addresses query.
type subnetAvail struct {
	NetID, NetName, Project string
	SubID, SubName, CIDR    *string
	IPVersion               *int64
	Used                    int64
}

// queryIPAvailabilities gives each network matching where (over n, the
// networks, and s, their subnets) with its subnets' figures, as the API
// shows it (with "id", the network's, for paging).
func queryIPAvailabilities(tx *db.Tx, where string, args []any) ([]map[string]any, error) {
	totals, err := subnetTotals(tx, where, args)
	if err != nil {
		return nil, err
	}
	rows, err := scanRows(tx, `SELECT n.id, n.name, n.project_id, s.id, s.name, s.cidr, s.ip_version, COUNT(a.ip_address)
		FROM network_networks n LEFT JOIN network_subnets s ON s.network_id = n.id
		LEFT JOIN network_ip_allocations a ON a.subnet_id = s.id WHERE `+where+`
		GROUP BY n.created_at, n.id, n.name, n.project_id, s.created_at, s.id, s.name, s.cidr, s.ip_version
		ORDER BY n.created_at, n.id, s.created_at, s.id`, args, func(sc interface{ Scan(...any) error }) (subnetAvail, error) {
		var a subnetAvail
		err := sc.Scan(&a.NetID, &a.NetName, &a.Project, &a.SubID, &a.SubName, &a.CIDR, &a.IPVersion, &a.Used)
		return a, err
	})
	if err != nil {
		return nil, err
	}
	return availabilityDicts(rows, totals), nil
}

// availabilityDicts folds subnet rows into one dict per network.
func availabilityDicts(rows []subnetAvail, totals map[string]*big.Int) []map[string]any {
	var out []map[string]any
	var net map[string]any
	var total, used *big.Int
	for _, a := range rows {
		if net == nil || net["network_id"] != a.NetID {
			total, used = new(big.Int), new(big.Int)
			net = map[string]any{"id": a.NetID, "network_id": a.NetID, "network_name": a.NetName, "tenant_id": a.Project,
				"project_id": a.Project, "subnet_ip_availability": []map[string]any{}, "total_ips": json.Number("0"), "used_ips": json.Number("0")}
			out = append(out, net)
		}
		if a.SubID == nil {
			continue
		}
		subTotal := totals[*a.SubID]
		if subTotal == nil {
			subTotal = new(big.Int)
		}
		net["subnet_ip_availability"] = append(net["subnet_ip_availability"].([]map[string]any), map[string]any{
			"subnet_id": *a.SubID, "subnet_name": *a.SubName, "cidr": *a.CIDR, "ip_version": *a.IPVersion,
			"used_ips": a.Used, "total_ips": json.Number(subTotal.String())})
		total.Add(total, subTotal)
		used.Add(used, big.NewInt(a.Used))
		net["total_ips"], net["used_ips"] = json.Number(total.String()), json.Number(used.String())
	}
	return out
}

// subnetTotals sums each matching subnet's allocation pools; a subnet
// without pools counts its whole CIDR.
func subnetTotals(tx *db.Tx, where string, args []any) (map[string]*big.Int, error) {
	out := map[string]*big.Int{}
	err := eachRow(tx, `SELECT s.id, s.cidr, p.first_ip, p.last_ip FROM network_networks n
		JOIN network_subnets s ON s.network_id = n.id
		LEFT JOIN network_subnet_allocation_pools p ON p.subnet_id = s.id WHERE `+where, args,
		func(scan func(...any) error) error {
			var id, cidr string
			var first, last *string
			if err := scan(&id, &cidr, &first, &last); err != nil {
				return err
			}
			if out[id] == nil {
				out[id] = new(big.Int)
			}
			out[id].Add(out[id], poolSize(cidr, first, last))
			return nil
		})
	return out, err
}

// poolSize is the size of the range first..last, or of cidr without one.
func poolSize(cidr string, first, last *string) *big.Int {
	if first == nil || last == nil {
		p, err := netip.ParsePrefix(cidr)
		if err != nil {
			return new(big.Int)
		}
		return new(big.Int).Lsh(big.NewInt(1), uint(p.Addr().BitLen()-p.Bits()))
	}
	a, errA := netip.ParseAddr(*first)
	b, errB := netip.ParseAddr(*last)
	if errA != nil || errB != nil {
		return new(big.Int)
	}
	n := new(big.Int).Sub(new(big.Int).SetBytes(b.AsSlice()), new(big.Int).SetBytes(a.AsSlice()))
	return n.Add(n, big.NewInt(1))
}
