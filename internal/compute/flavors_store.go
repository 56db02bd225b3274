package compute

import (
	"database/sql"
	"errors"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// flavor is a compute_flavors row (Nova's Flavor object).
type flavor struct {
	ID          int64 // internal, creation order
	FlavorID    string
	Name        string
	MemoryMB    int
	VCPUs       int
	RootGB      int
	EphemeralGB int
	Swap        int
	RxtxFactor  float64
	VCPUWeight  *int
	Disabled    bool
	IsPublic    bool
	Description *string
	CreatedAt   int64
	UpdatedAt   *int64
	ExtraSpecs  map[string]string // loaded on demand
}

const flavorColumns = `id, flavorid, name, memory_mb, vcpus, root_gb, ephemeral_gb, swap, rxtx_factor,
	vcpu_weight, disabled, is_public, description, created_at, updated_at`

func scanFlavor(sc interface{ Scan(...any) error }) (*flavor, error) {
	f := &flavor{}
	var weight sql.NullInt64
	var desc sql.NullString
	var updated sql.NullInt64
	err := sc.Scan(&f.ID, &f.FlavorID, &f.Name, &f.MemoryMB, &f.VCPUs, &f.RootGB, &f.EphemeralGB, &f.Swap,
		&f.RxtxFactor, &weight, &f.Disabled, &f.IsPublic, &desc, &f.CreatedAt, &updated)
	if err != nil {
		return nil, err
	}
	if weight.Valid {
		f.VCPUWeight = ptr(int(weight.Int64))
	}
	if desc.Valid {
		f.Description = &desc.String
	}
	if updated.Valid {
		f.UpdatedAt = &updated.Int64
	}
	return f, nil
}

// flavorNotFound is Nova's FlavorNotFound.
func flavorNotFound(id string) error {
	return errs.NotFoundf("Flavor %s could not be found.", id)
}

// visibleFlavors restricts q to the flavors a caller sees: all for
// admins, else public ones and private ones granted to the project.
func visibleFlavors(q *db.Query, projectID string, admin bool) *db.Query {
	if admin {
		return q
	}
	return q.Where(`(is_public = TRUE OR EXISTS (SELECT 1 FROM compute_flavor_projects p
		WHERE p.flavor_id = compute_flavors.id AND p.project_id = ?))`, projectID)
}

// loadFlavor loads a flavor by its flavorid as the caller may see it,
// with its extra specs.
func loadFlavor(tx *db.Tx, flavorID, projectID string, admin bool) (*flavor, error) {
	q := visibleFlavors(db.NewQuery("SELECT "+flavorColumns+" FROM compute_flavors").
		Where("flavorid = ?", flavorID), projectID, admin)
	stmt, args := q.SQL()
	f, err := scanFlavor(tx.QueryRow(stmt, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, flavorNotFound(flavorID)
	}
	if err != nil {
		return nil, err
	}
	f.ExtraSpecs, err = loadExtraSpecs(tx, f.ID)
	return f, err
}

// loadExtraSpecs returns a flavor's extra specs.
func loadExtraSpecs(tx *db.Tx, id int64) (map[string]string, error) {
	rows, err := tx.Query(`SELECT key, value FROM compute_flavor_extra_specs WHERE flavor_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// fillExtraSpecs loads the extra specs of several flavors at once.
func fillExtraSpecs(tx *db.Tx, fs []*flavor) error {
	if len(fs) == 0 {
		return nil
	}
	byID := make(map[int64]*flavor, len(fs))
	args := make([]any, len(fs))
	for i, f := range fs {
		f.ExtraSpecs = map[string]string{}
		byID[f.ID] = f
		args[i] = f.ID
	}
	rows, err := tx.Query(`SELECT flavor_id, key, value FROM compute_flavor_extra_specs WHERE flavor_id IN (`+
		db.Placeholders(len(fs))+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k, v string
		if err := rows.Scan(&id, &k, &v); err != nil {
			return err
		}
		byID[id].ExtraSpecs[k] = v
	}
	return rows.Err()
}

// insertFlavor stores a new flavor; a taken flavorid or name is Nova's
// 409 (the id is checked first, as its unique index comes first).
func insertFlavor(tx *db.Tx, f *flavor) error {
	if taken, err := tx.Exists(`SELECT 1 FROM compute_flavors WHERE flavorid = ?`, f.FlavorID); err != nil || taken {
		if err == nil {
			err = errs.Conflictf("Flavor with ID %s already exists.", f.FlavorID)
		}
		return err
	}
	if taken, err := tx.Exists(`SELECT 1 FROM compute_flavors WHERE name = ?`, f.Name); err != nil || taken {
		if err == nil {
			err = errs.Conflictf("Flavor with name %s already exists.", f.Name)
		}
		return err
	}
	id, err := nextCounter(tx, "flavor")
	if err != nil {
		return err
	}
	f.ID = id
	_, err = tx.Exec(`INSERT INTO compute_flavors (`+flavorColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.FlavorID, f.Name, f.MemoryMB, f.VCPUs, f.RootGB, f.EphemeralGB, f.Swap, f.RxtxFactor,
		f.VCPUWeight, f.Disabled, f.IsPublic, f.Description, f.CreatedAt, f.UpdatedAt)
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("Flavor with name %s already exists.", f.Name)
	}
	return err
}

// flavorProjects lists the projects granted a private flavor.
func flavorProjects(tx *db.Tx, id int64) ([]string, error) {
	return tx.Strings(`SELECT project_id FROM compute_flavor_projects WHERE flavor_id = ? ORDER BY project_id`, id)
}

// snapshot is the copy of a flavor an instance keeps.
func (f *flavor) snapshot() *computerpc.Flavor {
	specs := make(map[string]string, len(f.ExtraSpecs))
	for k, v := range f.ExtraSpecs {
		specs[k] = v
	}
	return &computerpc.Flavor{ID: f.FlavorID, Name: f.Name, VCPUs: f.VCPUs, MemoryMB: f.MemoryMB,
		RootGB: f.RootGB, EphemeralGB: f.EphemeralGB, SwapMB: f.Swap, ExtraSpecs: specs}
}

// flavorForBoot loads a flavor the project may use, with its extra specs,
// as the snapshot an instance keeps. Nova: FlavorNotFound → 400 at boot
// (also for a disabled flavor).
func flavorForBoot(tx *db.Tx, flavorID, projectID string, admin bool) (*computerpc.Flavor, error) {
	f, err := loadFlavor(tx, flavorID, projectID, admin)
	if errs.Is(err, errs.NotFound) || (err == nil && f.Disabled) {
		return nil, errs.BadRequestf("Flavor %s could not be found.", flavorID)
	}
	if err != nil {
		return nil, err
	}
	return f.snapshot(), nil
}

// flavorByID loads any flavor (for resize and admin paths); a missing one
// is 404 FlavorNotFound.
func flavorByID(tx *db.Tx, flavorID string) (*computerpc.Flavor, error) {
	f, err := loadFlavor(tx, flavorID, "", true)
	if err != nil {
		return nil, err
	}
	return f.snapshot(), nil
}
