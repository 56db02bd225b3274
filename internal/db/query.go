package db

import (
	"strconv"
	"strings"
)

// Query builds a SELECT with conditions, order and limit; placeholders are
// `?` and are rebound when run.
type Query struct {
	base  string
	conds []string
	args  []any
	order []string
	limit int
}

// NewQuery starts from a "SELECT ... FROM ..." statement without WHERE.
func NewQuery(base string) *Query { return &Query{base: base} }

// Where adds a condition (ANDed with the others).
func (q *Query) Where(cond string, args ...any) *Query {
	q.conds = append(q.conds, cond)
	q.args = append(q.args, args...)
	return q
}

// Match adds a comparison of col with value by op: "eq" for equality, or
// contains, startswith, endswith and their case-insensitive i-variants.
func (q *Query) Match(col, op, value string) *Query {
	esc := escapeLike(value)
	switch op {
	case "contains":
		return q.Where(col+" LIKE ? ESCAPE '\\'", "%"+esc+"%")
	case "icontains":
		return q.Where("LOWER("+col+") LIKE LOWER(?) ESCAPE '\\'", "%"+esc+"%")
	case "startswith":
		return q.Where(col+" LIKE ? ESCAPE '\\'", esc+"%")
	case "istartswith":
		return q.Where("LOWER("+col+") LIKE LOWER(?) ESCAPE '\\'", esc+"%")
	case "endswith":
		return q.Where(col+" LIKE ? ESCAPE '\\'", "%"+esc)
	case "iendswith":
		return q.Where("LOWER("+col+") LIKE LOWER(?) ESCAPE '\\'", "%"+esc)
	}
	return q.Where(col+" = ?", value)
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// OrderBy sets the ORDER BY columns (each may end in " DESC").
func (q *Query) OrderBy(cols ...string) *Query {
	q.order = append(q.order, cols...)
	return q
}

// Limit caps the number of rows (0: no cap).
func (q *Query) Limit(n int) *Query {
	q.limit = n
	return q
}

// SQL returns the statement and its arguments.
func (q *Query) SQL() (string, []any) {
	var b strings.Builder
	b.WriteString(q.base)
	if len(q.conds) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(q.conds, " AND "))
	}
	if len(q.order) > 0 {
		b.WriteString(" ORDER BY ")
		b.WriteString(strings.Join(q.order, ", "))
	}
	if q.limit > 0 {
		b.WriteString(" LIMIT ")
		b.WriteString(strconv.Itoa(q.limit))
	}
	return b.String(), q.args
}
