package db

// CachedStatements reports how many prepared statements d holds.
func (d *DB) CachedStatements() int {
	d.stmts.mu.RLock()
	defer d.stmts.mu.RUnlock()
	return len(d.stmts.stmts)
}
