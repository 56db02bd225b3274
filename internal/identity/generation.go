package identity

import (
	"context"
	"sync"
	"time"

	"github.com/monostack/monostack/internal/db"
)

// store is the service's database: every write that changes a row also
// increments the identity generation, which the token cache checks, and
// forgets the generation this process remembers.
type store struct {
	*db.DB
	gen *knownGeneration
}

// Write runs fn in a read-write transaction that also bumps the
// generation when fn changed anything.
func (st store) Write(ctx context.Context, fn func(*db.Tx) error) error {
	changed := false
	err := st.DB.Write(ctx, func(tx *db.Tx) error {
		if err := fn(tx); err != nil || !tx.Changed() {
			return err
		}
		changed = true
		_, err := tx.Exec("UPDATE identity_generation SET generation = generation + 1 WHERE id = 1")
		return err
	})
	if changed {
		st.gen.forget()
	}
	return err
}

// generationTTL is how long a generation read from the database is
// trusted without reading it again: the longest a change made through a
// peer controller sharing the database can go unseen here (ADR 0005).
// Changes made through this process are seen at once.
const generationTTL = time.Second

// knownGeneration is the identity generation as last read, while fresh.
type knownGeneration struct {
	mu     sync.Mutex
	value  int64
	readAt time.Time
	valid  bool
	epoch  uint64 // bumped by forget, so a read that raced a write is not kept
}

// get returns the remembered generation if it was read within the TTL.
func (k *knownGeneration) get(now time.Time) (int64, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.valid || now.Sub(k.readAt) >= generationTTL || now.Before(k.readAt) {
		return 0, false
	}
	return k.value, true
}

// begin returns the epoch to hand to remember after a database read.
func (k *knownGeneration) begin() uint64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.epoch
}

// remember keeps a generation read at now unless a local write happened
// since epoch.
func (k *knownGeneration) remember(epoch uint64, value int64, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if epoch == k.epoch {
		k.value, k.readAt, k.valid = value, now, true
	}
}

// forget drops the remembered generation after a local write.
func (k *knownGeneration) forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.epoch++
	k.valid = false
}

// generation reads the identity generation.
func generation(tx *db.Tx) (int64, error) {
	var g int64
	err := tx.QueryRow("SELECT generation FROM identity_generation WHERE id = 1").Scan(&g)
	return g, err
}
