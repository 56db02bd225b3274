package identity

import (
	"crypto/sha1"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/fernet/fernet-go"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// credential is a row of identity_credentials; Blob is the decrypted blob
// once openCredential has run.
type credential struct {
	ID        string
	UserID    string
	ProjectID *string
	Type      string
	Blob      string
	Extra     map[string]any
	sealed    string // the blob as stored: a Fernet token
	keyHash   string // sha1 of the primary key that sealed it
}

const credentialColumns = "id, user_id, project_id, type, blob, key_hash, extra"

func scanCredential(sc interface{ Scan(...any) error }) (*credential, error) {
	var c credential
	var project sql.NullString
	var extra string
	if err := sc.Scan(&c.ID, &c.UserID, &project, &c.Type, &c.sealed, &c.keyHash, &extra); err != nil {
		return nil, err
	}
	if project.Valid {
		c.ProjectID = &project.String
	}
	c.Extra = unmarshalExtra(extra)
	return &c, nil
}

// getSealedCredential loads a credential without decrypting its blob.
func getSealedCredential(tx *db.Tx, id string) (*credential, error) {
	c, err := scanCredential(tx.QueryRow("SELECT "+credentialColumns+" FROM identity_credentials WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find credential: %s.", id)
	}
	return c, err
}

// getCredential loads a credential and decrypts its blob.
func (s *Service) getCredential(tx *db.Tx, id string) (*credential, error) {
	c, err := getSealedCredential(tx, id)
	if err != nil {
		return nil, err
	}
	return c, s.openCredential(c)
}

func querySealedCredentials(tx *db.Tx, q *db.Query) ([]*credential, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*credential
	for rows.Next() {
		c, err := scanCredential(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func projectIDOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// insertCredential stores a sealed credential.
func insertCredential(tx *db.Tx, c *credential) error {
	_, err := tx.Exec("INSERT INTO identity_credentials ("+credentialColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		c.ID, c.UserID, projectIDOrNil(c.ProjectID), c.Type, c.sealed, c.keyHash, marshalExtra(c.Extra))
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Conflict occurred attempting to store credential - Duplicate entry found with ID %s.", c.ID)
	}
	return err
}

// updateCredentialRow rewrites a sealed credential.
func updateCredentialRow(tx *db.Tx, c *credential) error {
	_, err := tx.Exec("UPDATE identity_credentials SET user_id = ?, project_id = ?, type = ?, blob = ?, key_hash = ?, extra = ? WHERE id = ?",
		c.UserID, projectIDOrNil(c.ProjectID), c.Type, c.sealed, c.keyHash, marshalExtra(c.Extra), c.ID)
	return err
}

func deleteCredentialRow(tx *db.Tx, id string) error {
	_, err := tx.Exec("DELETE FROM identity_credentials WHERE id = ?", id)
	return err
}

// sealCredential encrypts c.Blob with the primary credential key and
// records which key that was, as upstream's key_hash does.
func (s *Service) sealCredential(c *credential) error {
	primary := s.credKeys.Keys()[0]
	tok, err := fernet.EncryptAndSign([]byte(c.Blob), primary)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encrypt credential")
	}
	sum := sha1.Sum([]byte(primary.Encode()))
	c.sealed, c.keyHash = string(tok), hex.EncodeToString(sum[:])
	return nil
}

// openCredential decrypts c's blob with any active credential key.
func (s *Service) openCredential(c *credential) error {
	msg := s.credKeys.Decrypt([]byte(c.sealed))
	if msg == nil {
		return errs.New(errs.Internal, "Credential could not be decrypted. Please contact the administrator")
	}
	c.Blob = string(msg)
	return nil
}

// hashAccessKey is an EC2 credential's id: the sha256 of its access key.
func hashAccessKey(access string) string {
	sum := sha256.Sum256([]byte(access))
	return hex.EncodeToString(sum[:])
}
