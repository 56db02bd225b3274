package compute

import (
	"database/sql"
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// keypair is a compute_keypairs row; names are unique per user.
type keypair struct {
	ID          int64
	UserID      string
	Name        string
	Type        string // "ssh" or "x509"
	Fingerprint string
	PublicKey   string
	CreatedAt   int64
	PrivateKey  string // only when just generated; never stored
}

const keypairColumns = `id, user_id, name, type, fingerprint, public_key, created_at`

func scanKeypair(sc interface{ Scan(...any) error }) (*keypair, error) {
	k := &keypair{}
	err := sc.Scan(&k.ID, &k.UserID, &k.Name, &k.Type, &k.Fingerprint, &k.PublicKey, &k.CreatedAt)
	return k, err
}

// keypairNotFound is Nova's KeypairNotFound.
func keypairNotFound(userID, name string) error {
	return errs.NotFoundf("Keypair %s not found for user %s", name, userID)
}

// loadKeypair loads a user's keypair by name.
func loadKeypair(tx *db.Tx, userID, name string) (*keypair, error) {
	k, err := scanKeypair(tx.QueryRow(`SELECT `+keypairColumns+` FROM compute_keypairs WHERE user_id = ? AND name = ?`, userID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, keypairNotFound(userID, name)
	}
	return k, err
}

// listKeypairs returns a user's keypairs by name, after marker, at most
// limit (0: all).
func listKeypairs(tx *db.Tx, userID string, marker *string, limit int) ([]*keypair, error) {
	q := db.NewQuery(`SELECT `+keypairColumns+` FROM compute_keypairs`).Where("user_id = ?", userID).
		OrderBy("name").Limit(limit)
	if marker != nil {
		ok, err := tx.Exists(`SELECT 1 FROM compute_keypairs WHERE user_id = ? AND name = ?`, userID, *marker)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.BadRequestf("Marker %s could not be found.", *marker)
		}
		q.Where("name > ?", *marker)
	}
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*keypair
	for rows.Next() {
		k, err := scanKeypair(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// insertKeypair stores a keypair; a taken name is Nova's KeyPairExists.
func insertKeypair(tx *db.Tx, k *keypair) error {
	taken, err := tx.Exists(`SELECT 1 FROM compute_keypairs WHERE user_id = ? AND name = ?`, k.UserID, k.Name)
	if err != nil {
		return err
	}
	if taken {
		return errs.Conflictf("Key pair '%s' already exists.", k.Name)
	}
	if k.ID, err = nextCounter(tx, "keypair"); err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO compute_keypairs (`+keypairColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.UserID, k.Name, k.Type, k.Fingerprint, k.PublicKey, k.CreatedAt)
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Key pair '%s' already exists.", k.Name)
	}
	return err
}

// countKeypairs is a user's number of keypairs (the key_pairs usage).
func countKeypairs(tx *db.Tx, userID string) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM compute_keypairs WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}

// checkKeypairQuota refuses one more keypair past key_pairs (the user's
// limit in the caller's project, else the project's).
func checkKeypairQuota(tx *db.Tx, projectID, userID string) error {
	limits, err := userLimits(tx, projectID, userID)
	if err != nil {
		return err
	}
	n, err := countKeypairs(tx, userID)
	if err != nil {
		return err
	}
	if lim := limits["key_pairs"]; lim >= 0 && n+1 > lim {
		return errs.Forbiddenf("Quota exceeded, too many key pairs.")
	}
	return nil
}

// keypairForBoot loads a user's keypair public key by name (NotFound
// when missing; the servers API turns that into its 400).
func keypairForBoot(tx *db.Tx, userID, name string) (publicKey string, err error) {
	k, err := loadKeypair(tx, userID, name)
	if err != nil {
		return "", err
	}
	return k.PublicKey, nil
}
