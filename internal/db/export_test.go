package db

// CachedStatements reports how many prepared statements d holds.
func (d *DB) CachedStatements() int {
	d.stmts.mu.RLock()
	defer d.stmts.mu.RUnlock()
	return len(d.stmts.stmts)
}

// Commits reports how many batches SQLite's writer has committed.
func (d *DB) Commits() int64 { return d.batch.commits.Load() }

// QueuedWrites reports how many write transactions wait for the writer.
func (d *DB) QueuedWrites() int { return len(d.batch.queue) }
