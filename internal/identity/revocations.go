package identity

import (
	"time"

	"github.com/monostack/monostack/internal/db"
)

// revocation describes the tokens to revoke: those issued until now that
// match every field set.
type revocation struct {
	UserID    string
	ProjectID string
	DomainID  string
	TrustID   string
	AuditID   string
}

// revoke records a revocation event. Events outlive every token they can
// match by one token lifetime and are then pruned.
func (s *Service) revoke(tx *db.Tx, rv revocation) error {
	now := s.now()
	_, err := tx.Exec(`INSERT INTO identity_revocations (id, user_id, project_id, domain_id, trust_id, audit_id, issued_before, expires_at, revoked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.newID(), nullString(rv.UserID), nullString(rv.ProjectID), nullString(rv.DomainID),
		nullString(rv.TrustID), nullString(rv.AuditID), now.UnixMicro(), now.Add(s.opts.TokenExpiration).UnixMicro(), now.UnixMicro())
	if err != nil {
		return err
	}
	_, err = tx.Exec("DELETE FROM identity_revocations WHERE expires_at < ?", now.Add(-s.opts.TokenExpiration).UnixMicro())
	return err
}

// tokenFacts are the attributes of a token revocation events match on.
type tokenFacts struct {
	UserIDs   []string // the user, and a trust's trustor
	ProjectID string
	DomainIDs []string // the user's domain, and the scoped project's or domain's
	TrustID   string
	AuditIDs  []string
	IssuedAt  int64
	// ValidUntil is the earliest expiry of the token and its delegation.
	ValidUntil time.Time
}

// expiresBy lowers ValidUntil to t when t is set and earlier.
func (f *tokenFacts) expiresBy(t *time.Time) {
	if t != nil && t.Before(f.ValidUntil) {
		f.ValidUntil = *t
	}
}

// isRevoked reports whether a revocation event matches the token.
func isRevoked(tx *db.Tx, f tokenFacts) (bool, error) {
	users := padArgs(f.UserIDs, 2)
	domains := padArgs(f.DomainIDs, 2)
	audits := padArgs(f.AuditIDs, 2)
	args := []any{f.IssuedAt}
	args = append(args, users...)
	args = append(args, f.ProjectID)
	args = append(args, domains...)
	args = append(args, f.TrustID)
	args = append(args, audits...)
	return tx.Exists(`SELECT 1 FROM identity_revocations WHERE issued_before >= ?
		AND (user_id IS NULL OR user_id IN (?, ?))
		AND (project_id IS NULL OR project_id = ?)
		AND (domain_id IS NULL OR domain_id IN (?, ?))
		AND (trust_id IS NULL OR trust_id = ?)
		AND (audit_id IS NULL OR audit_id IN (?, ?))`, args...)
}

// padArgs returns exactly n query arguments from vs, repeating the last
// (or using "" for none) so fixed IN lists can be used.
func padArgs(vs []string, n int) []any {
	out := make([]any, n)
	for i := range n {
		switch {
		case i < len(vs):
			out[i] = vs[i]
		case len(vs) > 0:
			out[i] = vs[len(vs)-1]
		default:
			out[i] = ""
		}
	}
	return out
}
