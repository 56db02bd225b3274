package network

import (
	"context"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) updatePort(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("port_id")
	items, _, err := s.decodeBody(r, portResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var p *port
	var change *ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		var err error
		if p, err = s.authorizedPort(r, tx, id, "update_port", item); err != nil {
			return err
		}
		if err := checkRevision(r, p.Std.Revision); err != nil {
			return err
		}
		if change, err = s.changePort(tx, p, item); err != nil {
			return err
		}
		return s.bindPortQoS(r, tx, p, item, false)
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), []*ml2.Change{change})
	s.activateBound(r.Context(), []*port{p})
	m, _ := s.portView(r, p)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"port": m})
}

// changePort applies an update body to p and stores it.
func (s *Service) changePort(tx *db.Tx, p *port, item map[string]any) (*ml2.Change, error) {
	n, err := portNetwork(tx, p.NetworkID, "")
	if err != nil {
		return nil, err
	}
	original := portDict(p)
	oldHost, oldMAC := p.Host, p.MAC
	applyPortItem(p, item)
	if p.MAC != oldMAC {
		if err := s.assignMAC(tx, n.ID, p); err != nil {
			return nil, err
		}
	}
	if v, ok := item["security_groups"]; ok {
		p.SecurityGroups = stringsOf(v)
		if err := s.checkPortGroups(tx, p); err != nil {
			return nil, err
		}
	}
	if _, ok := item["port_security_enabled"]; ok && !p.PortSecurity && len(p.SecurityGroups) > 0 {
		if _, cleared := item["security_groups"]; !cleared {
			return nil, neutronerr.PortSecurityPortHasSecurityGroup()
		}
	}
	fillPairMACs(p)
	if err := checkPortSecurity(p); err != nil {
		return nil, err
	}
	if fixed := fixedRequests(item); fixed != nil {
		if err := lockNetwork(tx, n.ID); err != nil {
			return nil, err
		}
		if err := s.allocateIPs(tx, n, p, fixed, p.FixedIPs); err != nil {
			return nil, err
		}
		if err := writeFixedIPs(tx, p); err != nil {
			return nil, err
		}
		if err := prunePortForwardings(tx, p.ID, p.FixedIPs, micros(s.now())); err != nil {
			return nil, err
		}
	}
	if p.Host != oldHost || item[bindVNIC] != nil || item[bindProfile] != nil {
		s.bind(p, n)
		if p.Host == "" {
			p.Status = "DOWN"
		}
	}
	return s.storePortUpdate(tx, p, n, original)
}

// storePortUpdate stores a changed port (original: its dict before) and
// runs the ML2 precommit of the update.
func (s *Service) storePortUpdate(tx *db.Tx, p *port, n *network, original map[string]any) (*ml2.Change, error) {
	p.Std.Revision++
	p.Std.UpdatedAt = micros(s.now())
	if err := savePort(tx, p); err != nil {
		return nil, err
	}
	c := &ml2.Change{Op: ml2.OpUpdate, Kind: ml2.KindPort, Current: portDict(p), Original: original, Segments: n.Segments}
	return c, s.mechs.Precommit(tx, c)
}

// rebindPort gives p a device id and binds it to host (an agent taking a
// port the controller made), stores it and runs the ML2 precommit.
func (s *Service) rebindPort(tx *db.Tx, p *port, deviceID, host string) (*ml2.Change, error) {
	n, err := portNetwork(tx, p.NetworkID, "")
	if err != nil {
		return nil, err
	}
	original := portDict(p)
	p.DeviceID, p.Host = deviceID, host
	s.bind(p, n)
	return s.storePortUpdate(tx, p, n, original)
}

// rebound are the ports agents took in one transaction (rebindPort), to
// announce and activate once it committed.
type rebound struct {
	ports   []*port
	changes []*ml2.Change
}

// add records a rebound port; a nil change (nothing done) is skipped.
func (b *rebound) add(p *port, c *ml2.Change) {
	if c != nil {
		b.ports, b.changes = append(b.ports, p), append(b.changes, c)
	}
}

// announce runs postcommit for rebound ports, then activates them.
func (s *Service) announce(ctx context.Context, b rebound) {
	s.postcommit(ctx, b.changes)
	s.activateBound(ctx, b.ports)
}

// authorizedPort reads a port for an update or delete and enforces
// action; a caller that may not see it gets PortNotFound.
func (s *Service) authorizedPort(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*port, error) {
	p, err := getPort(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	var attrs []string
	if item != nil {
		attrs = portPolicyAttrsOf(item, false)
	}
	if err := s.enforceVisible(r, action, portTarget(p, item), attrs, "get_port", portTarget(p, nil), neutronerr.PortNotFound(id)); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Service) deletePort(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("port_id")
	var change *ml2.Change
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := s.authorizedPort(r, tx, id, "delete_port", nil)
		if err != nil {
			return err
		}
		if err := checkRevision(r, p.Std.Revision); err != nil {
			return err
		}
		if err := checkServicePort(tx, p); err != nil {
			return err
		}
		segs, err := loadSegments(tx, []string{p.NetworkID})
		if err != nil {
			return err
		}
		change, err = s.removePort(tx, p, segs[p.NetworkID])
		return err
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), []*ml2.Change{change})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// activateBound marks ports bound by a driver that has no agent to report
// them (the fake driver) ACTIVE, as an agent's device-up report would.
func (s *Service) activateBound(ctx context.Context, ports []*port) {
	if !s.mechs.ActivatesPorts() {
		return
	}
	for _, p := range ports {
		if p.Host == "" || p.VIFType == "binding_failed" || p.Status == "ACTIVE" {
			continue
		}
		if err := s.SetPortStatus(ctx, p.ID, "ACTIVE"); err != nil {
			s.log.Warn("port status", "port", p.ID, "err", err)
			continue
		}
		p.Status = "ACTIVE"
	}
}

// changedBound are the ports changes created or updated bound to a host,
// as much of them as activateBound reads.
func changedBound(changes []*ml2.Change) []*port {
	var out []*port
	for _, c := range changes {
		if c.Kind == ml2.KindPort && c.Op != ml2.OpDelete && str(c.Current, bindHost) != "" {
			out = append(out, &port{ID: str(c.Current, "id"), Host: str(c.Current, bindHost),
				VIFType: str(c.Current, bindVIFType), Status: str(c.Current, "status")})
		}
	}
	return out
}

// SetPortStatus records a port's status as its agent reports it.
func (s *Service) SetPortStatus(ctx context.Context, id, status string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		n, err := tx.ExecAffected(`UPDATE network_ports SET status = ?, revision_number = revision_number + 1, updated_at = ?
			WHERE id = ? AND status <> ?`, status, micros(s.now()), id, status)
		if err != nil || n == 0 {
			return err
		}
		host, err := tx.Strings(`SELECT binding_host_id FROM network_ports WHERE id = ?`, id)
		if err != nil || len(host) == 0 {
			return err
		}
		return followParent(tx, id, host[0], status, micros(s.now()))
	})
}
