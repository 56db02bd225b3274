package placement

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// provider is a stored resource provider.
type provider struct {
	UUID       string
	Name       string
	Generation int
	Parent     *string
	Root       string
	Seq        int64
	Created    int64
	Updated    int64
}

const providerCols = "uuid, name, generation, parent_uuid, root_uuid, seq, created_at, updated_at"

type scanner interface{ Scan(...any) error }

func scanProvider(sc scanner) (*provider, error) {
	p := &provider{}
	var parent sql.NullString
	if err := sc.Scan(&p.UUID, &p.Name, &p.Generation, &parent, &p.Root, &p.Seq, &p.Created, &p.Updated); err != nil {
		return nil, err
	}
	if parent.Valid {
		p.Parent = &parent.String
	}
	return p, nil
}

// findProvider loads a provider, nil when there is none.
func findProvider(tx *db.Tx, uuid string) (*provider, error) {
	p, err := scanProvider(tx.QueryRow("SELECT "+providerCols+" FROM placement_providers WHERE uuid = ?", uuid))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// mustProvider loads a provider or fails with upstream's 404.
func mustProvider(tx *db.Tx, uuid string) (*provider, error) {
	p, err := findProvider(tx, uuid)
	if err == nil && p == nil {
		return nil, withCode(notFound(fmt.Sprintf("No resource provider with uuid %s found", uuid)), codeProviderNotFound)
	}
	return p, err
}

// queryProviders runs a SELECT of providerCols.
func queryProviders(tx *db.Tx, q string, args ...any) ([]*provider, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*provider
	for rows.Next() {
		p, err := scanProvider(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// insertProvider stores a new provider; a taken uuid or name is a 409.
func (s *Service) insertProvider(tx *db.Tx, p *provider) error {
	for _, c := range []struct{ col, val, label string }{{"uuid", p.UUID, "uuid"}, {"name", p.Name, "name"}} {
		taken, err := tx.Exists("SELECT 1 FROM placement_providers WHERE "+c.col+" = ?", c.val)
		if err != nil {
			return err
		}
		if taken {
			return conflict(fmt.Sprintf("Conflicting resource provider %s: %s already exists.", c.label, c.val), codeDuplicateName)
		}
	}
	var seq int64
	if err := tx.QueryRow("SELECT COALESCE(MAX(seq), 0) + 1 FROM placement_providers").Scan(&seq); err != nil {
		return err
	}
	now := s.now().UnixMicro()
	p.Seq, p.Created, p.Updated = seq, now, now
	_, err := tx.Exec("INSERT INTO placement_providers ("+providerCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		p.UUID, p.Name, p.Generation, p.Parent, p.Root, p.Seq, p.Created, p.Updated)
	if errors.Is(err, db.ErrConflict) {
		return conflict(fmt.Sprintf("Conflicting resource provider name: %s already exists.", p.Name), codeDuplicateName)
	}
	return err
}

// bumpGeneration increments p's generation if it still is p.Generation;
// otherwise another writer came first (409 concurrent update).
func (s *Service) bumpGeneration(tx *db.Tx, p *provider) error {
	n, err := tx.ExecAffected("UPDATE placement_providers SET generation = generation + 1, updated_at = ? WHERE uuid = ? AND generation = ?",
		s.now().UnixMicro(), p.UUID, p.Generation)
	if err != nil {
		return err
	}
	if n == 0 {
		return concurrentUpdate("Another thread concurrently updated the resource provider data. Please retry your update")
	}
	p.Generation++
	return nil
}

// lockProviders increments the generation of each provider, in uuid order
// so that writers cannot deadlock; on PostgreSQL the row locks taken
// serialise every allocation writer on these providers until commit.
// It returns the providers as they are now.
func (s *Service) lockProviders(tx *db.Tx, uuids []string) (map[string]*provider, error) {
	sorted := slices.Clone(uuids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	out := make(map[string]*provider, len(sorted))
	now := s.now().UnixMicro()
	for _, u := range sorted {
		n, err := tx.ExecAffected("UPDATE placement_providers SET generation = generation + 1, updated_at = ? WHERE uuid = ?", now, u)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, errs.BadRequestf("%s", "Unable to allocate inventory: No such resource provider "+u+".")
		}
		p, err := mustProvider(tx, u)
		if err != nil {
			return nil, err
		}
		out[u] = p
	}
	return out, nil
}

// hasChildren says whether a provider is another's parent.
func hasChildren(tx *db.Tx, uuid string) (bool, error) {
	return tx.Exists("SELECT 1 FROM placement_providers WHERE parent_uuid = ?", uuid)
}

// deleteProvider removes a provider with no allocations and no children.
func deleteProviderRow(tx *db.Tx, uuid string) error {
	inUse, err := tx.Exists("SELECT 1 FROM placement_allocations WHERE provider_uuid = ?", uuid)
	if err != nil {
		return err
	}
	if inUse {
		return conflict("Unable to delete resource provider "+uuid+": Resource provider has allocations.", codeProviderInUse)
	}
	parent, err := hasChildren(tx, uuid)
	if err != nil {
		return err
	}
	if parent {
		return conflict("Unable to delete parent resource provider "+uuid+": It has child resource providers.", codeCannotDelParent)
	}
	_, err = tx.Exec("DELETE FROM placement_providers WHERE uuid = ?", uuid)
	return err
}
