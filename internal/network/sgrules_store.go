package network

import (
	"database/sql"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// sgRule is a stored security group rule. Optional columns are nil when
// the rule leaves them open.
type sgRule struct {
	ID, ProjectID, GroupID string
	Direction, Ethertype   string
	Protocol               *string
	PortMin, PortMax       *int64
	RemoteIPPrefix         *string
	RemoteGroupID          *string
	RemoteAddressGroupID   *string
	Std                    StdAttrs
	GroupProject           string // the owner of its group (sg_owner)
	GroupStateful          bool
}

const sgRuleCols = `r.id, r.project_id, r.security_group_id, r.direction, r.ethertype, r.protocol, r.port_range_min,
	r.port_range_max, r.remote_ip_prefix, r.remote_group_id, r.remote_address_group_id, r.description, r.created_at,
	r.updated_at, r.revision_number, g.project_id, g.stateful`

const sgRuleFrom = ` FROM network_security_group_rules r JOIN network_security_groups g ON g.id = r.security_group_id`

func scanRule(sc interface{ Scan(...any) error }) (sgRule, error) {
	var r sgRule
	var proto, prefix, remote, ag sql.NullString
	var pmin, pmax sql.NullInt64
	err := sc.Scan(&r.ID, &r.ProjectID, &r.GroupID, &r.Direction, &r.Ethertype, &proto, &pmin, &pmax, &prefix,
		&remote, &ag, &r.Std.Description, &r.Std.CreatedAt, &r.Std.UpdatedAt, &r.Std.Revision, &r.GroupProject,
		&r.GroupStateful)
	r.Protocol, r.RemoteIPPrefix = nullString(proto), nullString(prefix)
	r.RemoteGroupID, r.RemoteAddressGroupID = nullString(remote), nullString(ag)
	r.PortMin, r.PortMax = nullInt(pmin), nullInt(pmax)
	return r, err
}

func nullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// queryRules reads the rules matching where, in creation order.
func queryRules(tx *db.Tx, where string, args ...any) ([]sgRule, error) {
	return scanRows(tx, `SELECT `+sgRuleCols+sgRuleFrom+` WHERE `+where+` ORDER BY r.created_at, r.id`, args, scanRule)
}

// getRule reads one rule.
func getRule(tx *db.Tx, id string) (sgRule, error) {
	rules, err := queryRules(tx, "r.id = ?", id)
	if err != nil {
		return sgRule{}, err
	}
	if len(rules) == 0 {
		return sgRule{}, neutronerr.SecurityGroupRuleNotFound(id)
	}
	return rules[0], nil
}

// securityGroupRulesFor returns the rules of each group, by group id, for
// the agent contract (rpc.SecurityGroupInfo) and the group views.
func securityGroupRulesFor(tx *db.Tx, sgIDs []string) (map[string][]sgRule, error) {
	out := map[string][]sgRule{}
	for _, chunk := range chunks(sgIDs, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		rules, err := queryRules(tx, "r.security_group_id"+in, args...)
		if err != nil {
			return nil, err
		}
		for _, r := range rules {
			out[r.GroupID] = append(out[r.GroupID], r)
		}
	}
	return out, nil
}

// newRule is a rule open in every other respect.
func (s *Service) newRule(project, group, direction, ethertype string) *sgRule {
	now := micros(s.now())
	return &sgRule{ID: s.newID(), ProjectID: project, GroupID: group, Direction: direction, Ethertype: ethertype,
		Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
}

// insertRule stores a rule row.
func insertRule(tx *db.Tx, r *sgRule) error {
	_, err := tx.Exec(`INSERT INTO network_security_group_rules (id, project_id, security_group_id, direction,
		ethertype, protocol, port_range_min, port_range_max, remote_ip_prefix, remote_group_id, remote_address_group_id,
		description, created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.ProjectID, r.GroupID, r.Direction, r.Ethertype, r.Protocol, r.PortMin, r.PortMax, r.RemoteIPPrefix,
		r.RemoteGroupID, r.RemoteAddressGroupID, r.Std.Description, r.Std.CreatedAt, r.Std.UpdatedAt, r.Std.Revision)
	return err
}

// removeRule deletes a rule and bumps its group's revision.
func (s *Service) removeRule(tx *db.Tx, r sgRule) error {
	if _, err := tx.Exec(`DELETE FROM network_security_group_rules WHERE id = ?`, r.ID); err != nil {
		return err
	}
	return s.bumpSecurityGroup(tx, r.GroupID, 1)
}
