package identity

import (
	"encoding/json"

	"github.com/monostack/monostack/internal/db"
)

// domainConfigRow is one stored option of a domain's configuration.
type domainConfigRow struct {
	Group, Option string
	Value         json.RawMessage // compact JSON
	Sensitive     bool
}

// listDomainConfigRows loads a domain's options, narrowed to a group and an
// option when they are not "", with or without the sensitive ones.
func listDomainConfigRows(tx *db.Tx, domainID, group, option string, withSensitive bool) ([]domainConfigRow, error) {
	q := db.NewQuery("SELECT group_name, option_name, value, sensitive FROM identity_domain_configs").
		Where("domain_id = ?", domainID)
	if group != "" {
		q.Where("group_name = ?", group)
	}
	if option != "" {
		q.Where("option_name = ?", option)
	}
	if !withSensitive {
		q.Where("sensitive = ?", false)
	}
	sqlText, args := q.OrderBy("group_name", "option_name").SQL()
	rows, err := tx.Query(sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domainConfigRow
	for rows.Next() {
		var c domainConfigRow
		var value string
		if err := rows.Scan(&c.Group, &c.Option, &value, &c.Sensitive); err != nil {
			return nil, err
		}
		c.Value = json.RawMessage(value)
		out = append(out, c)
	}
	return out, rows.Err()
}

// putDomainConfigRow stores one option, replacing its previous value.
func putDomainConfigRow(tx *db.Tx, domainID string, c domainConfigRow) error {
	if err := deleteDomainConfigRows(tx, domainID, c.Group, c.Option); err != nil {
		return err
	}
	_, err := tx.Exec("INSERT INTO identity_domain_configs (domain_id, group_name, option_name, value, sensitive) VALUES (?, ?, ?, ?, ?)",
		domainID, c.Group, c.Option, string(c.Value), c.Sensitive)
	return err
}

// deleteDomainConfigRows removes a domain's options: all of them, a group's, or
// one option.
func deleteDomainConfigRows(tx *db.Tx, domainID, group, option string) error {
	switch {
	case option != "":
		_, err := tx.Exec("DELETE FROM identity_domain_configs WHERE domain_id = ? AND group_name = ? AND option_name = ?", domainID, group, option)
		return err
	case group != "":
		_, err := tx.Exec("DELETE FROM identity_domain_configs WHERE domain_id = ? AND group_name = ?", domainID, group)
		return err
	}
	_, err := tx.Exec("DELETE FROM identity_domain_configs WHERE domain_id = ?", domainID)
	return err
}
