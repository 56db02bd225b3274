package placement

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// aggregatesView is a provider's aggregates, with its generation from 1.19.
func aggregatesView(r *http.Request, aggs []string, gen int) map[string]any {
	out := map[string]any{"aggregates": nonNil(aggs)}
	if want(r).AtLeast(19) {
		out["resource_provider_generation"] = gen
	}
	return out
}

func (s *Service) providerAggregatesHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:aggregates:list"); err != nil {
		return err
	}
	var p *provider
	var aggs []string
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = mustProvider(tx, r.PathValue("uuid")); err != nil {
			return err
		}
		aggs, err = providerAggregates(tx, p.UUID)
		return err
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, p.Updated)
	return httpx.WriteJSON(w, http.StatusOK, aggregatesView(r, aggs, p.Generation))
}

// readAggregates reads PUT's body: a list before 1.19, then an object
// with the provider generation.
func readAggregates(r *http.Request) ([]string, *int, error) {
	body, err := jsonBody(r)
	if err != nil {
		return nil, nil, err
	}
	list := body
	var gen *int
	if want(r).AtLeast(19) {
		m, ok := body.(map[string]any)
		if !ok {
			return nil, nil, invalid(repr(body) + " is not of type 'object'")
		}
		if err := checkKeys(m, []string{"aggregates", "resource_provider_generation"}); err != nil {
			return nil, nil, err
		}
		g, err := generationOf(m)
		if err != nil {
			return nil, nil, err
		}
		list, gen = m["aggregates"], &g
	}
	raw, ok := list.([]any)
	if !ok {
		return nil, nil, invalid(repr(list) + " is not of type 'array'")
	}
	aggs := make([]string, 0, len(raw))
	for _, a := range raw {
		u, err := uuidValue(a)
		if err != nil {
			return nil, nil, err
		}
		aggs = append(aggs, u)
	}
	return aggs, gen, nil
}

func (s *Service) putProviderAggregates(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:aggregates:update"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	if err := s.providerExists(r, uuid); err != nil {
		return err
	}
	aggs, gen, err := readAggregates(r)
	if err != nil {
		return err
	}
	var p *provider
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = mustProvider(tx, uuid); err != nil {
			return err
		}
		if gen != nil && *gen != p.Generation {
			return concurrentUpdate("Resource provider's generation already changed. Please update the generation and try again.")
		}
		if err := replaceProviderAggregates(tx, uuid, aggs); err != nil {
			return err
		}
		if gen == nil {
			return nil
		}
		return s.bumpGeneration(tx, p)
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, aggregatesView(r, aggs, p.Generation))
}
