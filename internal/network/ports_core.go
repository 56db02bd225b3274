package network

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// pickRand chooses among free addresses and makes MACs.
var pickRand ipam.Rand = rand.IntN

// macTries is how many random MACs a port tries (mac_generation_retries).
const macTries = 16

// lockNetwork takes the network's row lock so two processes sharing a
// PostgreSQL database pick MACs and addresses on it one at a time
// (SQLite has a single writer already).
func lockNetwork(tx *db.Tx, id string) error {
	if tx.Dialect() == db.SQLite {
		return nil // SQLite has one writer: the transaction holds the database
	}
	_, err := tx.Exec(`UPDATE network_networks SET revision_number = revision_number WHERE id = ?`, id)
	return err
}

// newPort stores a port built by the caller: a MAC (generated when p.MAC
// is ""), addresses from fixed (nil: not given), binding, then the row.
func (s *Service) newPort(tx *db.Tx, n *network, p *port, fixed []ipam.FixedIPRequest) (*ml2.Change, error) {
	if err := lockNetwork(tx, n.ID); err != nil {
		return nil, err
	}
	if err := s.assignMAC(tx, n.ID, p); err != nil {
		return nil, err
	}
	fillPairMACs(p)
	if err := s.allocateIPs(tx, n, p, fixed, nil); err != nil {
		return nil, err
	}
	if err := checkPortSecurity(p); err != nil {
		return nil, err
	}
	s.bind(p, n)
	if err := insertPort(tx, p); err != nil {
		return nil, err
	}
	if err := insertFixedIPs(tx, p); err != nil {
		return nil, err
	}
	c := &ml2.Change{Op: ml2.OpCreate, Kind: ml2.KindPort, Current: portDict(p), Segments: n.Segments}
	return c, s.mechs.Precommit(tx, c)
}

// assignMAC checks a requested MAC or draws a free fa:16:3e one.
func (s *Service) assignMAC(tx *db.Tx, netID string, p *port) error {
	if p.MAC != "" {
		p.MAC = strings.ToLower(p.MAC)
		if used, err := macInUse(tx, netID, p.MAC, p.ID); err != nil || used {
			if err == nil {
				err = neutronerr.MacAddressInUse(netID, p.MAC)
			}
			return err
		}
		return nil
	}
	for range macTries {
		mac := fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", pickRand(256), pickRand(256), pickRand(256))
		used, err := macInUse(tx, netID, mac, p.ID)
		if err != nil {
			return err
		}
		if !used {
			p.MAC = mac
			return nil
		}
	}
	return neutronerr.MacGenerationFailure(netID)
}

func macInUse(tx *db.Tx, netID, mac, self string) (bool, error) {
	return tx.Exists(`SELECT 1 FROM network_ports WHERE network_id = ? AND mac_address = ? AND id <> ?`, netID, mac, self)
}

// allocateIPs gives p addresses for fixed (nil: the defaults); keep are
// the port's current addresses an update may carry over.
func (s *Service) allocateIPs(tx *db.Tx, n *network, p *port, fixed []ipam.FixedIPRequest, keep []fixedIP) error {
	subs, err := ipamSubnetRows(tx, n.ID)
	if err != nil {
		return err
	}
	candidates := subnetsForOwner(subs, p.Owner)
	states := map[string]*ipam.SubnetState{}
	list := make([]ipam.Subnet, len(candidates))
	for i, sub := range candidates {
		list[i] = sub.ipamSubnet()
		used, err := usedAddresses(tx, sub.ID, p.ID)
		if err != nil {
			return err
		}
		states[sub.ID] = &ipam.SubnetState{Subnet: list[i], Used: used}
	}
	lookup := func(id string) error {
		if ok, err := tx.Exists(`SELECT 1 FROM network_subnets WHERE id = ?`, id); err != nil || !ok {
			if err == nil {
				err = neutronerr.SubnetNotFound(id)
			}
			return err
		}
		return nil
	}
	// Addresses on automatic subnets are not asked for: the EUI-64 pass
	// gives them again (asking would be a refused direct assignment).
	keep = slices.DeleteFunc(slices.Clone(keep), func(f fixedIP) bool {
		st := states[f.SubnetID]
		return st != nil && ipam.IsAutoAddress(st.Subnet.RAMode, st.Subnet.AddressMode)
	})
	reqs, err := ipam.PlanPortIPs(n.ID, list, keepAddresses(fixed, keep), p.Owner, p.MAC, lookup)
	if err != nil {
		return err
	}
	allocs, err := ipam.AllocatePort(n.ID, reqs, states, p.Owner, pickRand)
	if err != nil {
		return err
	}
	p.FixedIPs = make([]fixedIP, len(allocs))
	for i, a := range allocs {
		p.FixedIPs[i] = fixedIP{a.SubnetID, a.IP}
	}
	sortFixedIPs(p.FixedIPs)
	return nil
}

// keepAddresses turns subnet-only requests into requests for the address
// the port already has there, as an update keeps unchanged addresses.
func keepAddresses(fixed []ipam.FixedIPRequest, keep []fixedIP) []ipam.FixedIPRequest {
	if fixed == nil || len(keep) == 0 {
		return fixed
	}
	out := slices.Clone(fixed)
	taken := map[netip.Addr]bool{}
	for _, f := range out {
		if a, ok := ipam.ParseAddr(f.IPAddress); ok {
			taken[a] = true
		}
	}
	for i, f := range out {
		if f.IPAddress != "" {
			continue
		}
		for _, k := range keep {
			if k.SubnetID == f.SubnetID && !taken[k.IP] {
				out[i].IPAddress, taken[k.IP] = k.IP.String(), true
				break
			}
		}
	}
	return out
}

// subnetsForOwner applies subnet service types: subnets typed for the
// owner if any, else the untyped ones.
func subnetsForOwner(subs []*subnet, owner string) []*subnet {
	var typed, untyped []*subnet
	for _, s := range subs {
		switch {
		case len(s.ServiceTypes) == 0:
			untyped = append(untyped, s)
		case slices.Contains(s.ServiceTypes, owner):
			typed = append(typed, s)
		}
	}
	if len(typed) > 0 {
		return append(typed, untyped...)
	}
	return untyped
}

// usedAddresses are a subnet's allocated addresses but those of port self.
func usedAddresses(tx *db.Tx, subnetID, self string) ([]netip.Addr, error) {
	var out []netip.Addr
	err := eachRow(tx, `SELECT ip_address FROM network_ip_allocations WHERE subnet_id = ? AND port_id <> ?`, []any{subnetID, self},
		func(sc func(...any) error) error {
			var ip string
			if err := sc(&ip); err != nil {
				return err
			}
			out = append(out, netip.MustParseAddr(ip))
			return nil
		})
	return out, err
}

func sortFixedIPs(f []fixedIP) {
	slices.SortStableFunc(f, func(a, b fixedIP) int {
		if a.IP.Is4() != b.IP.Is4() {
			if a.IP.Is4() {
				return -1
			}
			return 1
		}
		return 0
	})
}

// checkPortSecurity refuses security groups or address pairs on a port
// without port security.
func checkPortSecurity(p *port) error {
	if p.PortSecurity {
		return nil
	}
	if len(p.SecurityGroups) > 0 {
		return neutronerr.PortSecurityAndIPRequired()
	}
	if len(p.Pairs) > 0 {
		return neutronerr.New("AddressPairAndPortSecurityRequired", "Port Security must be enabled in order to have allowed address pairs on a port.")
	}
	return nil
}

// bind binds a port with a host through the mechanism drivers.
func (s *Service) bind(p *port, n *network) {
	if p.Host == "" {
		p.VIFType, p.VIFDetails = "unbound", map[string]any{}
		return
	}
	b, ok := s.mechs.Bind(p.Host, p.VNICType, portDict(p), n.Segments)
	if !ok {
		p.VIFType, p.VIFDetails = "binding_failed", map[string]any{}
		return
	}
	p.VIFType, p.VIFDetails = b.VIFType, b.VIFDetails
}

// removePort deletes a port with its floating IP associations and port
// forwardings, and tells the mechanism drivers.
func (s *Service) removePort(tx *db.Tx, p *port, segs []ml2.Segment) (*ml2.Change, error) {
	if err := checkPortDeletable(tx, p.ID); err != nil {
		return nil, err
	}
	c := &ml2.Change{Op: ml2.OpDelete, Kind: ml2.KindPort, Current: portDict(p), Segments: segs}
	if err := s.mechs.Precommit(tx, c); err != nil {
		return nil, err
	}
	routers, err := portL3Routers(tx, p.ID)
	if err != nil {
		return nil, err
	}
	c.Routers = routers
	if err := disassociatePortFloatingIPs(tx, p.ID, micros(s.now())); err != nil {
		return nil, err
	}
	if err := prunePortForwardings(tx, p.ID, nil, micros(s.now())); err != nil {
		return nil, err
	}
	return c, deletePortRow(tx, p.ID)
}
