package network

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// rbacResource is the rbac-policies extension's attribute map.
var rbacResource = NewResource("rbac_policy", "rbac_policies", concat(ownedAttrs(), []Attr{
	{Name: "object_type", Post: true, Convert: toRBACType, Filter: true, Sort: true, Policy: true},
	{Name: "object_id", Post: true, Required: true, Validate: validUUID, Filter: true, Sort: true, Policy: true},
	{Name: "target_tenant", Post: true, Put: true, Required: true, Validate: maxString(255), Filter: true, Sort: true, Policy: true},
	{Name: "action", Post: true, Required: true, Validate: maxString(255), Filter: true, Sort: true, Policy: true},
}))

// toRBACType is convert_valid_object_type.
func toRBACType(v any) (any, error) {
	if s, ok := v.(string); ok {
		if t := strings.ToLower(strings.TrimSpace(s)); rbacTypes[t] != nil {
			return t, nil
		}
	}
	return nil, neutronerr.InvalidInput(fmt.Sprintf("'%s' is not a valid RBAC object type", pyStr(v)))
}

// addRBACRoutes adds the rbac-policies routes.
func (s *Service) addRBACRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/rbac-policies", s.listRBAC)
	rt.Handle("POST", "/v2.0/rbac-policies", s.createRBAC)
	rt.Handle("GET", "/v2.0/rbac-policies/{rbac_id}", s.showRBAC)
	rt.Handle("PUT", "/v2.0/rbac-policies/{rbac_id}", s.updateRBAC)
	rt.Handle("DELETE", "/v2.0/rbac-policies/{rbac_id}", s.deleteRBAC)
}

// rbacDict is a policy as the API shows it.
func rbacDict(p *rbacPolicy) map[string]any {
	return map[string]any{"id": p.ID, "project_id": p.ProjectID, "tenant_id": p.ProjectID, "object_type": p.ObjectType,
		"object_id": p.ObjectID, "action": p.Action, "target_tenant": p.Target}
}

func (s *Service) listRBAC(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, rbacResource, "get_rbac_policy", func(tx *db.Tx, scope string) ([]*rbacPolicy, error) {
		return queryRBAC(tx, scope, "1 = 1")
	}, rbacDict, nil)
}

func (s *Service) showRBAC(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("rbac_id")
	return showOne(s, w, r, rbacResource,
		func(tx *db.Tx) (*rbacPolicy, error) { return getRBAC(tx, id, s.scope(r)) },
		func(p *rbacPolicy) (map[string]any, bool) {
			m := rbacDict(p)
			ok, _ := s.allowed(r, "get_rbac_policy", m, nil)
			return m, ok
		}, neutronerr.RbacPolicyNotFound(id, "unknown"))
}

func (s *Service) createRBAC(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, rbacResource,
		func(tx *db.Tx, item map[string]any) (*rbacPolicy, []*ml2.Change, error) {
			if err := s.enforce(r, "create_rbac_policy", item, rbacResource.PolicyAttrs(item, true)); err != nil {
				return nil, nil, err
			}
			if _, ok := item["object_type"]; !ok {
				return nil, nil, neutronerr.InvalidInput("'None' is not a valid RBAC object type")
			}
			p := &rbacPolicy{ID: s.newID()}
			p.ProjectID, _ = item["project_id"].(string)
			p.ObjectType, _ = item["object_type"].(string)
			p.ObjectID, _ = item["object_id"].(string)
			p.Action, _ = item["action"].(string)
			p.Target, _ = item["target_tenant"].(string)
			if err := s.checkRBACCreate(r, tx, p); err != nil {
				return nil, nil, err
			}
			if err := insertRBAC(tx, p); err != nil {
				return nil, nil, err
			}
			return p, nil, s.afterRBACChange(tx, p, false)
		}, nil, rbacDict)
}

// authorizedRBAC reads a policy for an update or delete and enforces action.
func (s *Service) authorizedRBAC(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*rbacPolicy, error) {
	p, err := getRBAC(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := rbacDict(p)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforce(r, action, target, rbacResource.PolicyAttrs(item, false)); err != nil {
		if ok, _ := s.allowed(r, "get_rbac_policy", rbacDict(p), nil); !ok {
			return nil, neutronerr.RbacPolicyNotFound(id, "unknown")
		}
		return nil, err
	}
	return p, nil
}

func (s *Service) updateRBAC(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("rbac_id")
	items, _, err := s.decodeBody(r, rbacResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var p *rbacPolicy
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if p, err = s.authorizedRBAC(r, tx, id, "update_rbac_policy", item); err != nil {
			return err
		}
		target, ok := item["target_tenant"].(string)
		if !ok {
			target = p.Target
		}
		if err := s.checkRBACChange(r, tx, p, target, false); err != nil {
			return err
		}
		if err := saveRBACTarget(tx, p, target); err != nil {
			return err
		}
		return s.afterRBACChange(tx, p, false)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"rbac_policy": rbacDict(p)})
}

func (s *Service) deleteRBAC(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("rbac_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := s.authorizedRBAC(r, tx, id, "delete_rbac_policy", nil)
		if err != nil {
			return err
		}
		if err := s.checkRBACChange(r, tx, p, "", true); err != nil {
			return err
		}
		if err := deleteRBAC(tx, p.ID); err != nil {
			return err
		}
		return s.afterRBACChange(tx, p, true)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
