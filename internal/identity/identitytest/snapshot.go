package identitytest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/db"
)

// identityTables are the tables Snapshot dumps.
var identityTables = []string{
	"identity_projects", "identity_project_tags", "identity_users", "identity_passwords", "identity_groups",
	"identity_group_members", "identity_roles", "identity_implied_roles", "identity_assignments", "identity_regions",
	"identity_services", "identity_endpoints", "identity_app_creds", "identity_app_cred_roles", "identity_access_rules",
	"identity_app_cred_access_rules", "identity_credentials", "identity_trusts", "identity_trust_roles",
	"identity_revocations", "identity_policies", "identity_endpoint_groups", "identity_project_endpoint_groups",
	"identity_project_endpoints", "identity_domain_configs",
}

// Snapshot dumps every identity table in a canonical order, so a test can
// check that a refused request changed nothing.
func (e *Env) Snapshot(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	err := e.DB.Read(context.Background(), func(tx *db.Tx) error {
		for _, table := range identityTables {
			rows, err := tx.Query("SELECT * FROM " + table + " ORDER BY 1, 2")
			if err != nil {
				return err
			}
			cols, _ := rows.Columns()
			fmt.Fprintf(&b, "== %s %v\n", table, cols)
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				for _, v := range vals {
					if bs, ok := v.([]byte); ok {
						v = string(bs)
					}
					fmt.Fprintf(&b, "%v|", v)
				}
				b.WriteByte('\n')
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
