package db

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the statement cache; queries beyond it (say,
// IN lists of many lengths) are simply parsed per call.
const maxCachedStatements = 512

// stmtCache keeps one prepared statement per query text and pool. Entries
// are never evicted, so a statement is never closed under a running
// transaction.
type stmtCache struct {
	mu    sync.RWMutex
	stmts map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	pool *sql.DB
	q    string
}

// lookup returns the cached statement for q on pool, or nil.
func (c *stmtCache) lookup(pool *sql.DB, q string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[stmtKey{pool, q}]
}

// prepare caches q on pool. It must run with no transaction of the caller
// open: SQLite's writer pool has one connection, and preparing while a
// transaction holds it would wait forever.
func (c *stmtCache) prepare(ctx context.Context, pool *sql.DB, q string, rebind func(string) string) {
	k := stmtKey{pool, q}
	c.mu.RLock()
	_, ok := c.stmts[k]
	n := len(c.stmts)
	c.mu.RUnlock()
	if ok || n >= maxCachedStatements {
		return
	}
	st, err := pool.PrepareContext(ctx, rebind(q))
	if err != nil {
		return // the uncached path already reported the error
	}
	c.mu.Lock()
	if _, ok := c.stmts[k]; ok {
		c.mu.Unlock()
		// Closed outside the lock: Close waits for the statement's
		// connections, whose transactions may be waiting for the lock.
		st.Close()
		return
	}
	if c.stmts == nil {
		c.stmts = map[stmtKey]*sql.Stmt{}
	}
	c.stmts[k] = st
	c.mu.Unlock()
}

// close releases every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}
