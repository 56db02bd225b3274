package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Trunk statuses (neutron_lib/services/trunk/constants.py).
const (
	trunkActive = "ACTIVE"
	trunkDown   = "DOWN"
	trunkError  = "ERROR"
)

// trunkResource is the trunk extension's attribute map.
var trunkResource = NewResource("trunk", "trunks", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "admin_state_up", Post: true, Put: true, Default: true, Convert: toBool, Filter: true, Sort: true},
	{Name: "port_id", Post: true, Required: true, Validate: validUUID, Filter: true, Sort: true},
	{Name: "status", Sort: true},
	{Name: "sub_ports", Post: true, Default: []any{}, Validate: validSubports, Policy: true},
}, stdAttrDefs()))

func (s *Service) addTrunkRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/trunks", s.listTrunks)
	rt.Handle("POST", "/v2.0/trunks", s.createTrunks)
	rt.Handle("GET", "/v2.0/trunks/{trunk_id}", s.showTrunk)
	rt.Handle("PUT", "/v2.0/trunks/{trunk_id}", s.updateTrunk)
	rt.Handle("DELETE", "/v2.0/trunks/{trunk_id}", s.deleteTrunk)
	rt.Handle("GET", "/v2.0/trunks/{trunk_id}/get_subports", s.getSubports)
	rt.Handle("PUT", "/v2.0/trunks/{trunk_id}/add_subports", s.changeSubports("add_subports"))
	rt.Handle("PUT", "/v2.0/trunks/{trunk_id}/remove_subports", s.changeSubports("remove_subports"))
}

// subPortDicts are a trunk's subports as the API shows them.
func subPortDicts(sps []subPort) []map[string]any {
	out := make([]map[string]any, len(sps))
	for i, sp := range sps {
		out[i] = map[string]any{"port_id": sp.PortID, "segmentation_type": sp.SegType, "segmentation_id": sp.SegID}
	}
	return out
}

// trunkDict is a trunk as the API shows it.
func trunkDict(t *trunk) map[string]any {
	m := map[string]any{"id": t.ID, "name": t.Name, "project_id": t.ProjectID, "tenant_id": t.ProjectID,
		"admin_state_up": t.AdminStateUp, "status": t.Status, "port_id": t.PortID, "sub_ports": subPortDicts(t.SubPorts)}
	t.Std.put(m)
	return m
}

func (s *Service) listTrunks(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, trunkResource, "get_trunk", func(tx *db.Tx, scope string) ([]*trunk, error) {
		return queryTrunks(tx, scope, "1 = 1")
	}, trunkDict, nil)
}

func (s *Service) showTrunk(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("trunk_id")
	return showOne(s, w, r, trunkResource, func(tx *db.Tx) (*trunk, error) { return getTrunk(tx, id, s.scope(r)) },
		func(t *trunk) (map[string]any, bool) {
			m := trunkDict(t)
			ok, _ := s.allowed(r, "get_trunk", m, nil)
			return m, ok
		}, neutronerr.TrunkNotFound(id))
}

// readTrunk is a trunk's dict when the caller may see it (tags API).
func (s *Service) readTrunk(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	t, err := getTrunk(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	m := trunkDict(t)
	if ok, _ := s.allowed(r, "get_trunk", m, nil); !ok {
		return nil, neutronerr.TrunkNotFound(id)
	}
	return m, nil
}

func (s *Service) createTrunks(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, trunkResource, func(tx *db.Tx, item map[string]any) (*trunk, []*ml2.Change, error) {
		if err := s.enforce(r, "create_trunk", item, trunkResource.PolicyAttrs(item, true)); err != nil {
			return nil, nil, err
		}
		return s.newTrunk(r, tx, item)
	}, nil, trunkDict)
}

// newTrunk validates a create body and stores the trunk, DOWN, with its
// subports marked trunk:subport.
func (s *Service) newTrunk(r *http.Request, tx *db.Tx, item map[string]any) (*trunk, []*ml2.Change, error) {
	now := micros(s.now())
	t := &trunk{ID: s.newID(), Status: trunkDown, AdminStateUp: true, Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
	t.ProjectID, _ = item["project_id"].(string)
	t.PortID, _ = item["port_id"].(string)
	t.Name, _ = item["name"].(string)
	t.Std.Description, _ = item["description"].(string)
	if v, ok := item["admin_state_up"].(bool); ok {
		t.AdminStateUp = v
	}
	parent, err := s.checkParentPort(r, tx, t.PortID)
	if err != nil {
		return nil, nil, err
	}
	list, _ := item["sub_ports"].([]any)
	if t.SubPorts, err = s.checkSubPorts(r, tx, parent, list); err != nil {
		return nil, nil, err
	}
	if err := insertTrunk(tx, t); err != nil {
		return nil, nil, err
	}
	changes, err := s.markSubPorts(tx, t.SubPorts, true)
	return t, changes, err
}

// authorizedTrunk reads a trunk for a change and enforces action; one the
// caller may not see is not found.
func (s *Service) authorizedTrunk(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*trunk, error) {
	t, err := getTrunk(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := trunkDict(t)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforceVisible(r, action, target, nil, "get_trunk", trunkDict(t), neutronerr.TrunkNotFound(id)); err != nil {
		return nil, err
	}
	return t, nil
}

func (s *Service) updateTrunk(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("trunk_id")
	items, _, err := s.decodeBody(r, trunkResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var t *trunk
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if t, err = s.authorizedTrunk(r, tx, id, "update_trunk", item); err != nil {
			return err
		}
		if err := checkRevision(r, t.Std.Revision); err != nil {
			return err
		}
		applyTrunkItem(t, item)
		t.Std.UpdatedAt, t.Std.Revision = micros(s.now()), t.Std.Revision+1
		return saveTrunk(tx, t)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"trunk": trunkDict(t)})
}

// applyTrunkItem copies an update body's name, description and
// admin_state_up to t.
func applyTrunkItem(t *trunk, item map[string]any) {
	if v, ok := item["name"].(string); ok {
		t.Name = v
	}
	if v, ok := item["description"].(string); ok {
		t.Std.Description = v
	}
	if v, ok := item["admin_state_up"].(bool); ok {
		t.AdminStateUp = v
	}
}

// deleteTrunk refuses a disabled trunk (TrunkDisabled) and one whose parent
// is bound (TrunkInUse), then frees the subports.
func (s *Service) deleteTrunk(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("trunk_id")
	var changes []*ml2.Change
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		t, err := s.authorizedTrunk(r, tx, id, "delete_trunk", nil)
		if err != nil {
			return err
		}
		if err := checkRevision(r, t.Std.Revision); err != nil {
			return err
		}
		if !t.AdminStateUp {
			return neutronerr.TrunkDisabled(id)
		}
		parent, err := getPort(tx, t.PortID, "")
		if err != nil {
			return err
		}
		if !canTrunkOrUntrunk(parent) {
			return neutronerr.TrunkInUse(id)
		}
		if err := removeTrunk(tx, id); err != nil {
			return err
		}
		changes, err = s.markSubPorts(tx, t.SubPorts, false)
		return err
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), changes)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// canTrunkOrUntrunk is can_be_trunked_or_untrunked with a trunk driver
// that, as Open vSwitch's, cannot change the trunk of a bound port.
func canTrunkOrUntrunk(p *port) bool { return p.Host == "" }
