package identity

import (
	"slices"

	"github.com/monostack/monostack/internal/db"
)

// Assignment types, as stored in identity_assignments.type.
const (
	userProject  = "UserProject"
	groupProject = "GroupProject"
	userDomain   = "UserDomain"
	groupDomain  = "GroupDomain"
	userSystem   = "UserSystem"
	groupSystem  = "GroupSystem"
)

// systemTarget is the target_id of system grants.
const systemTarget = "system"

// userGroupIDs lists the groups a user belongs to.
func userGroupIDs(tx *db.Tx, userID string) ([]string, error) {
	return tx.Strings("SELECT group_id FROM identity_group_members WHERE user_id = ?", userID)
}

// directRoleIDs lists the role ids granted to the user (directly or
// through a group) on a scope, counting inherited grants from the
// project's ancestors and domain; implied roles are not yet expanded.
func directRoleIDs(tx *db.Tx, userID string, kind scopeKind, scopeID string) ([]string, error) {
	groups, err := userGroupIDs(tx, userID)
	if err != nil {
		return nil, err
	}
	actors := append([]string{userID}, groups...)
	args := make([]any, 0, len(actors)+8)
	for _, a := range actors {
		args = append(args, a)
	}
	base := "SELECT DISTINCT role_id FROM identity_assignments WHERE actor_id IN (" + db.Placeholders(len(actors)) + ") AND "
	switch kind {
	case scopeSystem:
		return tx.Strings(base+"target_id = ? AND type IN (?, ?)", append(args, systemTarget, userSystem, groupSystem)...)
	case scopeDomain:
		return tx.Strings(base+"target_id = ? AND inherited = ? AND type IN (?, ?)", append(args, scopeID, false, userDomain, groupDomain)...)
	case scopeProject:
		parents, err := ancestorIDs(tx, scopeID)
		if err != nil {
			return nil, err
		}
		args = append(args, scopeID, false, userProject, groupProject)
		cond := "((target_id = ? AND inherited = ? AND type IN (?, ?))"
		if len(parents) > 0 {
			cond += " OR (target_id IN (" + db.Placeholders(len(parents)) + ") AND inherited = ?)"
			for _, p := range parents {
				args = append(args, p)
			}
			args = append(args, true)
		}
		return tx.Strings(base+cond+")", args...)
	}
	return nil, nil
}

// impliedRules maps each prior role to the roles it implies.
func impliedRules(tx *db.Tx) (map[string][]string, error) {
	rows, err := tx.Query("SELECT prior_role_id, implied_role_id FROM identity_implied_roles")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rules := map[string][]string{}
	for rows.Next() {
		var p, i string
		if err := rows.Scan(&p, &i); err != nil {
			return nil, err
		}
		rules[p] = append(rules[p], i)
	}
	return rules, rows.Err()
}

// expandImplied adds every role the given roles imply, transitively.
func expandImplied(ids []string, rules map[string][]string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	queue := slices.Clone(ids)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
		queue = append(queue, rules[id]...)
	}
	return out
}

// rolesByID loads roles, in the order of ids, skipping unknown ones.
func rolesByID(tx *db.Tx, ids []string) ([]*role, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	list, err := queryRoles(tx, db.NewQuery("SELECT "+roleColumns+" FROM identity_roles").
		Where("id IN ("+db.Placeholders(len(ids))+")", args...))
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*role, len(list))
	for _, ro := range list {
		byID[ro.ID] = ro
	}
	out := make([]*role, 0, len(ids))
	for _, id := range ids {
		if ro, ok := byID[id]; ok {
			out = append(out, ro)
		}
	}
	return out, nil
}

// effectiveRoles is what a token on the scope carries: granted roles plus
// the roles they imply, without domain-specific roles (which only lend
// the global roles they imply), sorted by name.
func effectiveRoles(tx *db.Tx, userID string, kind scopeKind, scopeID string) ([]*role, error) {
	direct, err := directRoleIDs(tx, userID, kind, scopeID)
	if err != nil || len(direct) == 0 {
		return nil, err
	}
	rules, err := impliedRules(tx)
	if err != nil {
		return nil, err
	}
	all, err := rolesByID(tx, expandImplied(direct, rules))
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, ro := range all {
		if ro.DomainID == "" {
			out = append(out, ro)
		}
	}
	slices.SortFunc(out, func(a, b *role) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, nil
}
