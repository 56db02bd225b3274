package identity

import (
	"context"

	"github.com/monostack/monostack/internal/db"
)

// store is the service's database: every write that changes a row also
// increments the identity generation, which the token cache checks.
type store struct{ *db.DB }

// Write runs fn in a read-write transaction that also bumps the
// generation when fn changed anything.
func (st store) Write(ctx context.Context, fn func(*db.Tx) error) error {
	return st.DB.Write(ctx, func(tx *db.Tx) error {
		if err := fn(tx); err != nil || !tx.Changed() {
			return err
		}
		_, err := tx.Exec("UPDATE identity_generation SET generation = generation + 1 WHERE id = 1")
		return err
	})
}

// generation reads the identity generation.
func generation(tx *db.Tx) (int64, error) {
	var g int64
	err := tx.QueryRow("SELECT generation FROM identity_generation WHERE id = 1").Scan(&g)
	return g, err
}
