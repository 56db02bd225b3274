package placement

import (
	"context"
	"errors"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The in-process API: what the conductor and the compute agent call
// directly, trusted (no policy), sharing the HTTP handlers' code. Writes
// follow the latest microversion's rules.

// latest is the microversion in-process calls follow.
var latest = httpx.Microversion{Major: 1, Minor: 39}

// AllocationCandidates answers an unnumbered request group.
func (s *Service) AllocationCandidates(ctx context.Context, q placementapi.CandidatesQuery) (*placementapi.AllocationCandidates, error) {
	g := requestGroup{Resources: q.Resources, MemberOf: q.MemberOf, InTree: q.InTree}
	for _, t := range q.Required {
		if name, forbidden := cutBang(t); forbidden {
			g.Forbidden = append(g.Forbidden, name)
		} else {
			g.Required = append(g.Required, []string{t})
		}
	}
	if len(g.Resources) == 0 {
		return nil, badRequest("At least one request group (`resources` or `resources{$S}`) is required.")
	}
	res, err := s.candidates(ctx, candidateQuery{Groups: []requestGroup{g}, Limit: q.Limit, Nested: true}, latest)
	if err != nil {
		return nil, err
	}
	return res.toAPI(), nil
}

func cutBang(t string) (string, bool) {
	if len(t) > 0 && t[0] == '!' {
		return t[1:], true
	}
	return t, false
}

// PutAllocations replaces one consumer's allocations, with the checks of
// PUT /allocations/{consumer}: consumer generation, capacity (409).
func (s *Service) PutAllocations(ctx context.Context, consumer string, a placementapi.AllocationsPut) error {
	return s.PostAllocations(ctx, map[string]placementapi.AllocationsPut{consumer: a})
}

// PostAllocations replaces several consumers' allocations atomically;
// empty allocations remove a consumer's.
func (s *Service) PostAllocations(ctx context.Context, m map[string]placementapi.AllocationsPut) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		return s.writeAllocations(tx, m, writeOptions{minor: latest.Minor, post: len(m) > 1})
	})
}

// GetAllocations reads a consumer's allocations (empty when none).
func (s *Service) GetAllocations(ctx context.Context, consumer string) (*placementapi.ConsumerAllocations, error) {
	var out *placementapi.ConsumerAllocations
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		out, _, err = consumerAllocations(tx, consumer)
		return err
	})
	return out, err
}

// DeleteAllocations removes a consumer's allocations; none is no error.
func (s *Service) DeleteAllocations(ctx context.Context, consumer string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error { return s.DeleteAllocationsIn(tx, consumer) })
}

// DeleteAllocationsIn is DeleteAllocations inside the caller's write
// transaction on placement's database, so a consumer's record and its
// allocations go together.
func (s *Service) DeleteAllocationsIn(tx *db.Tx, consumer string) error {
	_, err := deleteConsumerAllocations(tx, consumer)
	return err
}

// EnsureProvider creates a provider or renames it; idempotent.
func (s *Service) EnsureProvider(ctx context.Context, uuid, name, parentUUID string) (*placementapi.ResourceProvider, error) {
	var parent *string
	if parentUUID != "" {
		parent = &parentUUID
	}
	var p *provider
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		cur, err := findProvider(tx, uuid)
		if err != nil {
			return err
		}
		if cur == nil {
			p, err = s.createProvider(tx, uuid, name, parent)
			return err
		}
		if cur.Name == name && (parent == nil || samePtr(parent, cur.Parent)) {
			p = cur
			return nil
		}
		p, err = s.updateProvider(tx, uuid, &providerInput{Name: name, Parent: parent, HasParent: parent != nil}, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &placementapi.ResourceProvider{UUID: p.UUID, Name: p.Name, Generation: p.Generation,
		ParentProviderUUID: p.Parent, RootProviderUUID: p.Root}, nil
}

// SetInventories replaces a provider's inventories, retrying when another
// writer bumps the generation in between.
func (s *Service) SetInventories(ctx context.Context, rpUUID string, inv map[string]placementapi.Inventory) error {
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		err = s.db.Write(ctx, func(tx *db.Tx) error {
			_, err := s.setInventoriesTx(tx, rpUUID, nil, inv, latest)
			return err
		})
		if codeOf(err) != codeConcurrentUpdate {
			return err
		}
	}
	return err
}

// SetProviderTraits replaces a provider's traits, creating CUSTOM_ ones.
func (s *Service) SetProviderTraits(ctx context.Context, rpUUID string, traits []string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := mustProvider(tx, rpUUID)
		if err != nil {
			return err
		}
		for _, t := range traits {
			if customPattern.MatchString(t) {
				if err := s.ensureCustomTrait(tx, t); err != nil {
					return err
				}
			}
		}
		missing, err := missingTraits(tx, traits)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return badRequest("No such trait " + joinComma(missing))
		}
		if err := replaceProviderTraits(tx, rpUUID, traits); err != nil {
			return err
		}
		return s.bumpGeneration(tx, p)
	})
}

// SetProviderAggregates replaces a provider's aggregates.
func (s *Service) SetProviderAggregates(ctx context.Context, rpUUID string, aggs []string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := mustProvider(tx, rpUUID)
		if err != nil {
			return err
		}
		if err := replaceProviderAggregates(tx, rpUUID, aggs); err != nil {
			return err
		}
		return s.bumpGeneration(tx, p)
	})
}

// ProviderAggregates lists a provider's aggregates.
func (s *Service) ProviderAggregates(ctx context.Context, rpUUID string) ([]string, error) {
	var out []string
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		if _, err := mustProvider(tx, rpUUID); err != nil {
			return err
		}
		var err error
		out, err = providerAggregates(tx, rpUUID)
		return err
	})
	return out, err
}

// DeleteProvider removes a provider (409 with allocations or children).
func (s *Service) DeleteProvider(ctx context.Context, uuid string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		if _, err := mustProvider(tx, uuid); err != nil {
			return err
		}
		return deleteProviderRow(tx, uuid)
	})
}

// ProviderUsages is a provider's usage per inventory class.
func (s *Service) ProviderUsages(ctx context.Context, rpUUID string) (map[string]int, error) {
	var out map[string]int
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		if _, err := mustProvider(tx, rpUUID); err != nil {
			return err
		}
		var err error
		out, err = providerUsages(tx, rpUUID)
		return err
	})
	return out, err
}

// ProviderInventories is a provider's inventories by class.
func (s *Service) ProviderInventories(ctx context.Context, rpUUID string) (map[string]placementapi.Inventory, error) {
	var out map[string]placementapi.Inventory
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		if _, err := mustProvider(tx, rpUUID); err != nil {
			return err
		}
		var err error
		out, err = loadInventories(tx, rpUUID)
		return err
	})
	return out, err
}

// IsConflict says whether err is a placement 409 (generation or capacity).
func IsConflict(err error) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Kind == errs.Conflict
}
