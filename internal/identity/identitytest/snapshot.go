package identitytest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/db"
)

// unsnapshotted are tables whose changes are bookkeeping, not data.
var unsnapshotted = map[string]bool{"schema_migrations": true, "identity_generation": true}

// tables lists the database's tables, sorted.
func tables(tx *db.Tx) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if tx.Dialect() == db.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	rows, err := tx.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if !unsnapshotted[name] {
			out = append(out, name)
		}
	}
	return out, rows.Err()
}

// Snapshot dumps every table of the database (identity's and those of the
// services sharing it) in a canonical order, so a test can check that a
// refused request changed nothing.
func (e *Env) Snapshot(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	err := e.DB.Read(context.Background(), func(tx *db.Tx) error {
		names, err := tables(tx)
		if err != nil {
			return err
		}
		for _, table := range names {
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
