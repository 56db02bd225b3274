package compute

import (
	"context"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// RefreshNetworkInfo re-reads instances' ports from the network service
// into their network info (Nova's handling of network-changed). Unknown,
// deleted and still-building instances are skipped.
func (s *Service) RefreshNetworkInfo(ctx context.Context, uuids ...string) error {
	for _, uuid := range uuids {
		if err := s.refreshNetworkInfo(ctx, uuid); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) refreshNetworkInfo(ctx context.Context, uuid string) error {
	var inst *instance
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		inst, err = loadInstance(tx, uuid)
		return err
	})
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil || inst.Deleted || inst.VMState == vmBuilding || len(inst.NetworkInfo) == 0 {
		return err
	}
	fresh, err := s.opts.Network.Refresh(ctx, InstanceRef{UUID: inst.UUID, ProjectID: inst.ProjectID,
		UserID: inst.UserID, Host: deref(inst.Host), NICs: inst.NetworkInfo})
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadInstance(tx, uuid)
		if err != nil || cur.Deleted {
			return err
		}
		cur.NetworkInfo = mergeNICs(cur.NetworkInfo, fresh)
		return saveInstance(tx, cur, s.now().UnixMicro())
	})
}

// mergeNICs takes the addresses of fresh NICs into the held ones, keeping
// their order and flags; a port fresh does not know keeps what it had.
func mergeNICs(held, fresh []computerpc.NIC) []computerpc.NIC {
	byPort := make(map[string]computerpc.NIC, len(fresh))
	for _, n := range fresh {
		byPort[n.PortID] = n
	}
	out := make([]computerpc.NIC, len(held))
	for i, n := range held {
		if f, ok := byPort[n.PortID]; ok {
			n.IPs, n.FloatingIPs = f.IPs, f.FloatingIPs
		}
		out[i] = n
	}
	return out
}
