package identity

import (
	"database/sql"
	"errors"
	"time"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// appCred is a row of identity_app_creds with its roles and access rules.
type appCred struct {
	ID           string
	Name         string
	Description  *string
	SecretHash   string
	UserID       string
	ProjectID    string
	ExpiresAt    *time.Time
	Unrestricted bool
	CreatedAt    time.Time
	RoleIDs      []string
	AccessRules  []auth.AccessRule
}

const appCredColumns = "id, name, description, secret_hash, user_id, project_id, expires_at, unrestricted, created_at"

func scanAppCred(sc interface{ Scan(...any) error }) (*appCred, error) {
	var a appCred
	var desc, project sql.NullString
	var expires sql.NullInt64
	var created int64
	if err := sc.Scan(&a.ID, &a.Name, &desc, &a.SecretHash, &a.UserID, &project, &expires, &a.Unrestricted, &created); err != nil {
		return nil, err
	}
	if desc.Valid {
		a.Description = &desc.String
	}
	a.ProjectID = project.String
	a.ExpiresAt = microTime(expires)
	a.CreatedAt = time.UnixMicro(created).UTC()
	return &a, nil
}

// getAppCred loads an application credential with its roles and rules.
func getAppCred(tx *db.Tx, id string) (*appCred, error) {
	a, err := scanAppCred(tx.QueryRow("SELECT "+appCredColumns+" FROM identity_app_creds WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find Application Credential: %s.", id)
	}
	if err != nil {
		return nil, err
	}
	return a, loadAppCredDetails(tx, a)
}

// getAppCredByName loads a user's application credential by name.
func getAppCredByName(tx *db.Tx, userID, name string) (*appCred, error) {
	a, err := scanAppCred(tx.QueryRow("SELECT "+appCredColumns+" FROM identity_app_creds WHERE user_id = ? AND name = ?", userID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find Application Credential: %s.", name)
	}
	if err != nil {
		return nil, err
	}
	return a, loadAppCredDetails(tx, a)
}

func loadAppCredDetails(tx *db.Tx, a *appCred) error {
	var err error
	if a.RoleIDs, err = tx.Strings("SELECT role_id FROM identity_app_cred_roles WHERE app_cred_id = ? ORDER BY role_id", a.ID); err != nil {
		return err
	}
	rows, err := tx.Query(`SELECT r.id, r.service, r.method, r.path FROM identity_access_rules r
		JOIN identity_app_cred_access_rules l ON l.access_rule_id = r.id WHERE l.app_cred_id = ? ORDER BY r.id`, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ar auth.AccessRule
		if err := rows.Scan(&ar.ID, &ar.Service, &ar.Method, &ar.Path); err != nil {
			return err
		}
		a.AccessRules = append(a.AccessRules, ar)
	}
	return rows.Err()
}

// trust is a row of identity_trusts with its roles.
type trust struct {
	ID                 string
	TrustorUserID      string
	TrusteeUserID      string
	ProjectID          string
	Impersonation      bool
	ExpiresAt          *time.Time
	RemainingUses      *int
	RedelegatedTrustID string
	RedelegationCount  *int
	DeletedAt          *time.Time
	Extra              map[string]any
	RoleIDs            []string
}

const trustColumns = "id, trustor_user_id, trustee_user_id, project_id, impersonation, expires_at, remaining_uses, redelegated_trust_id, redelegation_count, deleted_at, extra"

func scanTrust(sc interface{ Scan(...any) error }) (*trust, error) {
	var t trust
	var project, redel sql.NullString
	var expires, deleted sql.NullInt64
	var uses, count sql.NullInt64
	var extra string
	if err := sc.Scan(&t.ID, &t.TrustorUserID, &t.TrusteeUserID, &project, &t.Impersonation, &expires, &uses, &redel, &count, &deleted, &extra); err != nil {
		return nil, err
	}
	t.ProjectID, t.RedelegatedTrustID = project.String, redel.String
	t.ExpiresAt, t.DeletedAt = microTime(expires), microTime(deleted)
	if uses.Valid {
		n := int(uses.Int64)
		t.RemainingUses = &n
	}
	if count.Valid {
		n := int(count.Int64)
		t.RedelegationCount = &n
	}
	t.Extra = unmarshalExtra(extra)
	return &t, nil
}

// getTrust loads a live (not deleted) trust with its roles.
func getTrust(tx *db.Tx, id string) (*trust, error) {
	t, err := scanTrust(tx.QueryRow("SELECT "+trustColumns+" FROM identity_trusts WHERE id = ? AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find trust: %s.", id)
	}
	if err != nil {
		return nil, err
	}
	t.RoleIDs, err = tx.Strings("SELECT role_id FROM identity_trust_roles WHERE trust_id = ? ORDER BY role_id", id)
	return t, err
}
