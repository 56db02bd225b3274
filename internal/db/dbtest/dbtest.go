// Package dbtest opens a migrated, empty database for a test: SQLite in the
// test's temporary directory, or, when MONOSTACK_TEST_POSTGRES holds a
// postgres:// DSN, a fresh PostgreSQL database that is dropped afterwards.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/monostack/monostack/internal/db"
)

// EnvPostgres names the variable that switches tests to PostgreSQL.
const EnvPostgres = "MONOSTACK_TEST_POSTGRES"

// Open returns a migrated database that lives as long as the test.
func Open(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	dsn := ""
	if admin := os.Getenv(EnvPostgres); admin != "" {
		dsn = createPostgres(t, admin)
	}
	d, err := db.Open(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return d
}

// DSN returns the DSN a process under test should use: "" (SQLite in its
// state directory) or a fresh PostgreSQL database dropped after the test.
func DSN(t testing.TB) string {
	t.Helper()
	if admin := os.Getenv(EnvPostgres); admin != "" {
		return createPostgres(t, admin)
	}
	return ""
}

func createPostgres(t testing.TB, admin string) string {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "monostack_test_" + hex.EncodeToString(b[:])
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	if _, err := conn.Exec("CREATE DATABASE " + name); err != nil {
		conn.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		conn.Close()
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("postgres DSN: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
