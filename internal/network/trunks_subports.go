package network

import (
	"fmt"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Segmentation types (neutron_lib/services/trunk/constants.py) and the
// device owner the trunk driver gives subports.
const (
	segTypeVLAN    = "vlan"
	segTypeInherit = "inherit"
	subportOwner   = "trunk:subport"
)

// validSubports is type:subports (validate_subports), including its early
// return at the first "inherit" subport.
func validSubports(v any) string {
	list, ok := v.([]any)
	if !ok {
		return fmt.Sprintf("Invalid data format for subports: '%s' is not a list", pyStr(v))
	}
	ids := map[string]bool{}
	segs := map[string]map[string]bool{}
	for _, e := range list {
		sp, ok := e.(map[string]any)
		if !ok {
			return fmt.Sprintf("Invalid data format for subport: '%s' is not a dict", pyStr(e))
		}
		id, has := sp["port_id"]
		switch {
		case !has:
			return "A valid port UUID must be specified"
		case validUUID(id) != "":
			return fmt.Sprintf("Invalid UUID for subport: '%s'", pyStr(id))
		case ids[pyStr(id)]:
			return fmt.Sprintf("Non unique UUID for subport: '%s'", pyStr(id))
		}
		ids[pyStr(id)] = true
		typ, _ := sp["segmentation_type"].(string)
		if typ == segTypeInherit {
			return ""
		}
		segID, hasID := sp["segmentation_id"]
		if (typ == "" || segID == nil) && len(sp) > 1 {
			return missingSegmentation(sp)
		}
		if !hasID || segID == nil {
			continue
		}
		if segs[typ] == nil {
			segs[typ] = map[string]bool{}
		}
		if segs[typ][pyReprValue(segID)] {
			return fmt.Sprintf("Segmentation ID '%s' for '%s' is not unique", pyStr(segID), pyStr(id))
		}
		segs[typ][pyReprValue(segID)] = true
	}
	return ""
}

func missingSegmentation(sp map[string]any) string {
	return fmt.Sprintf("Invalid subport details '%s': missing segmentation information. Must specify both segmentation_id and segmentation_type", pyStr(sp))
}

// visiblePort reads a port the caller may see, else PortNotFound.
func (s *Service) visiblePort(r *http.Request, tx *db.Tx, id string) (*port, error) {
	p, err := getPort(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	if _, ok := s.readablePort(r, p); !ok {
		return nil, neutronerr.PortNotFound(id)
	}
	return p, nil
}

// checkTrunkable is TrunkPortValidator.validate: the port is no trunk's
// subport or parent, exists, and as a parent is unbound, as a subport
// has no device.
func (s *Service) checkTrunkable(r *http.Request, tx *db.Tx, id string, parent bool) (*port, error) {
	parentOf, subportOf, err := trunkRole(tx, id)
	switch {
	case err != nil:
		return nil, err
	case subportOf != "":
		return nil, neutronerr.TrunkPortInUse(id)
	case parentOf != "":
		return nil, neutronerr.ParentPortInUse(id)
	}
	p, err := s.visiblePort(r, tx, id)
	switch {
	case err != nil:
		return nil, err
	case parent && !canTrunkOrUntrunk(p):
		return nil, neutronerr.ParentPortInUse(id)
	case !parent && p.DeviceID != "":
		return nil, neutronerr.PortInUse(id, p.NetworkID, p.DeviceID)
	}
	return p, nil
}

// checkParentPort validates a trunk's parent port.
func (s *Service) checkParentPort(r *http.Request, tx *db.Tx, id string) (*port, error) {
	return s.checkTrunkable(r, tx, id, true)
}

// subportNets gives each visible subport's network, for MTUs and inherit.
func (s *Service) subportNets(r *http.Request, tx *db.Tx, list []any) (map[string]*network, error) {
	out := map[string]*network{}
	for _, e := range list {
		id, _ := e.(map[string]any)["port_id"].(string)
		p, err := getPort(tx, id, s.scope(r))
		if ne, ok := neutronerr.As(err); ok && ne.Type == "PortNotFound" {
			continue
		}
		if err != nil {
			return nil, err
		}
		if out[id], err = getNetwork(tx, p.NetworkID, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkSubPorts is SubPortsValidator.validate for subports of parent.
func (s *Service) checkSubPorts(r *http.Request, tx *db.Tx, parent *port, list []any) ([]subPort, error) {
	pn, err := getNetwork(tx, parent.NetworkID, "")
	if err != nil {
		return nil, err
	}
	nets, err := s.subportNets(r, tx, list)
	if err != nil {
		return nil, err
	}
	out := make([]subPort, 0, len(list))
	for _, e := range list {
		sp, err := s.checkSubPort(r, tx, parent, pn.MTU, nets, e.(map[string]any))
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, nil
}

// checkSubPort validates one subport in upstream's order.
func (s *Service) checkSubPort(r *http.Request, tx *db.Tx, parent *port, mtu int, nets map[string]*network, body map[string]any) (subPort, error) {
	id, _ := body["port_id"].(string)
	n := nets[id]
	if body["segmentation_type"] == segTypeInherit && n != nil {
		body = inheritSegmentation(id, n)
	}
	switch {
	case id == parent.ID:
		return subPort{}, neutronerr.ParentPortInUse(id)
	case n != nil && n.MTU > mtu:
		return subPort{}, neutronerr.SubPortMtuGreaterThanTrunkPortMtu(id, n.MTU, parent.ID, mtu)
	}
	sp, err := segmentationOf(id, body)
	if err != nil {
		return subPort{}, err
	}
	_, err = s.checkTrunkable(r, tx, id, false)
	return sp, err
}

// inheritSegmentation is a subport taking its network's segmentation.
func inheritSegmentation(id string, n *network) map[string]any {
	body := map[string]any{"port_id": id, "segmentation_id": nil, "segmentation_type": nil}
	if len(n.Segments) == 1 {
		body["segmentation_type"] = n.Segments[0].Type
		if n.Segments[0].HasID {
			body["segmentation_id"] = n.Segments[0].SegID
		}
	}
	return body
}

// segmentationOf reads and checks a subport's segmentation details.
func segmentationOf(id string, body map[string]any) (subPort, error) {
	typ, hasType := body["segmentation_type"]
	rawID, hasID := body["segmentation_id"]
	if !hasType || !hasID {
		return subPort{}, neutronerr.InvalidInput(missingSegmentation(body))
	}
	segID, err := toInt(rawID)
	if err != nil {
		return subPort{}, neutronerr.InvalidInput(fmt.Sprintf("Invalid subport details: segmentation_id '%s' is not an integer", pyStr(rawID)))
	}
	if typ != segTypeVLAN {
		return subPort{}, neutronerr.InvalidInput(fmt.Sprintf("Unknown segmentation_type '%s'", pyStr(typ)))
	}
	if v := segID.(int64); v < 1 || v > 4094 {
		return subPort{}, neutronerr.InvalidInput(fmt.Sprintf("Segmentation ID '%d' is not in range", v))
	}
	return subPort{PortID: id, SegType: segTypeVLAN, SegID: segID.(int64)}, nil
}

// markSubPorts gives subports the trunk:subport device owner, or clears
// it when they leave their trunk, as the trunk driver does.
func (s *Service) markSubPorts(tx *db.Tx, sps []subPort, on bool) ([]*ml2.Change, error) {
	owner := ""
	if on {
		owner = subportOwner
	}
	var changes []*ml2.Change
	for _, sp := range sps {
		p, err := getPort(tx, sp.PortID, "")
		if err != nil {
			return nil, err
		}
		c, err := s.changePort(tx, p, map[string]any{"device_owner": owner})
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

func (s *Service) getSubports(w http.ResponseWriter, r *http.Request) error {
	var t *trunk
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		t, err = s.authorizedTrunk(r, tx, r.PathValue("trunk_id"), "get_subports", nil)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"sub_ports": subPortDicts(t.SubPorts)})
}

// changeSubports is the add_subports or remove_subports member action;
// the answer is the trunk itself, unwrapped, as upstream's.
func (s *Service) changeSubports(action string) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := decodeSubports(r)
		if err != nil {
			return err
		}
		var t *trunk
		var changes []*ml2.Change
		err = s.db.Write(r.Context(), func(tx *db.Tx) error {
			if t, err = s.authorizedTrunk(r, tx, r.PathValue("trunk_id"), action, nil); err != nil {
				return err
			}
			if action == "add_subports" {
				changes, err = s.addSubports(r, tx, t, list)
			} else {
				changes, err = s.removeSubports(tx, t, list)
			}
			return err
		})
		if err != nil {
			return err
		}
		s.postcommit(r.Context(), changes)
		return httpx.WriteJSON(w, http.StatusOK, trunkDict(t))
	}
}

// decodeSubports reads {"sub_ports": [...]} with validate_subports.
func decodeSubports(r *http.Request) ([]any, error) {
	var body map[string]any
	if err := httpx.DecodeJSON(r, &body); err != nil {
		return nil, neutronerr.New("MalformedRequestBody", "Malformed request body: Cannot understand JSON")
	}
	list, ok := body["sub_ports"]
	if !ok {
		return nil, neutronerr.HTTPBadRequest("Unable to find 'sub_ports' in request body")
	}
	list = normalizeValue(list)
	if reason := validSubports(list); reason != "" {
		return nil, neutronerr.InvalidInput(reason)
	}
	return list.([]any), nil
}

// addSubports adds validated subports to an enabled trunk not in ERROR.
func (s *Service) addSubports(r *http.Request, tx *db.Tx, t *trunk, list []any) ([]*ml2.Change, error) {
	parent, err := getPort(tx, t.PortID, "")
	if err != nil {
		return nil, err
	}
	sps, err := s.checkSubPorts(r, tx, parent, list)
	if err != nil {
		return nil, err
	}
	if !t.AdminStateUp {
		return nil, neutronerr.TrunkDisabled(t.ID)
	}
	if t.Status == trunkError {
		return nil, neutronerr.TrunkInErrorState(t.ID)
	}
	if err := insertSubPorts(tx, t.ID, sps); err != nil {
		return nil, err
	}
	if err := s.bumpTrunk(tx, t, parent); err != nil {
		return nil, err
	}
	return s.markSubPorts(tx, sps, true)
}

// removeSubports removes subports all of which the trunk has.
func (s *Service) removeSubports(tx *db.Tx, t *trunk, list []any) ([]*ml2.Change, error) {
	if !t.AdminStateUp {
		return nil, neutronerr.TrunkDisabled(t.ID)
	}
	current := map[string]subPort{}
	for _, sp := range t.SubPorts {
		current[sp.PortID] = sp
	}
	var gone []subPort
	for _, e := range list {
		id, _ := e.(map[string]any)["port_id"].(string)
		sp, ok := current[id]
		if !ok {
			return nil, neutronerr.SubPortNotFound(t.ID, id)
		}
		delete(current, id)
		gone = append(gone, sp)
	}
	ids := make([]string, len(gone))
	for i, sp := range gone {
		ids[i] = sp.PortID
	}
	if err := deleteSubPorts(tx, ids); err != nil {
		return nil, err
	}
	parent, err := getPort(tx, t.PortID, "")
	if err != nil {
		return nil, err
	}
	if err := s.bumpTrunk(tx, t, parent); err != nil {
		return nil, err
	}
	return s.markSubPorts(tx, gone, false)
}

// bumpTrunk reloads a trunk's subports after a change, sets its status
// from its parent's and stores a new revision.
func (s *Service) bumpTrunk(tx *db.Tx, t *trunk, parent *port) error {
	t.SubPorts = nil
	if err := eachSubPort(tx, []string{t.ID}, func(_ string, sp subPort) { t.SubPorts = append(t.SubPorts, sp) }); err != nil {
		return err
	}
	t.Status = trunkStatusFor(parent.Host, parent.Status)
	t.Std.UpdatedAt, t.Std.Revision = micros(s.now()), t.Std.Revision+1
	return saveTrunk(tx, t)
}

// trunkStatusFor is the status of a trunk whose parent has host and
// status: ACTIVE once the parent is bound and up, else DOWN.
func trunkStatusFor(host, status string) string {
	if host != "" && status == "ACTIVE" {
		return trunkActive
	}
	return trunkDown
}
