package identity

import (
	"testing"
	"time"
)

// TestParseISOTime accepts the ISO 8601 forms upstream's parser does and
// refuses impossible dates.
func TestParseISOTime(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	good := map[string]time.Time{
		"2026-11-22":                        utc("2026-11-22T00:00:00Z"),
		"2026":                              utc("2026-01-01T00:00:00Z"),
		"2026-11":                           utc("2026-11-01T00:00:00Z"),
		"2026-11-22T15:10":                  utc("2026-11-22T15:10:00Z"),
		"2026-11-22T15:10:31":               utc("2026-11-22T15:10:31Z"),
		"2026-11-22 15:10:31Z":              utc("2026-11-22T15:10:31Z"),
		"2026-11-22T15:10:31.250000Z":       utc("2026-11-22T15:10:31.25Z"),
		"2026-11-22T15:10:31,5Z":            utc("2026-11-22T15:10:31.5Z"),
		"2026-11-22T16:10:31+01:00":         utc("2026-11-22T15:10:31Z"),
		"2026-11-22T13:40:31-0130":          utc("2026-11-22T15:10:31Z"),
		"2026-11-22T17:10:31+02":            utc("2026-11-22T15:10:31Z"),
		"20261122T151031Z":                  utc("2026-11-22T15:10:31Z"),
		"2026-11-22T15:10:31.123456789123Z": utc("2026-11-22T15:10:31.123456789Z"),
	}
	for in, want := range good {
		got, ok := parseISOTime(in)
		if !ok || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "garbage", "2026-13-01", "2026-02-30", "2026-11-22T24:00", "2026-11-22T15:61",
		"2026-11-22T15:10:31+25:00", "26-11-22", "2026-11-22T15:10:31 +01:00", "2026-11-22T"} {
		if got, ok := parseISOTime(in); ok {
			t.Errorf("%q parsed as %v", in, got)
		}
	}
}
