package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Tx is a transaction bound to its context; queries use `?` placeholders.
type Tx struct {
	ctx  context.Context
	tx   *sql.Tx
	db   *DB
	pool *sql.DB
	// missed are queries run uncached, prepared once the transaction ends.
	missed []string
	// changed is set once a statement has affected a row.
	changed  bool
	readOnly bool
}

// Context is the transaction's context.
func (t *Tx) Context() context.Context { return t.ctx }

// Dialect is the engine the transaction runs on.
func (t *Tx) Dialect() Dialect { return t.db.Dialect }

// Exec runs a statement; constraint violations come back as ErrConflict or
// ErrReference.
func (t *Tx) Exec(q string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := t.stmt(q); st != nil {
		res, err = st.ExecContext(t.ctx, args...)
	} else {
		res, err = t.tx.ExecContext(t.ctx, t.db.Rebind(q), args...)
	}
	if err != nil {
		return nil, classify(err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		t.changed = true
	}
	return res, nil
}

// Writable says whether the transaction may write.
func (t *Tx) Writable() bool { return !t.readOnly }

// Changed reports whether a statement of the transaction affected a row
// (or could not say).
func (t *Tx) Changed() bool { return t.changed }

// stmt returns the transaction's handle on the cached prepared statement
// for q, or nil when q is not cached yet. Preparing once per connection
// instead of parsing per call is most of SQLite's cost on small queries.
func (t *Tx) stmt(q string) *sql.Stmt {
	st := t.db.stmts.lookup(t.pool, q)
	if st == nil {
		t.missed = append(t.missed, q)
		return nil
	}
	return t.tx.StmtContext(t.ctx, st)
}

// prepareMissed caches the queries this transaction ran uncached.
func (t *Tx) prepareMissed() {
	for _, q := range t.missed {
		t.db.stmts.prepare(t.ctx, t.pool, q, t.db.Rebind)
	}
}

// ExecAffected runs a statement and returns the number of rows it changed.
func (t *Tx) ExecAffected(q string, args ...any) (int64, error) {
	res, err := t.Exec(q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Query runs a query.
func (t *Tx) Query(q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(q); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, t.db.Rebind(q), args...)
}

// QueryRow runs a query expected to return at most one row.
func (t *Tx) QueryRow(q string, args ...any) *sql.Row {
	if st := t.stmt(q); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, t.db.Rebind(q), args...)
}

// Exists reports whether the query returns a row.
func (t *Tx) Exists(q string, args ...any) (bool, error) {
	var one int
	err := t.QueryRow("SELECT 1 WHERE EXISTS ("+q+")", args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Write runs fn in a read-write transaction and returns once it is
// committed (fn returned nil) or undone. fn may run more than once: after
// a transient PostgreSQL conflict, or when an SQLite batch it shared could
// not commit; it must not keep effects outside the transaction.
func (d *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = d.runWrite(ctx, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

// runWrite runs one write attempt; on SQLite through the batching writer.
func (d *DB) runWrite(ctx context.Context, fn func(*Tx) error) error {
	if d.batch != nil {
		return d.batch.write(ctx, fn)
	}
	return d.run(ctx, d.write, false, fn)
}

// Read runs fn in a read-only transaction.
func (d *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return d.run(ctx, d.read, true, fn)
}

func (d *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) error {
	var opts *sql.TxOptions
	if readOnly && d.Dialect == Postgres {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{ctx: ctx, tx: stx, db: d, pool: pool, readOnly: readOnly}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return classify(fmt.Errorf("commit: %w", err))
	}
	tx.prepareMissed()
	return nil
}

// Strings runs a one-column query of strings; no rows is an empty slice.
func (t *Tx) Strings(q string, args ...any) ([]string, error) {
	rows, err := t.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
