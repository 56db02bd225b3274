// Package db opens the database by DSN (embedded SQLite by default,
// PostgreSQL by postgres:// DSN), runs work in transactions, maps constraint
// violations to typed errors and applies the numbered, append-only
// migrations in migrations/ on both engines. Queries are written with `?`
// placeholders and rebound for PostgreSQL.
package db
