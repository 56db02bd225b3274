package identity

import (
	"database/sql"
	"net/http"
	"regexp"
	"strconv"
	"time"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// listRevocationEvents is GET /v3/OS-REVOKE/events: the stored revocation
// events, oldest first, those revoked after `since` when given.
func (s *Service) listRevocationEvents(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_revoke_events", nil); err != nil {
		return err
	}
	q := db.NewQuery("SELECT user_id, role_id, domain_id, project_id, audit_id, trust_id, issued_before, revoked_at FROM identity_revocations").
		OrderBy("revoked_at", "id")
	if since := r.URL.Query().Get("since"); since != "" {
		t, ok := parseISOTime(since)
		if !ok {
			return errs.BadRequestf("invalidate date format %s", since)
		}
		// Upstream keeps whole seconds and lists events revoked after since.
		q.Where("revoked_at >= ?", t.Truncate(time.Second).Add(time.Second).UnixMicro())
	}
	var events []api.RevocationEvent
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		events, err = queryRevocationEvents(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	if events == nil {
		events = []api.RevocationEvent{}
	}
	links := map[string]any{"self": s.selfLink(r, "/v3/OS-REVOKE/events"), "previous": nil, "next": nil}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"events": events, "links": links})
}

// queryRevocationEvents reads events in their wire form.
func queryRevocationEvents(tx *db.Tx, q *db.Query) ([]api.RevocationEvent, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []api.RevocationEvent
	for rows.Next() {
		var user, role, domain, project, audit, trust sql.NullString
		var issued, revoked int64
		if err := rows.Scan(&user, &role, &domain, &project, &audit, &trust, &issued, &revoked); err != nil {
			return nil, err
		}
		out = append(out, api.RevocationEvent{UserID: user.String, RoleID: role.String, DomainID: domain.String,
			ProjectID: project.String, AuditID: audit.String, TrustID: trust.String,
			IssuedBefore: secondTime(issued), RevokedAt: secondTime(revoked)})
	}
	return out, rows.Err()
}

// secondTime formats stored microseconds as upstream shows event times:
// whole seconds with a zero fraction.
func secondTime(micros int64) string {
	return time.UnixMicro(micros).UTC().Truncate(time.Second).Format("2006-01-02T15:04:05.000000Z")
}

// isoTime matches the ISO 8601 forms upstream's parser accepts: a date
// (year, year-month or full, extended or basic), an optional time to
// minutes, seconds or a fraction, and an optional zone (default UTC).
var isoTime = regexp.MustCompile(`^(\d{4})(?:(?:-(\d{1,2})|(\d{2}))(?:(?:-(\d{1,2})|(\d{2}))` +
	`(?:[T ](\d{2})(?::?(\d{2}))?(?::?(\d{1,2})(?:[.,](\d+))?)?(Z|[-+]\d{2}(?::?\d{2})?)?)?)?)?$`)

// parseISOTime parses a `since` value, reporting false when it is not a
// valid time.
func parseISOTime(v string) (time.Time, bool) {
	m := isoTime.FindStringSubmatch(v)
	if m == nil {
		return time.Time{}, false
	}
	num := func(def int, parts ...string) int {
		for _, p := range parts {
			if p != "" {
				n, _ := strconv.Atoi(p)
				return n
			}
		}
		return def
	}
	year, month, day := num(0, m[1]), num(1, m[2], m[3]), num(1, m[4], m[5])
	hour, minute, second := num(0, m[6]), num(0, m[7]), num(0, m[8])
	nanos := 0
	if frac := m[9]; frac != "" {
		frac = (frac + "000000000")[:9]
		nanos, _ = strconv.Atoi(frac)
	}
	loc, ok := isoZone(m[10])
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, nanos, loc)
	if t.Month() != time.Month(month) || t.Day() != day || t.Hour() != hour || t.Minute() != minute || t.Second() != second {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// isoZone reads "", "Z", "+HH", "+HHMM" or "+HH:MM".
func isoZone(z string) (*time.Location, bool) {
	if z == "" || z == "Z" {
		return time.UTC, true
	}
	hours, _ := strconv.Atoi(z[1:3])
	minutes := 0
	if rest := z[3:]; rest != "" {
		if rest[0] == ':' {
			rest = rest[1:]
		}
		minutes, _ = strconv.Atoi(rest)
	}
	if hours > 23 || minutes > 59 {
		return nil, false
	}
	offset := hours*3600 + minutes*60
	if z[0] == '-' {
		offset = -offset
	}
	return time.FixedZone(z, offset), true
}
