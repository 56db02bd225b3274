package identity

import (
	"database/sql"
	"errors"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// user is a row of identity_users with its current password's expiry.
type user struct {
	ID               string
	DomainID         string
	Name             string
	Enabled          bool
	DefaultProjectID string
	Description      *string
	Extra            map[string]any
	CreatedAt        time.Time
	FailedAuthCount  int
	FailedAuthAt     *time.Time

	HasPassword       bool
	PasswordExpiresAt *time.Time
}

const userColumns = "u.id, u.domain_id, u.name, u.enabled, u.default_project_id, u.description, u.extra, u.created_at, u.failed_auth_count, u.failed_auth_at, " +
	"p.id IS NOT NULL, p.expires_at"

// userFrom joins each user with its newest password.
const userFrom = " FROM identity_users u LEFT JOIN identity_passwords p ON p.id = (" +
	"SELECT p2.id FROM identity_passwords p2 WHERE p2.user_id = u.id ORDER BY p2.created_at DESC, p2.id DESC LIMIT 1)"

func scanUser(sc interface{ Scan(...any) error }) (*user, error) {
	var u user
	var def, desc sql.NullString
	var extra string
	var created int64
	var failedAt, expires sql.NullInt64
	if err := sc.Scan(&u.ID, &u.DomainID, &u.Name, &u.Enabled, &def, &desc, &extra, &created,
		&u.FailedAuthCount, &failedAt, &u.HasPassword, &expires); err != nil {
		return nil, err
	}
	u.DefaultProjectID = def.String
	if desc.Valid {
		u.Description = &desc.String
	}
	u.Extra = unmarshalExtra(extra)
	u.CreatedAt = time.UnixMicro(created).UTC()
	u.FailedAuthAt = microTime(failedAt)
	u.PasswordExpiresAt = microTime(expires)
	return &u, nil
}

func microTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMicro(v.Int64).UTC()
	return &t
}

func microOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

// getUser loads a user by id.
func getUser(tx *db.Tx, id string) (*user, error) {
	u, err := scanUser(tx.QueryRow("SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find user: %s.", id)
	}
	return u, err
}

// getUserByName loads a user by name within a domain.
func getUserByName(tx *db.Tx, domainID, name string) (*user, error) {
	u, err := scanUser(tx.QueryRow("SELECT "+userColumns+userFrom+" WHERE u.domain_id = ? AND u.name = ?", domainID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find user: %s.", name)
	}
	return u, err
}

func queryUsers(tx *db.Tx, q *db.Query) ([]*user, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*user
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func insertUser(tx *db.Tx, u *user) error {
	_, err := tx.Exec(`INSERT INTO identity_users (id, domain_id, name, enabled, default_project_id, description, extra, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.DomainID, u.Name, u.Enabled, nullString(u.DefaultProjectID), u.Description, marshalExtra(u.Extra), u.CreatedAt.UnixMicro())
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Conflict occurred attempting to store user - Duplicate entry found with name %s at domain ID %s.", u.Name, u.DomainID)
	}
	return err
}

func updateUserRow(tx *db.Tx, u *user) error {
	_, err := tx.Exec(`UPDATE identity_users SET name = ?, enabled = ?, default_project_id = ?, description = ?, extra = ? WHERE id = ?`,
		u.Name, u.Enabled, nullString(u.DefaultProjectID), u.Description, marshalExtra(u.Extra), u.ID)
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Conflict occurred attempting to store user - Duplicate entry found with name %s at domain ID %s.", u.Name, u.DomainID)
	}
	return err
}

// passwordRow is one stored password.
type passwordRow struct {
	Hash        string
	CreatedAt   time.Time
	SelfService bool
}

// recentPasswords lists a user's newest n passwords, newest first.
func recentPasswords(tx *db.Tx, userID string, n int) ([]passwordRow, error) {
	rows, err := tx.Query("SELECT hash, created_at, self_service FROM identity_passwords WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?", userID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passwordRow
	for rows.Next() {
		var p passwordRow
		var created int64
		if err := rows.Scan(&p.Hash, &created, &p.SelfService); err != nil {
			return nil, err
		}
		p.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

func insertPassword(tx *db.Tx, id, userID, hash string, created time.Time, expires *time.Time, selfService bool) error {
	_, err := tx.Exec("INSERT INTO identity_passwords (id, user_id, hash, created_at, expires_at, self_service) VALUES (?, ?, ?, ?, ?, ?)",
		id, userID, hash, created.UnixMicro(), microOrNil(expires), selfService)
	return err
}

// setFailedAuth records the failed-authentication counter.
func setFailedAuth(tx *db.Tx, userID string, count int, at *time.Time) error {
	_, err := tx.Exec("UPDATE identity_users SET failed_auth_count = ?, failed_auth_at = ? WHERE id = ?", count, microOrNil(at), userID)
	return err
}
