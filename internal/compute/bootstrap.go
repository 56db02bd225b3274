package compute

import (
	"context"
	"fmt"

	"github.com/monostack/monostack/internal/db"
)

// defaultFlavors are the flavors DevStack creates (m1.*) and the two
// small ones its Tempest setup adds (m1.nano, m1.micro).
var defaultFlavors = []flavor{
	{FlavorID: "1", Name: "m1.tiny", VCPUs: 1, MemoryMB: 512, RootGB: 1},
	{FlavorID: "2", Name: "m1.small", VCPUs: 1, MemoryMB: 2048, RootGB: 20},
	{FlavorID: "3", Name: "m1.medium", VCPUs: 2, MemoryMB: 4096, RootGB: 40},
	{FlavorID: "4", Name: "m1.large", VCPUs: 4, MemoryMB: 8192, RootGB: 80},
	{FlavorID: "5", Name: "m1.xlarge", VCPUs: 8, MemoryMB: 16384, RootGB: 160},
	{FlavorID: "42", Name: "m1.nano", VCPUs: 1, MemoryMB: 128, RootGB: 1},
	{FlavorID: "84", Name: "m1.micro", VCPUs: 1, MemoryMB: 192, RootGB: 1},
}

// Bootstrap creates the default flavors that do not exist yet (by id or
// name) and records the configured quota defaults. Safe to run at every
// start.
func (s *Service) Bootstrap(ctx context.Context) error {
	now := s.now().UnixMicro()
	return s.db.Write(ctx, func(tx *db.Tx) error {
		if err := s.storeQuotaDefaults(tx); err != nil {
			return err
		}
		for _, d := range defaultFlavors {
			taken, err := tx.Exists(`SELECT 1 FROM compute_flavors WHERE flavorid = ? OR name = ?`, d.FlavorID, d.Name)
			if err != nil || taken {
				if err != nil {
					return err
				}
				continue
			}
			f := d
			f.RxtxFactor, f.IsPublic, f.CreatedAt = 1.0, true, now
			if err := insertFlavor(tx, &f); err != nil {
				return fmt.Errorf("default flavor %s: %w", f.Name, err)
			}
		}
		return nil
	})
}

// storeQuotaDefaults replaces the recorded [quota] defaults with the
// configured ones (Options.QuotaDefaults).
func (s *Service) storeQuotaDefaults(tx *db.Tx) error {
	if _, err := tx.Exec(`DELETE FROM compute_quota_defaults`); err != nil {
		return err
	}
	for _, res := range quotaResources {
		v, ok := s.opts.QuotaDefaults[res]
		if !ok {
			continue
		}
		if _, err := tx.Exec(`INSERT INTO compute_quota_defaults (resource, hard_limit) VALUES (?, ?)`, res, v); err != nil {
			return err
		}
	}
	return nil
}
