package compute

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"net/netip"
	"sync"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// stubNetwork stands in for the network service until it exists: one
// network (by default "private", 10.0.0.0/24) whose id is derived from its
// name. Addresses are handed out lowest-free among live instances, so
// "auto" and networks: [{"uuid": …}] both work and servers show
// addresses. It is replaced when the network service lands.
type stubNetwork struct {
	mu       sync.Mutex
	name     string
	prefix   netip.Prefix
	db       *db.DB                       // set by bindStubNetwork; nil keeps allocations in memory only
	reserved map[string]map[string]string // ip → instance uuid, allocated but maybe not yet recorded
}

const (
	defaultStubNetworkName = "private"
	defaultStubNetworkCIDR = "10.0.0.0/24"
)

func newStubNetwork() Network {
	return &stubNetwork{name: defaultStubNetworkName, prefix: netip.MustParsePrefix(defaultStubNetworkCIDR),
		reserved: map[string]map[string]string{}}
}

// bindStubNetwork points the stub at the database (to see addresses live
// instances hold) and applies the configured name and CIDR.
func (s *Service) bindStubNetwork() {
	sn, ok := s.opts.Network.(*stubNetwork)
	if !ok {
		return
	}
	sn.mu.Lock()
	defer sn.mu.Unlock()
	sn.db = s.db
	if s.opts.StubNetworkName != "" {
		sn.name = s.opts.StubNetworkName
	}
	if p, err := netip.ParsePrefix(s.opts.StubNetworkCIDR); err == nil && p.Addr().Is4() {
		sn.prefix = p.Masked()
	}
}

// id is the network's uuid, derived from its name (a name-based UUID).
func (n *stubNetwork) id() string { return nameUUID("network:" + n.name) }

// nameUUID is a version-5 style UUID from a name.
func nameUUID(name string) string {
	h := sha1.Sum([]byte("monostack-stubnet:" + name))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func (n *stubNetwork) Validate(_ context.Context, _ string, reqs []NetworkRequest) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range reqs {
		if r.PortID != "" {
			return errs.BadRequestf("Port id %s could not be found.", r.PortID)
		}
		if r.NetworkID != n.id() {
			return errs.BadRequestf("Network %s could not be found.", r.NetworkID)
		}
		if r.FixedIP != "" {
			ip, err := netip.ParseAddr(r.FixedIP)
			if err != nil || !n.prefix.Contains(ip) {
				return errs.BadRequestf("Fixed IP address %s is not valid on network %s.", r.FixedIP, r.NetworkID)
			}
		}
	}
	return nil
}

func (n *stubNetwork) Networks(context.Context, string) ([]NetworkInfo, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return []NetworkInfo{{ID: n.id(), Name: n.name, Label: n.name, CIDR: n.prefix.String()}}, nil
}

// Allocate gives the instance one NIC per requested network (one on the
// stub network for "auto").
func (n *stubNetwork) Allocate(ctx context.Context, inst InstanceRef, reqs []NetworkRequest) ([]computerpc.NIC, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(reqs) == 0 {
		reqs = []NetworkRequest{{NetworkID: n.id()}}
	}
	used, err := n.usedIPs(ctx, inst.UUID)
	if err != nil {
		return nil, err
	}
	var nics []computerpc.NIC
	for idx, r := range reqs {
		ip := r.FixedIP
		if ip == "" {
			if ip = n.freeIP(used); ip == "" {
				return nil, errs.Conflictf("No more IP addresses available on network %s.", n.id())
			}
		} else if owner, taken := used[ip]; taken && owner != inst.UUID {
			return nil, errs.Conflictf("Fixed IP address %s is already in use on instance %s.", ip, owner)
		}
		used[ip] = inst.UUID
		n.reserve(inst.UUID, ip)
		port := nameUUID(fmt.Sprintf("port:%s:%d", inst.UUID, idx))
		nics = append(nics, computerpc.NIC{PortID: port, NetworkID: n.id(), MAC: macOf(port), IPs: []string{ip}, MTU: 1500})
	}
	return nics, nil
}

func (n *stubNetwork) reserve(uuid, ip string) {
	if n.reserved[uuid] == nil {
		n.reserved[uuid] = map[string]string{}
	}
	n.reserved[uuid][ip] = uuid
}

// Refresh has nothing newer than what the instance holds.
func (n *stubNetwork) Refresh(_ context.Context, inst InstanceRef) ([]computerpc.NIC, error) {
	return inst.NICs, nil
}

func (n *stubNetwork) Deallocate(_ context.Context, inst InstanceRef) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.reserved, inst.UUID)
	return nil
}

// usedIPs are the addresses live instances other than self hold, plus
// those handed out and not yet released.
func (n *stubNetwork) usedIPs(ctx context.Context, self string) (map[string]string, error) {
	used := map[string]string{}
	for uuid, ips := range n.reserved {
		for ip := range ips {
			used[ip] = uuid
		}
	}
	if n.db == nil {
		return used, nil
	}
	err := n.db.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(`SELECT uuid, network_info FROM compute_instances WHERE deleted = FALSE AND network_info <> '[]'`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var uuid, raw string
			var nics []computerpc.NIC
			if err := rows.Scan(&uuid, &raw); err != nil {
				return err
			}
			if uuid == self || json.Unmarshal([]byte(raw), &nics) != nil {
				continue
			}
			for _, nic := range nics {
				for _, ip := range nic.IPs {
					used[ip] = uuid
				}
			}
		}
		return rows.Err()
	})
	return used, err
}

// freeIP is the lowest host address of the prefix not in used, skipping
// the network address and the gateway (.1).
func (n *stubNetwork) freeIP(used map[string]string) string {
	addr := n.prefix.Addr().Next().Next()
	for n.prefix.Contains(addr) {
		next := addr.Next()
		if !n.prefix.Contains(next) {
			return "" // addr is the broadcast address
		}
		if _, taken := used[addr.String()]; !taken {
			return addr.String()
		}
		addr = next
	}
	return ""
}

// macOf is a stable fa:16:3e MAC (OpenStack's prefix) for a port.
func macOf(port string) string {
	h := sha1.Sum([]byte(port))
	return fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", h[0], h[1], h[2])
}
