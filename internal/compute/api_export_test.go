package compute

import (
	"context"

	"github.com/monostack/monostack/internal/db"
)

// SetTestInstance changes an instance row tests wrote: its power state
// and system metadata (nil keeps them).
func SetTestInstance(d *db.DB, uuid string, powerState *int, sysMeta map[string]string) error {
	return d.Write(context.Background(), func(tx *db.Tx) error {
		i, err := loadInstance(tx, uuid)
		if err != nil {
			return err
		}
		if powerState != nil {
			i.PowerState = *powerState
		}
		if sysMeta != nil {
			i.SystemMetadata = sysMeta
		}
		return saveInstance(tx, i, i.UpdatedAt)
	})
}

// SystemMetadataOf reads an instance's system metadata.
func SystemMetadataOf(d *db.DB, uuid string) (map[string]string, error) {
	var out map[string]string
	err := d.Read(context.Background(), func(tx *db.Tx) error {
		i, err := loadInstance(tx, uuid)
		if err == nil {
			out = i.SystemMetadata
		}
		return err
	})
	return out, err
}
