package identity

import (
	"slices"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
)

// namedRow is the name and domain of a user, group, project or role.
type namedRow struct {
	Name     string
	DomainID string
}

// assignmentNames holds what include_names shows; a nil one shows ids only.
type assignmentNames struct {
	users, groups, projects, roles map[string]namedRow
	domains                        map[string]namedRow
}

// loadAssignmentNames reads the names of everything the assignments
// mention: one query per kind, then one for the domains.
func loadAssignmentNames(tx *db.Tx, refs []assignmentRef) (*assignmentNames, error) {
	var users, groups, projects, roles, domains []string
	for _, a := range refs {
		users = appendNonEmpty(users, a.UserID)
		groups = appendNonEmpty(groups, a.GroupID)
		projects = appendNonEmpty(projects, a.ProjectID)
		domains = appendNonEmpty(domains, a.DomainID)
		roles = append(roles, a.RoleID)
	}
	n := &assignmentNames{}
	var err error
	for _, step := range []struct {
		table string
		ids   []string
		into  *map[string]namedRow
	}{
		{"identity_users", users, &n.users},
		{"identity_groups", groups, &n.groups},
		{"identity_projects", projects, &n.projects},
		{"identity_roles", roles, &n.roles},
	} {
		if *step.into, err = loadNamedRows(tx, step.table, step.ids); err != nil {
			return nil, err
		}
	}
	for _, m := range []map[string]namedRow{n.users, n.groups, n.projects, n.roles} {
		for _, row := range m {
			if row.DomainID != nullDomainID {
				domains = append(domains, row.DomainID)
			}
		}
	}
	n.domains, err = loadNamedRows(tx, "identity_projects", domains)
	return n, err
}

func appendNonEmpty(list []string, id string) []string {
	if id == "" {
		return list
	}
	return append(list, id)
}

// loadNamedRows reads id, name and domain_id of the given rows of table
// (a constant of this file), in chunks.
func loadNamedRows(tx *db.Tx, table string, ids []string) (map[string]namedRow, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make(map[string]namedRow, len(ids))
	for chunk := range slices.Chunk(ids, inChunk) {
		rows, err := tx.Query("SELECT id, name, domain_id FROM "+table+" WHERE id IN ("+db.Placeholders(len(chunk))+")", anyArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var row namedRow
			if err := rows.Scan(&id, &row.Name, &row.DomainID); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = row
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// domain is a domain by id, named under include_names.
func (n *assignmentNames) domain(id string) *api.Named {
	if n == nil {
		return &api.Named{ID: id}
	}
	name := n.domains[id].Name
	return &api.Named{ID: id, Name: &name}
}

// withDomain is an object with its name and its domain, as upstream shows
// users, groups and projects (a missing object shows empty strings).
func (n *assignmentNames) withDomain(row namedRow, id string) *api.Named {
	name := row.Name
	return &api.Named{ID: id, Name: &name, Domain: n.domain(row.DomainID)}
}

func (n *assignmentNames) user(id string) *api.Named {
	if n == nil {
		return &api.Named{ID: id}
	}
	return n.withDomain(n.users[id], id)
}

func (n *assignmentNames) group(id string) *api.Named {
	if n == nil {
		return &api.Named{ID: id}
	}
	return n.withDomain(n.groups[id], id)
}

func (n *assignmentNames) project(id string) *api.Named {
	if n == nil {
		return &api.Named{ID: id}
	}
	return n.withDomain(n.projects[id], id)
}

// role is a role by id; named, with its domain when domain-specific.
func (n *assignmentNames) role(id string) api.Named {
	if n == nil {
		return api.Named{ID: id}
	}
	row := n.roles[id]
	name := row.Name
	v := api.Named{ID: id, Name: &name}
	if row.DomainID != nullDomainID && row.DomainID != "" {
		v.Domain = n.domain(row.DomainID)
	}
	return v
}
