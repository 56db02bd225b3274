package placement

import (
	"database/sql"
	"errors"
	"fmt"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// incompleteConsumer is the project and user placement records for a
// consumer written without them (incomplete_consumer_project_id/_user_id).
const incompleteConsumer = "00000000-0000-0000-0000-000000000000"

// consumer is a stored consumer of resources.
type consumer struct {
	UUID, Project, User, Type string
	Generation                int
}

func findConsumer(tx *db.Tx, uuid string) (*consumer, error) {
	c := &consumer{UUID: uuid}
	err := tx.QueryRow("SELECT project_id, user_id, consumer_type, generation FROM placement_consumers WHERE uuid = ?", uuid).
		Scan(&c.Project, &c.User, &c.Type, &c.Generation)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// writeOptions say which upstream checks a write of allocations applies.
type writeOptions struct {
	minor int  // microversion: consumer generations from 1.28
	post  bool // POST /allocations words its errors differently
}

// writeAllocations replaces the allocations of every consumer in m in one
// transaction: consumer generations checked, old allocations removed, the
// providers locked (generation bumped, in uuid order), then every amount
// checked against the providers' inventories and usage before it is
// written. A consumer left without allocations is removed.
func (s *Service) writeAllocations(tx *db.Tx, m map[string]placementapi.AllocationsPut, o writeOptions) error {
	consumers := sortedKeys(m)
	existing := map[string]*consumer{}
	for _, c := range consumers {
		cur, err := findConsumer(tx, c)
		if err != nil {
			return err
		}
		if err := checkConsumerGeneration(cur, m[c].ConsumerGeneration, o.minor); err != nil {
			return err
		}
		existing[c] = cur
	}
	rps, err := s.checkAllocationTargets(tx, m, o)
	if err != nil {
		return err
	}
	for _, c := range consumers {
		if _, err := tx.Exec("DELETE FROM placement_allocations WHERE consumer_uuid = ?", c); err != nil {
			return err
		}
	}
	if err := s.checkAllocationCapacity(tx, m, rps); err != nil {
		return err
	}
	now := s.now().UnixMicro()
	for _, c := range consumers {
		for _, rp := range sortedKeys(m[c].Allocations) {
			for _, rc := range sortedKeys(m[c].Allocations[rp].Resources) {
				if _, err := tx.Exec("INSERT INTO placement_allocations (consumer_uuid, provider_uuid, resource_class, used, created_at) VALUES (?, ?, ?, ?, ?)",
					c, rp, rc, m[c].Allocations[rp].Resources[rc], now); err != nil {
					return err
				}
			}
		}
		if err := s.saveConsumer(tx, c, existing[c], m[c]); err != nil {
			return err
		}
	}
	return nil
}

// checkConsumerGeneration is upstream's ensure_consumer check (from 1.28).
func checkConsumerGeneration(cur *consumer, gen *int, minor int) error {
	if minor < 28 {
		return nil
	}
	switch {
	case cur == nil && gen != nil:
		return concurrentUpdate(fmt.Sprintf("consumer generation conflict - expected null but got %d", *gen))
	case cur != nil && gen == nil:
		return concurrentUpdate(fmt.Sprintf("consumer generation conflict - expected %d but got None", cur.Generation))
	case cur != nil && *gen != cur.Generation:
		return concurrentUpdate(fmt.Sprintf("consumer generation conflict - expected %d but got %d", cur.Generation, *gen))
	}
	return nil
}

// checkAllocationTargets checks that every provider and resource class
// named exists and returns the providers in use.
func (s *Service) checkAllocationTargets(tx *db.Tx, m map[string]placementapi.AllocationsPut, o writeOptions) ([]string, error) {
	seen := map[string]bool{}
	var rps []string
	for _, c := range sortedKeys(m) {
		for _, rp := range sortedKeys(m[c].Allocations) {
			if !seen[rp] {
				p, err := findProvider(tx, rp)
				if err != nil {
					return nil, err
				}
				if p == nil {
					return nil, badRequest(fmt.Sprintf("Allocation for resource provider '%s' that does not exist.", rp))
				}
				seen[rp] = true
				rps = append(rps, rp)
			}
			for rc := range m[c].Allocations[rp].Resources {
				ok, err := classExists(tx, rc)
				if err != nil {
					return nil, err
				}
				if !ok && o.post {
					return nil, badRequest("Unable to allocate inventory No such resource class " + rc + ".")
				}
				if !ok {
					return nil, badRequest("Unable to allocate inventory for consumer " + c + ": No such resource class " + rc + ".")
				}
			}
		}
	}
	return rps, nil
}

// checkAllocationCapacity locks the providers and refuses any amount that
// violates an inventory's constraints or exceeds its capacity.
func (s *Service) checkAllocationCapacity(tx *db.Tx, m map[string]placementapi.AllocationsPut, rps []string) error {
	if _, err := s.lockProviders(tx, rps); err != nil {
		return err
	}
	needed := map[[2]string]int{}
	for _, c := range sortedKeys(m) {
		for _, rp := range sortedKeys(m[c].Allocations) {
			inv, err := loadInventories(tx, rp)
			if err != nil {
				return err
			}
			for _, rc := range sortedKeys(m[c].Allocations[rp].Resources) {
				amount := m[c].Allocations[rp].Resources[rc]
				i, ok := inv[rc]
				if !ok {
					return allocConflict(fmt.Sprintf("Inventory for '%s' on resource provider '%s' invalid.", rc, rp))
				}
				if amount < i.MinUnit || amount > i.MaxUnit || amount%i.StepSize != 0 {
					return allocConflict(fmt.Sprintf("Unable to create allocation for '%s' on resource provider '%s'. The requested amount would violate inventory constraints.", rc, rp))
				}
				needed[[2]string{rp, rc}] += amount
			}
		}
	}
	for _, rp := range rps {
		inv, err := loadInventories(tx, rp)
		if err != nil {
			return err
		}
		used, err := loadUsages(tx, rp)
		if err != nil {
			return err
		}
		for _, rc := range sortedKeys(inv) {
			if n := needed[[2]string{rp, rc}]; n > 0 && used[rc]+n > capacity(inv[rc]) {
				return allocConflict(fmt.Sprintf("Unable to create allocation for '%s' on resource provider '%s'. The requested amount would exceed the capacity.", rc, rp))
			}
		}
	}
	return nil
}

// allocConflict is the 409 of an allocation the inventory cannot hold.
func allocConflict(msg string) *errs.Error {
	return conflict("Unable to allocate inventory: "+msg, codeDefault)
}

// saveConsumer records a consumer's project, user and type and bumps its
// generation, or removes it when it has no allocations left.
func (s *Service) saveConsumer(tx *db.Tx, uuid string, cur *consumer, put placementapi.AllocationsPut) error {
	if len(put.Allocations) == 0 {
		_, err := tx.Exec("DELETE FROM placement_consumers WHERE uuid = ?", uuid)
		return err
	}
	project, user := put.ProjectID, put.UserID
	if project == "" {
		project, user = incompleteConsumer, incompleteConsumer
	}
	ctype := put.ConsumerType
	now := s.now().UnixMicro()
	if cur == nil {
		if ctype == "" {
			ctype = "unknown"
		}
		n, err := tx.ExecAffected("INSERT INTO placement_consumers (uuid, project_id, user_id, consumer_type, generation, created_at, updated_at) "+
			"VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (uuid) DO NOTHING", uuid, project, user, ctype, now, now)
		if err == nil && n == 0 {
			return changedWhileAllocating()
		}
		return err
	}
	if ctype == "" {
		ctype = cur.Type
	}
	n, err := tx.ExecAffected("UPDATE placement_consumers SET project_id = ?, user_id = ?, consumer_type = ?, generation = generation + 1, updated_at = ? "+
		"WHERE uuid = ? AND generation = ?", project, user, ctype, now, uuid, cur.Generation)
	if err == nil && n == 0 {
		return changedWhileAllocating()
	}
	return err
}

func changedWhileAllocating() *errs.Error {
	return concurrentUpdate("Inventory and/or allocations changed while attempting to allocate: " +
		"Another thread concurrently updated the data. Please retry your update")
}

// deleteConsumerAllocations removes a consumer and its allocations; false
// when it had none.
func deleteConsumerAllocations(tx *db.Tx, uuid string) (bool, error) {
	n, err := tx.ExecAffected("DELETE FROM placement_allocations WHERE consumer_uuid = ?", uuid)
	if err != nil {
		return false, err
	}
	_, err = tx.Exec("DELETE FROM placement_consumers WHERE uuid = ?", uuid)
	return n > 0, err
}

// consumerAllocations reads a consumer's allocations with the providers'
// generations.
func consumerAllocations(tx *db.Tx, uuid string) (*placementapi.ConsumerAllocations, *consumer, error) {
	rows, err := tx.Query("SELECT a.provider_uuid, p.generation, a.resource_class, a.used FROM placement_allocations a "+
		"JOIN placement_providers p ON p.uuid = a.provider_uuid WHERE a.consumer_uuid = ?", uuid)
	if err != nil {
		return nil, nil, err
	}
	out := &placementapi.ConsumerAllocations{Allocations: map[string]placementapi.ProviderAllocation{}}
	for rows.Next() {
		var rp, rc string
		var gen, used int
		if err := rows.Scan(&rp, &gen, &rc, &used); err != nil {
			rows.Close()
			return nil, nil, err
		}
		pa, ok := out.Allocations[rp]
		if !ok {
			pa = placementapi.ProviderAllocation{Generation: gen, Resources: map[string]int{}}
		}
		pa.Resources[rc] = used
		out.Allocations[rp] = pa
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	c, err := findConsumer(tx, uuid)
	if err != nil || c == nil || len(out.Allocations) == 0 {
		return out, nil, err
	}
	gen := c.Generation
	out.ConsumerGeneration, out.ProjectID, out.UserID, out.ConsumerType = &gen, c.Project, c.User, c.Type
	return out, c, nil
}
