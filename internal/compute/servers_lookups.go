package compute

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// Lookups the servers API needs from areas that did not define them yet
// (aggregates: infra; quotas: resources). Each is a placeholder with
// Nova's default behaviour; its owner deletes the var here and defines a
// function with the same name and signature.

// checkMetadataQuota refuses more metadata items than metadata_items.
func checkMetadataQuota(tx *db.Tx, projectID string, n int) error {
	limit, err := quotaLimit(tx, projectID, "metadata_items")
	if err != nil {
		return err
	}
	if limit >= 0 && n > limit {
		return errs.Forbiddenf("Maximum number of metadata items exceeds %d", limit)
	}
	return nil
}
