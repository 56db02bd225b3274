package compute

import (
	"net/http"
	"strings"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// visibleInstance loads a live instance the caller may see: another
// project's instance is "not found" for non-admins, as Nova's
// project-scoped lookups are.
func (s *Service) visibleInstance(tx *db.Tx, r *http.Request, id string) (*instance, error) {
	i, err := loadLiveInstance(tx, id)
	if err != nil {
		return nil, err
	}
	if !s.isAdmin(r) && i.ProjectID != projectOf(r) {
		return nil, instanceNotFound(id)
	}
	return i, nil
}

// instanceTarget is the policy target of an instance.
func instanceTarget(i *instance) map[string]any { return projectTarget(i.ProjectID, i.UserID) }

// showServer is GET /servers/{id}.
func (s *Service) showServer(w http.ResponseWriter, r *http.Request) error {
	srv, err := s.serverBody(r, r.PathValue("id"), "os_compute_api:servers:show", version(r).AtLeast(71))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"server": srv})
}

// serverBody loads and shows one server after checking rule.
func (s *Service) serverBody(r *http.Request, id, rule string, groups bool) (map[string]any, error) {
	var inst *instance
	x := serverExtras{showGroups: groups}
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, id)
		if err != nil {
			return err
		}
		if err := s.enforce(r, rule, map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		if err := loadMetadataAndTags(tx, i); err != nil {
			return err
		}
		inst = i
		faults, err := loadFaults(tx, []string{id})
		if err != nil {
			return err
		}
		x.fault = faults[id]
		if groups {
			x.groups, err = groupsOfInstance(tx, id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	x.hostStatus = s.hostStatusOf(inst)
	vc := s.newViewCtx(r, map[string]any{"project_id": inst.ProjectID})
	return vc.serverDetail(inst, x), nil
}

// fullOnlyKeys are what PUT and rebuild responses leave out before 2.75.
var fullOnlyKeys = []string{"OS-EXT-AZ:availability_zone", "config_drive", "OS-SRV-USG:launched_at",
	"OS-SRV-USG:terminated_at", "security_groups", "OS-EXT-STS:task_state", "OS-EXT-STS:vm_state",
	"OS-EXT-STS:power_state", "os-extended-volumes:volumes_attached", "host_status"}

// trimBeforeFull shapes a PUT or rebuild response before 2.75.
func trimBeforeFull(srv map[string]any, v httpx.Microversion, keepKeypair bool) {
	if v.AtLeast(75) {
		return
	}
	for _, k := range fullOnlyKeys {
		delete(srv, k)
	}
	for k := range srv {
		if strings.HasPrefix(k, "OS-EXT-SRV-ATTR:") {
			delete(srv, k)
		}
	}
	if !keepKeypair {
		delete(srv, "key_name")
	}
	if addrs, ok := srv["addresses"].(map[string][]map[string]any); ok {
		for _, list := range addrs {
			for _, a := range list {
				delete(a, "OS-EXT-IPS:type")
				delete(a, "OS-EXT-IPS-MAC:mac_addr")
			}
		}
	}
}

// updateServer is PUT /servers/{id}.
func (s *Service) updateServer(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	v := version(r)
	upd, err := requireBody(body, "server")
	if err != nil {
		return err
	}
	keys := []string{"name", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6"}
	if v.AtLeast(19) {
		keys = append(keys, "description")
	}
	if err := onlyKeys("server", upd, keys); err != nil {
		return err
	}
	id := r.PathValue("id")
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, id)
		if err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:servers:update", instanceTarget(i)); err != nil {
			return err
		}
		if err := applyServerUpdate(i, upd); err != nil {
			return err
		}
		return saveInstance(tx, i, s.now().UnixMicro())
	})
	if err != nil {
		return err
	}
	srv, err := s.serverBody(r, id, "os_compute_api:servers:update", v.AtLeast(71))
	if err != nil {
		return err
	}
	trimBeforeFull(srv, v, false)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"server": srv})
}

// applyServerUpdate checks and applies PUT fields to i.
func applyServerUpdate(i *instance, upd jsonObject) error {
	if n, ok := upd["name"]; ok {
		name, err := schemaName("name", n)
		if err != nil {
			return err
		}
		i.DisplayName = name
	}
	if d, ok := upd["description"]; ok {
		desc, err := schemaDescription("description", d)
		if err != nil {
			return err
		}
		i.Description = desc
	}
	for key, dst := range map[string]**string{"accessIPv4": &i.AccessIPv4, "accessIPv6": &i.AccessIPv6} {
		if a, ok := upd[key]; ok {
			ip, err := schemaIP(key, a, strings.ToLower(strings.TrimPrefix(key, "access")))
			if err != nil {
				return err
			}
			*dst = &ip
		}
	}
	if d, ok := upd["OS-DCF:diskConfig"]; ok {
		s, _ := d.(string)
		if s != "AUTO" && s != "MANUAL" {
			return invalidInput("OS-DCF:diskConfig", d, pyRepr(d)+" is not one of ['AUTO', 'MANUAL']")
		}
		i.SystemMetadata = nonNilMap(i.SystemMetadata)
		i.SystemMetadata["auto_disk_config"] = boolText(s == "AUTO")
	}
	return nil
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// deleteServer is DELETE /servers/{id}.
func (s *Service) deleteServer(w http.ResponseWriter, r *http.Request) error {
	if err := s.deleteInstance(r, r.PathValue("id"), "os_compute_api:servers:delete"); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteInstance deletes as Nova's compute API does: an instance never
// scheduled to a host is deleted at once ("local delete"); otherwise the
// conductor tears it down.
func (s *Service) deleteInstance(r *http.Request, id, rule string) error {
	var cast *instanceAction
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		cast = nil
		i, err := s.visibleInstance(tx, r, id)
		if err != nil {
			return err
		}
		if err := s.enforce(r, rule, instanceTarget(i)); err != nil {
			return err
		}
		if i.Locked && !s.isAdmin(r) {
			return instanceLocked(id)
		}
		now := s.now().UnixMicro()
		reqID := httpx.RequestID(r.Context())
		actionID, err := recordAction(tx, i.UUID, "delete", reqID, projectOf(r), caller(r).UserID, now)
		if err != nil {
			return err
		}
		if deref(i.Host) == "" {
			return localDelete(tx, i, now)
		}
		// The conductor sends the delete on at once; its event starts here.
		if err := startEvent(tx, actionID, opEvents[computerpc.OpDelete], *i.Host, now); err != nil {
			return err
		}
		i.TaskState = ptr(taskDeleting)
		if err := saveInstance(tx, i, now); err != nil {
			return err
		}
		cast = &instanceAction{InstanceUUID: i.UUID, Action: "delete", ActionRequestID: reqID}
		return nil
	})
	if err != nil || cast == nil {
		return err
	}
	return s.castAction(r.Context(), *cast)
}

// localDelete marks an instance that never reached a host deleted.
func localDelete(tx *db.Tx, i *instance, now int64) error {
	i.VMState, i.TaskState, i.Deleted = vmDeleted, nil, true
	i.TerminatedAt, i.DeletedAt = &now, &now
	return saveInstance(tx, i, now)
}

func instanceLocked(id string) error {
	return errs.Conflictf("Instance %s is locked", id)
}
