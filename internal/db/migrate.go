package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema step. A file NNNN_name.sql runs on every
// engine; NNNN_name.sqlite.sql or NNNN_name.postgres.sql replace it on one.
type Migration struct {
	Version int
	Name    string
	SQL     map[Dialect]string
}

// Migrations lists the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*Migration{}
	for _, e := range entries {
		if err := addMigrationFile(byVersion, e.Name()); err != nil {
			return nil, err
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %04d is missing", i+1)
		}
	}
	return out, nil
}

func addMigrationFile(byVersion map[int]*Migration, file string) error {
	base := strings.TrimSuffix(file, ".sql")
	dialects := []Dialect{SQLite, Postgres}
	for _, d := range dialects {
		if strings.HasSuffix(base, "."+string(d)) {
			base = strings.TrimSuffix(base, "."+string(d))
			dialects = []Dialect{d}
		}
	}
	num, name, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil {
		return fmt.Errorf("migration file %s is not NNNN_name.sql", file)
	}
	body, err := migrationFiles.ReadFile(path.Join("migrations", file))
	if err != nil {
		return err
	}
	m := byVersion[v]
	if m == nil {
		m = &Migration{Version: v, Name: name, SQL: map[Dialect]string{}}
		byVersion[v] = m
	}
	for _, d := range dialects {
		if len(dialects) == 1 || m.SQL[d] == "" {
			m.SQL[d] = string(body)
		}
	}
	return nil
}

// Migrate applies every migration not yet recorded, each in its own
// transaction. On PostgreSQL an advisory lock keeps concurrent controllers
// from racing. It returns the versions it applied.
func (d *DB) Migrate(ctx context.Context) ([]int, error) {
	migrations, err := Migrations()
	if err != nil {
		return nil, err
	}
	var applied []int
	err = d.Write(ctx, func(tx *Tx) error {
		if d.Dialect == Postgres {
			if _, err := tx.Exec("SELECT pg_advisory_xact_lock(7263801)"); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
			return err
		}
		done, err := appliedVersions(tx)
		if err != nil {
			return err
		}
		for _, m := range migrations {
			if done[m.Version] {
				continue
			}
			if err := execScript(tx, m.SQL[d.Dialect]); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
			if _, err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, time.Now().UnixMicro()); err != nil {
				return err
			}
			applied = append(applied, m.Version)
		}
		return nil
	})
	return applied, err
}

// SchemaVersion is the highest applied migration, or 0.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := d.Read(ctx, func(tx *Tx) error {
		return tx.QueryRow("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	})
	return v, err
}

func appliedVersions(tx *Tx) (map[int]bool, error) {
	rows, err := tx.Query("SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}

// execScript runs a migration's statements one by one (split on ";" at line
// ends), since not every driver takes several statements in one Exec.
func execScript(tx *Tx, script string) error {
	for _, stmt := range splitStatements(script) {
		if _, err := tx.tx.ExecContext(tx.ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	return nil
}

func splitStatements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") || trimmed == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
