package network

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// securityGroup is a stored security group with its rules.
type securityGroup struct {
	ID, ProjectID, Name string
	Stateful, IsDefault bool
	Std                 StdAttrs
	Rules               []sgRule
}

const sgCols = `id, project_id, name, description, stateful, is_default, created_at, updated_at, revision_number`

func scanSecurityGroup(sc interface{ Scan(...any) error }) (*securityGroup, error) {
	g := &securityGroup{}
	err := sc.Scan(&g.ID, &g.ProjectID, &g.Name, &g.Std.Description, &g.Stateful, &g.IsDefault,
		&g.Std.CreatedAt, &g.Std.UpdatedAt, &g.Std.Revision)
	return g, err
}

// querySecurityGroups reads the groups matching where that project owns
// ("" for every project), with their rules and tags.
func querySecurityGroups(tx *db.Tx, project, where string, args ...any) ([]*securityGroup, error) {
	if project != "" {
		where = "(" + where + ") AND project_id = ?"
		args = append(args, project)
	}
	groups, err := scanRows(tx, `SELECT `+sgCols+` FROM network_security_groups WHERE `+where+` ORDER BY created_at, id`,
		args, scanSecurityGroup)
	if err != nil {
		return nil, err
	}
	return groups, fillSecurityGroups(tx, groups)
}

// getSecurityGroup reads one group visible to project ("" for any).
func getSecurityGroup(tx *db.Tx, id, project string) (*securityGroup, error) {
	groups, err := querySecurityGroups(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, neutronerr.SecurityGroupNotFound(id)
	}
	return groups[0], nil
}

// getSecurityGroupRow reads one group visible to project, without its
// rules and tags.
func getSecurityGroupRow(tx *db.Tx, id, project string) (*securityGroup, error) {
	q, args := `SELECT `+sgCols+` FROM network_security_groups WHERE id = ?`, []any{id}
	if project != "" {
		q, args = q+` AND project_id = ?`, append(args, project)
	}
	g, err := scanSecurityGroup(tx.QueryRow(q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, neutronerr.SecurityGroupNotFound(id)
	}
	return g, err
}

// fillSecurityGroups loads the rules and tags of groups.
func fillSecurityGroups(tx *db.Tx, groups []*securityGroup) error {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	rules, err := securityGroupRulesFor(tx, ids)
	if err != nil {
		return err
	}
	tags, err := loadTags(tx, "security_groups", ids)
	if err != nil {
		return err
	}
	for _, g := range groups {
		g.Rules, g.Std.Tags = rules[g.ID], tags[g.ID]
	}
	return nil
}

// insertSecurityGroup stores a group row; false when it is a second
// default group of its project (the unique index refused it).
func insertSecurityGroup(tx *db.Tx, g *securityGroup) (bool, error) {
	n, err := tx.ExecAffected(`INSERT INTO network_security_groups (`+sgCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, g.ID, g.ProjectID, g.Name, g.Std.Description, g.Stateful, g.IsDefault,
		g.Std.CreatedAt, g.Std.UpdatedAt, g.Std.Revision)
	return n == 1, err
}

// saveSecurityGroup writes a group's mutable columns.
func saveSecurityGroup(tx *db.Tx, g *securityGroup) error {
	_, err := tx.Exec(`UPDATE network_security_groups SET name = ?, description = ?, stateful = ?, updated_at = ?,
		revision_number = ? WHERE id = ?`, g.Name, g.Std.Description, g.Stateful, g.Std.UpdatedAt, g.Std.Revision, g.ID)
	return err
}

// bumpSecurityGroup adds n to a group's revision (its rules changed).
func (s *Service) bumpSecurityGroup(tx *db.Tx, id string, n int) error {
	_, err := tx.Exec(`UPDATE network_security_groups SET revision_number = revision_number + ?, updated_at = ?
		WHERE id = ?`, n, micros(s.now()), id)
	return err
}

// removeSecurityGroup deletes a group; its rules, and rules naming it as
// their remote group, go with it.
func removeSecurityGroup(tx *db.Tx, id string) error {
	if err := deleteTags(tx, "security_groups", id); err != nil {
		return err
	}
	_, err := tx.Exec(`DELETE FROM network_security_groups WHERE id = ?`, id)
	return err
}

// defaultGroupID is a project's default group, "" when it has none yet.
func defaultGroupID(tx *db.Tx, project string) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT id FROM network_security_groups WHERE project_id = ? AND is_default = TRUE`, project).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// ensureDefaultSecurityGroup returns the project's default group, making
// it with upstream's rules on first use (_ensure_default_security_group).
// Two transactions racing end with one group: the loser's insert does
// nothing and it reads the winner's. tx must be a write transaction.
func (s *Service) ensureDefaultSecurityGroup(tx *db.Tx, project string) (string, error) {
	if id, err := defaultGroupID(tx, project); err != nil || id != "" {
		return id, err
	}
	g := s.newSecurityGroup(project, "default", "Default security group", true)
	g.IsDefault = true
	ok, err := insertSecurityGroup(tx, g)
	if err != nil {
		return "", err
	}
	if !ok {
		return defaultGroupID(tx, project)
	}
	return g.ID, s.insertInitialRules(tx, g)
}

// newSecurityGroup is a group as create makes it, before its rules.
func (s *Service) newSecurityGroup(project, name, description string, stateful bool) *securityGroup {
	now := micros(s.now())
	return &securityGroup{ID: s.newID(), ProjectID: project, Name: name, Stateful: stateful,
		Std: StdAttrs{Description: description, CreatedAt: now, UpdatedAt: now}}
}

// insertInitialRules adds a new group's rules: egress IPv4 and IPv6 to
// anywhere, and for a default group ingress from the group itself.
func (s *Service) insertInitialRules(tx *db.Tx, g *securityGroup) error {
	for _, ethertype := range []string{"IPv4", "IPv6"} {
		if g.IsDefault {
			in := s.newRule(g.ProjectID, g.ID, "ingress", ethertype)
			in.RemoteGroupID = &g.ID
			g.Rules = append(g.Rules, *in)
		}
		g.Rules = append(g.Rules, *s.newRule(g.ProjectID, g.ID, "egress", ethertype))
	}
	for i := range g.Rules {
		if err := insertRule(tx, &g.Rules[i]); err != nil {
			return err
		}
	}
	g.Std.Revision += int64(len(g.Rules))
	return s.bumpSecurityGroup(tx, g.ID, len(g.Rules))
}

// securityGroupInUse says whether a port uses the group.
func securityGroupInUse(tx *db.Tx, id string) (bool, error) {
	return tx.Exists(`SELECT 1 FROM network_port_security_groups WHERE security_group_id = ?`, id)
}

// checkSecurityGroups checks each group exists and project may use it
// ("" for an admin, who may use any); SecurityGroupNotFound names the
// missing ones.
func (s *Service) checkSecurityGroups(tx *db.Tx, project string, ids []string) error {
	var missing []string
	for _, id := range ids {
		q, args := `SELECT 1 FROM network_security_groups WHERE id = ?`, []any{id}
		if project != "" {
			q, args = q+` AND project_id = ?`, append(args, project)
		}
		ok, err := tx.Exists(q, args...)
		if err != nil {
			return err
		}
		if !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return neutronerr.SecurityGroupNotFound(strings.Join(missing, ", "))
	}
	return nil
}
