package compute

import (
	"context"

	"github.com/monostack/monostack/internal/db"
)

// SetInstanceLifetime sets an instance's launch and termination times
// (Unix microseconds; terminated 0 means running) and, when terminated,
// soft-deletes it as Nova does.
func SetInstanceLifetime(d *db.DB, uuid string, launched, terminated int64) error {
	return d.Write(context.Background(), func(tx *db.Tx) error {
		var term *int64
		if terminated != 0 {
			term = &terminated
		}
		_, err := tx.Exec(`UPDATE compute_instances SET launched_at = ?, terminated_at = ?, deleted = ?, deleted_at = ?
			WHERE uuid = ?`, launched, term, term != nil, term, uuid)
		return err
	})
}

// FlavorByID is flavorByID in a read transaction.
func FlavorByID(d *db.DB, id string) (name string, vcpus int, err error) {
	err = d.Read(context.Background(), func(tx *db.Tx) error {
		f, err := flavorByID(tx, id)
		if err == nil {
			name, vcpus = f.Name, f.VCPUs
		}
		return err
	})
	return name, vcpus, err
}
