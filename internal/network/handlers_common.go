package network

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
)

// showOne answers a GET of one resource: load reads it, view gives what
// the caller sees (false: get_* refuses, answered with notFound).
func showOne[T any](s *Service, w http.ResponseWriter, r *http.Request, res *Resource,
	load func(tx *db.Tx) (T, error), view func(T) (map[string]any, bool), notFound error) error {
	var v T
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		v, err = load(tx)
		return err
	}); err != nil {
		return err
	}
	m, ok := view(v)
	if !ok {
		return notFound
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{res.Name: selectFields(m, nonEmpty(r.URL.Query()["fields"]))})
}

// createMany answers a POST, single or bulk: every item is created in one
// transaction, which fails whole when a project goes over its quota of
// res; the drivers hear of it after commit, then after runs and the body
// holds each item's view.
func createMany[T any](s *Service, w http.ResponseWriter, r *http.Request, res *Resource,
	create func(tx *db.Tx, item map[string]any) (T, []*ml2.Change, error), after func([]T), view func(T) map[string]any) error {
	items, bulk, err := s.decodeBody(r, res, true)
	if err != nil {
		return err
	}
	var created []T
	var changes []*ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		created, changes = nil, nil
		quota, err := s.reserveQuota(tx, res.Name, items)
		if err != nil {
			return err
		}
		for _, item := range items {
			v, c, err := create(tx, item)
			if err != nil {
				return err
			}
			created, changes = append(created, v), append(changes, c...)
		}
		return quota.check()
	})
	if err != nil {
		return err
	}
	s.postcommit(r.Context(), changes)
	if after != nil {
		after(created)
	}
	out := make([]map[string]any, len(created))
	for i, v := range created {
		out[i] = view(v)
	}
	if bulk {
		return httpx.WriteJSON(w, http.StatusCreated, map[string]any{res.Collection: out})
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{res.Name: out[0]})
}

// scanRows runs a query and scans every row with scan.
func scanRows[T any](tx *db.Tx, query string, args []any, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// listVisible answers a GET of a collection: load reads what scope (the
// caller's project, "" for an admin) may see, dict renders each row, only
// rows action allows are kept, and view (nil: none) shapes each one shown.
func listVisible[T any](s *Service, w http.ResponseWriter, r *http.Request, res *Resource, action string,
	load func(tx *db.Tx, scope string) ([]T, error), dict func(T) map[string]any, view func(map[string]any) map[string]any) error {
	lq, err := parseListQuery(r, res)
	if err != nil {
		return err
	}
	var rows []T
	if err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		rows, err = load(tx, s.scope(r))
		return err
	}); err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(rows))
	for _, row := range rows {
		m := dict(row)
		if ok, _ := s.allowed(r, action, m, nil); ok {
			items = append(items, m)
		}
	}
	return s.writeList(w, r, res, items, lq, view)
}
