package network

import (
	"database/sql"
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// RBAC actions (neutron/db/rbac_db_models.py).
const (
	accessShared   = "access_as_shared"
	accessExternal = "access_as_external"
)

// rbacPolicy is a stored RBAC policy.
type rbacPolicy struct {
	ID, ProjectID, ObjectType, ObjectID, Action, Target string
}

const rbacCols = `id, project_id, object_type, object_id, action, target_project`

func scanRBAC(sc interface{ Scan(...any) error }) (*rbacPolicy, error) {
	p := &rbacPolicy{}
	return p, sc.Scan(&p.ID, &p.ProjectID, &p.ObjectType, &p.ObjectID, &p.Action, &p.Target)
}

// rbacReach is the condition that a policy on the row idExpr names lets
// the project given as its one argument reach it: a policy targets that
// project or every project ("*").
func rbacReach(objectType, idExpr string) string {
	return `EXISTS (SELECT 1 FROM network_rbac_policies rp WHERE rp.object_type = '` + objectType +
		`' AND rp.object_id = ` + idExpr + ` AND (rp.target_project = '*' OR rp.target_project = ?))`
}

// queryRBAC reads the policies matching where that project owns ("" for
// every policy): RBAC rows are scoped by project_id alone upstream.
func queryRBAC(tx *db.Tx, project, where string, args ...any) ([]*rbacPolicy, error) {
	if project != "" {
		where, args = "("+where+") AND project_id = ?", append(args, project)
	}
	return scanRows(tx, `SELECT `+rbacCols+` FROM network_rbac_policies WHERE `+where+` ORDER BY id`, args, scanRBAC)
}

// getRBAC reads one policy project may see ("" for any).
func getRBAC(tx *db.Tx, id, project string) (*rbacPolicy, error) {
	list, err := queryRBAC(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.RbacPolicyNotFound(id, "unknown")
	}
	return list[0], nil
}

// rbacExists reports whether a policy with these values exists; target
// "" matches any target.
func rbacExists(tx *db.Tx, objectType, objectID, action, target string) (bool, error) {
	q, args := `SELECT 1 FROM network_rbac_policies WHERE object_type = ? AND object_id = ? AND action = ?`,
		[]any{objectType, objectID, action}
	if target != "" {
		q, args = q+` AND target_project = ?`, append(args, target)
	}
	return tx.Exists(q, args...)
}

// rbacTargets are the targets of an object's policies with action.
func rbacTargets(tx *db.Tx, objectType, objectID, action string) ([]string, error) {
	return tx.Strings(`SELECT target_project FROM network_rbac_policies WHERE object_type = ? AND object_id = ? AND action = ?
		ORDER BY target_project`, objectType, objectID, action)
}

// insertRBAC stores a policy; one with the same values is a DuplicateRbacPolicy.
func insertRBAC(tx *db.Tx, p *rbacPolicy) error {
	if dup, err := rbacExists(tx, p.ObjectType, p.ObjectID, p.Action, p.Target); err != nil || dup {
		if dup {
			return neutronerr.DuplicateRbacPolicy()
		}
		return err
	}
	_, err := tx.Exec(`INSERT INTO network_rbac_policies (`+rbacCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		p.ID, p.ProjectID, p.ObjectType, p.ObjectID, p.Action, p.Target)
	if errors.Is(err, db.ErrConflict) {
		return neutronerr.DuplicateRbacPolicy()
	}
	return err
}

// saveRBACTarget writes a policy's new target.
func saveRBACTarget(tx *db.Tx, p *rbacPolicy, target string) error {
	if target != p.Target {
		if dup, err := rbacExists(tx, p.ObjectType, p.ObjectID, p.Action, target); err != nil || dup {
			if dup {
				return neutronerr.DuplicateRbacPolicy()
			}
			return err
		}
	}
	_, err := tx.Exec(`UPDATE network_rbac_policies SET target_project = ? WHERE id = ?`, target, p.ID)
	if errors.Is(err, db.ErrConflict) {
		return neutronerr.DuplicateRbacPolicy()
	}
	p.Target = target
	return err
}

// deleteRBAC removes one policy.
func deleteRBAC(tx *db.Tx, id string) error {
	_, err := tx.Exec(`DELETE FROM network_rbac_policies WHERE id = ?`, id)
	return err
}

// deleteObjectRBAC removes the policies of an object being deleted, or
// those with action when action is not "".
func deleteObjectRBAC(tx *db.Tx, objectType, objectID, action, target string) error {
	q, args := `DELETE FROM network_rbac_policies WHERE object_type = ? AND object_id = ?`, []any{objectType, objectID}
	if action != "" {
		q, args = q+` AND action = ?`, append(args, action)
	}
	if target != "" {
		q, args = q+` AND target_project = ?`, append(args, target)
	}
	_, err := tx.Exec(q, args...)
	return err
}

// ensureWildcard adds the object's wildcard policy with action unless it
// exists (a network made shared or external, a pool or scope made shared).
func (s *Service) ensureWildcard(tx *db.Tx, objectType, objectID, project, action string) error {
	ok, err := rbacExists(tx, objectType, objectID, action, "*")
	if err != nil || ok {
		return err
	}
	return insertRBAC(tx, &rbacPolicy{ID: s.newID(), ProjectID: project, ObjectType: objectType,
		ObjectID: objectID, Action: action, Target: "*"})
}

// syncSharedColumn sets an object's shared column to whether its
// wildcard access_as_shared policy exists.
func syncSharedColumn(tx *db.Tx, objectType, objectID string) error {
	t := rbacTypes[objectType]
	if t == nil {
		return nil
	}
	shared, err := rbacExists(tx, objectType, objectID, accessShared, "*")
	if err != nil {
		return err
	}
	_, err = tx.Exec(`UPDATE `+t.table+` SET shared = ? WHERE id = ?`, shared, objectID)
	return err
}

// sharedWith is the subset of ids of objectType an access_as_shared
// policy targets project with (not the wildcard).
func sharedWith(tx *db.Tx, objectType, project string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		err := eachRow(tx, `SELECT object_id FROM network_rbac_policies WHERE object_type = ? AND action = ?
			AND target_project = ? AND object_id`+in, append([]any{objectType, accessShared, project}, args...),
			func(sc func(...any) error) error {
				var id string
				if err := sc(&id); err != nil {
					return err
				}
				out[id] = true
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// objectOwner reads the project of an object row, errNotFound when none.
func objectOwner(tx *db.Tx, table, id string, notFound error) (string, error) {
	var owner string
	err := tx.QueryRow(`SELECT project_id FROM `+table+` WHERE id = ?`, id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound
	}
	return owner, err
}
