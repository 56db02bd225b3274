package identity

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// listPage applies limit/marker paging (by id) and the configured list
// limit to q. The query fetches one row more than the page to learn
// whether another page follows.
func (s *Service) listPage(r *http.Request, q *db.Query) (listPaging, error) {
	return s.listPageBy(r, q, "id")
}

// listPageBy is listPage for queries whose id column needs a qualifier.
func (s *Service) listPageBy(r *http.Request, q *db.Query, idColumn string) (listPaging, error) {
	page, err := httpx.ParsePage(r.URL.Query(), 0)
	if err != nil {
		return listPaging{}, err
	}
	p := listPaging{limit: page.Limit, explicit: page.Limit > 0}
	if s.opts.ListLimit > 0 && (p.limit == 0 || p.limit > s.opts.ListLimit) {
		p.limit = s.opts.ListLimit
	}
	if page.Marker != "" {
		q.Where(idColumn+" > ?", page.Marker)
	}
	q.OrderBy(idColumn)
	if p.limit > 0 {
		q.Limit(p.limit + 1)
	}
	return p, nil
}

type listPaging struct {
	limit    int
	explicit bool
}

// cutPage trims the extra row listPage asked for and says what follows: a
// next link when the client paged, "truncated" when the list limit cut.
func cutPage[T any](r *http.Request, s *Service, p listPaging, list []T, id func(T) string) ([]T, string, bool) {
	if p.limit == 0 || len(list) <= p.limit {
		return list, "", false
	}
	list = list[:p.limit]
	if !p.explicit {
		return list, "", true
	}
	return list, httpx.NextURL(r, s.baseURL(r), id(list[len(list)-1]), p.limit), false
}
