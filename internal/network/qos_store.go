package network

import (
	"database/sql"
	"errors"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// qosPolicy is a stored QoS policy with its rules.
type qosPolicy struct {
	ID, ProjectID, Name string
	Shared, IsDefault   bool // Shared: the wildcard access_as_shared policy exists
	SharedWith          bool // a policy shares it with the reading project
	Std                 StdAttrs
	Rules               []*qosRule
}

// qosRule is a stored rule of any type; the fields of other types are zero.
type qosRule struct {
	ID, PolicyID, Type, Direction string
	MaxKbps, MaxBurst, MinKbps    int64
	DSCPMark                      int64
	CreatedAt                     int64
}

const qosPolicyCols = `id, project_id, name, description, shared, is_default, created_at, updated_at, revision_number`

func scanQoSPolicy(sc interface{ Scan(...any) error }) (*qosPolicy, error) {
	p := &qosPolicy{}
	return p, sc.Scan(&p.ID, &p.ProjectID, &p.Name, &p.Std.Description, &p.Shared, &p.IsDefault,
		&p.Std.CreatedAt, &p.Std.UpdatedAt, &p.Std.Revision)
}

// queryQoSPolicies reads the policies matching where that project may see
// ("" for all), with their rules and tags.
func queryQoSPolicies(tx *db.Tx, project, where string, args ...any) ([]*qosPolicy, error) {
	where, args = sharedVisible("qos_policy", where, project, args)
	out, err := scanRows(tx, `SELECT `+qosPolicyCols+` FROM network_qos_policies WHERE `+where+` ORDER BY created_at, id`,
		args, scanQoSPolicy)
	if err != nil {
		return nil, err
	}
	if project != "" {
		ids := make([]string, len(out))
		for i, p := range out {
			ids[i] = p.ID
		}
		with, err := sharedWith(tx, "qos_policy", project, ids)
		if err != nil {
			return nil, err
		}
		for _, p := range out {
			p.SharedWith = with[p.ID]
		}
	}
	return out, fillQoSPolicies(tx, out)
}

// getQoSPolicy reads one policy visible to project ("" for any).
func getQoSPolicy(tx *db.Tx, id, project string) (*qosPolicy, error) {
	list, err := queryQoSPolicies(tx, project, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, neutronerr.QosPolicyNotFound(id)
	}
	return list[0], nil
}

// fillQoSPolicies loads the rules and tags of policies.
func fillQoSPolicies(tx *db.Tx, policies []*qosPolicy) error {
	ids := make([]string, len(policies))
	byID := map[string]*qosPolicy{}
	for i, p := range policies {
		ids[i], byID[p.ID] = p.ID, p
	}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		in, args := inClause(chunk)
		rules, err := scanRows(tx, `SELECT `+qosRuleCols+` FROM network_qos_rules WHERE qos_policy_id`+in+` ORDER BY created_at, id`,
			args, scanQoSRule)
		if err != nil {
			return err
		}
		for _, r := range rules {
			byID[r.PolicyID].Rules = append(byID[r.PolicyID].Rules, r)
		}
	}
	tags, err := loadTags(tx, "policies", ids)
	if err != nil {
		return err
	}
	for _, p := range policies {
		p.Std.Tags = tags[p.ID]
		sortRules(p.Rules)
	}
	return nil
}

// sortRules orders rules by type as upstream lists them.
func sortRules(rules []*qosRule) {
	index := func(r *qosRule) int {
		return slices.IndexFunc(qosRuleTypes, func(t qosRuleType) bool { return t.Name == r.Type })
	}
	slices.SortStableFunc(rules, func(a, b *qosRule) int { return index(a) - index(b) })
}

// insertQoSPolicy stores a policy row; a second default of its project
// is QoSPolicyDefaultAlreadyExists.
func insertQoSPolicy(tx *db.Tx, p *qosPolicy) error {
	_, err := tx.Exec(`INSERT INTO network_qos_policies (`+qosPolicyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ProjectID, p.Name, p.Std.Description, p.Shared, p.IsDefault, p.Std.CreatedAt, p.Std.UpdatedAt, p.Std.Revision)
	if errors.Is(err, db.ErrConflict) {
		return neutronerr.QoSPolicyDefaultAlreadyExists(p.ProjectID)
	}
	return err
}

// saveQoSPolicy writes a policy's mutable columns.
func saveQoSPolicy(tx *db.Tx, p *qosPolicy) error {
	_, err := tx.Exec(`UPDATE network_qos_policies SET name = ?, description = ?, shared = ?, is_default = ?,
		updated_at = ?, revision_number = ? WHERE id = ?`, p.Name, p.Std.Description, p.Shared, p.IsDefault,
		p.Std.UpdatedAt, p.Std.Revision, p.ID)
	if errors.Is(err, db.ErrConflict) {
		return neutronerr.QoSPolicyDefaultAlreadyExists(p.ProjectID)
	}
	return err
}

// defaultQoSPolicyID is a project's default policy, "" when none.
func defaultQoSPolicyID(tx *db.Tx, project string) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT id FROM network_qos_policies WHERE project_id = ? AND is_default = TRUE`, project).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// qosPolicyUser is the first port, else network, bound to a policy
// (QosPolicy.delete's order); "" when none.
func qosPolicyUser(tx *db.Tx, id string) (kind, objectID string, err error) {
	for _, b := range []struct{ kind, table, col string }{
		{"port", "network_qos_port_bindings", "port_id"},
		{"network", "network_qos_network_bindings", "network_id"},
	} {
		err := tx.QueryRow(`SELECT `+b.col+` FROM `+b.table+` WHERE policy_id = ? ORDER BY `+b.col+` LIMIT 1`, id).Scan(&objectID)
		if err == nil {
			return b.kind, objectID, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", "", err
		}
	}
	return "", "", nil
}

// removeQoSPolicy deletes a policy no network or port uses, with its
// rules and tags.
func removeQoSPolicy(tx *db.Tx, id string) error {
	kind, user, err := qosPolicyUser(tx, id)
	if err != nil {
		return err
	}
	if kind != "" {
		return neutronerr.QosPolicyInUse(id, kind, user)
	}
	if err := deleteTags(tx, "policies", id); err != nil {
		return err
	}
	if err := deleteObjectRBAC(tx, "qos_policy", id, "", ""); err != nil {
		return err
	}
	_, err = tx.Exec(`DELETE FROM network_qos_policies WHERE id = ?`, id)
	if errors.Is(err, db.ErrReference) {
		return neutronerr.QosPolicyInUse(id, "network", "")
	}
	return err
}

// bumpQoSPolicy adds one to a policy's revision (a rule changed).
func (s *Service) bumpQoSPolicy(tx *db.Tx, p *qosPolicy) error {
	p.Std.Revision++
	p.Std.UpdatedAt = micros(s.now())
	_, err := tx.Exec(`UPDATE network_qos_policies SET revision_number = ?, updated_at = ? WHERE id = ?`,
		p.Std.Revision, p.Std.UpdatedAt, p.ID)
	return err
}

const qosRuleCols = `id, qos_policy_id, rule_type, direction, max_kbps, max_burst_kbps, min_kbps, dscp_mark, created_at`

func scanQoSRule(sc interface{ Scan(...any) error }) (*qosRule, error) {
	r := &qosRule{}
	var maxKbps, maxBurst, minKbps, dscp sql.NullInt64
	err := sc.Scan(&r.ID, &r.PolicyID, &r.Type, &r.Direction, &maxKbps, &maxBurst, &minKbps, &dscp, &r.CreatedAt)
	r.MaxKbps, r.MaxBurst, r.MinKbps, r.DSCPMark = maxKbps.Int64, maxBurst.Int64, minKbps.Int64, dscp.Int64
	return r, err
}

// getQoSRule reads a rule of a type by id (the alias API's lookup).
func getQoSRule(tx *db.Tx, id, ruleType string) (*qosRule, error) {
	r, err := scanQoSRule(tx.QueryRow(`SELECT `+qosRuleCols+` FROM network_qos_rules WHERE id = ? AND rule_type = ?`, id, ruleType))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, neutronerr.QosRuleNotFound("", id)
	}
	return r, err
}

// ruleValues are the value columns of a rule, NULL where its type has none.
func ruleValues(r *qosRule) []any {
	switch r.Type {
	case "bandwidth_limit":
		return []any{r.MaxKbps, r.MaxBurst, nil, nil}
	case "dscp_marking":
		return []any{nil, nil, nil, r.DSCPMark}
	}
	return []any{nil, nil, r.MinKbps, nil}
}

// insertQoSRule stores a rule.
func insertQoSRule(tx *db.Tx, r *qosRule) error {
	args := append([]any{r.ID, r.PolicyID, r.Type, r.Direction}, ruleValues(r)...)
	_, err := tx.Exec(`INSERT INTO network_qos_rules (`+qosRuleCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append(args, r.CreatedAt)...)
	return err
}

// saveQoSRule writes a rule's values.
func saveQoSRule(tx *db.Tx, r *qosRule) error {
	args := append([]any{r.Direction}, ruleValues(r)...)
	_, err := tx.Exec(`UPDATE network_qos_rules SET direction = ?, max_kbps = ?, max_burst_kbps = ?, min_kbps = ?,
		dscp_mark = ? WHERE id = ?`, append(args, r.ID)...)
	return err
}

// removeQoSRule deletes a rule.
func removeQoSRule(tx *db.Tx, id string) error {
	_, err := tx.Exec(`DELETE FROM network_qos_rules WHERE id = ?`, id)
	return err
}
