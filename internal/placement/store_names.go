package placement

import (
	"regexp"
	"slices"

	"github.com/monostack/monostack/internal/db"
)

// namePattern is placement's pattern of resource class and trait names.
var (
	namePattern   = regexp.MustCompile(`^[A-Z0-9_]+$`)
	customPattern = regexp.MustCompile(`^CUSTOM_[A-Z0-9_]+$`)
)

var (
	standardClassSet = toSet(standardClasses)
	standardTraitSet = toSet(standardTraits)
)

func toSet(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// classExists says whether rc is a standard or a stored custom class.
func classExists(tx *db.Tx, rc string) (bool, error) {
	if standardClassSet[rc] {
		return true, nil
	}
	return tx.Exists("SELECT 1 FROM placement_custom_classes WHERE name = ?", rc)
}

// customClasses lists the stored custom classes.
func customClasses(tx *db.Tx) ([]string, error) {
	return tx.Strings("SELECT name FROM placement_custom_classes ORDER BY name")
}

// traitExists says whether a trait is standard or a stored custom one.
func traitExists(tx *db.Tx, name string) (bool, error) {
	if standardTraitSet[name] {
		return true, nil
	}
	return tx.Exists("SELECT 1 FROM placement_custom_traits WHERE name = ?", name)
}

// missingTraits are the names among names that are no trait, sorted.
func missingTraits(tx *db.Tx, names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		ok, err := traitExists(tx, n)
		if err != nil {
			return nil, err
		}
		if !ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ensureCustomTrait stores a CUSTOM_ trait unless it exists.
func (s *Service) ensureCustomTrait(tx *db.Tx, name string) error {
	_, err := tx.Exec("INSERT INTO placement_custom_traits (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
		name, s.now().UnixMicro())
	return err
}

// providerTraits lists a provider's traits, sorted.
func providerTraits(tx *db.Tx, rp string) ([]string, error) {
	return tx.Strings("SELECT trait FROM placement_provider_traits WHERE provider_uuid = ? ORDER BY trait", rp)
}

// replaceProviderTraits sets a provider's traits.
func replaceProviderTraits(tx *db.Tx, rp string, traits []string) error {
	if _, err := tx.Exec("DELETE FROM placement_provider_traits WHERE provider_uuid = ?", rp); err != nil {
		return err
	}
	sorted := slices.Clone(traits)
	slices.Sort(sorted)
	for _, t := range slices.Compact(sorted) {
		if _, err := tx.Exec("INSERT INTO placement_provider_traits (provider_uuid, trait) VALUES (?, ?)", rp, t); err != nil {
			return err
		}
	}
	return nil
}

// providerAggregates lists a provider's aggregates, sorted.
func providerAggregates(tx *db.Tx, rp string) ([]string, error) {
	return tx.Strings("SELECT aggregate_uuid FROM placement_provider_aggregates WHERE provider_uuid = ? ORDER BY aggregate_uuid", rp)
}

// replaceProviderAggregates sets a provider's aggregates.
func replaceProviderAggregates(tx *db.Tx, rp string, aggs []string) error {
	if _, err := tx.Exec("DELETE FROM placement_provider_aggregates WHERE provider_uuid = ?", rp); err != nil {
		return err
	}
	sorted := slices.Clone(aggs)
	slices.Sort(sorted)
	for _, a := range slices.Compact(sorted) {
		if _, err := tx.Exec("INSERT INTO placement_provider_aggregates (provider_uuid, aggregate_uuid) VALUES (?, ?)", rp, a); err != nil {
			return err
		}
	}
	return nil
}
