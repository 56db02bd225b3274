package ipam

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

// wantErr checks err against "Type: message" ("" for no error).
func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	got := ""
	if err != nil {
		var ne *neutronerr.Error
		if !errors.As(err, &ne) {
			t.Fatalf("error %v is not a *neutronerr.Error", err)
		}
		got = ne.Type + ": " + ne.Message
	}
	if got != want {
		t.Fatalf("error\n got: %s\nwant: %s", got, want)
	}
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

func pools(t *testing.T, pairs ...string) []Pool {
	t.Helper()
	var in []PoolInput
	for i := 0; i+1 < len(pairs); i += 2 {
		in = append(in, PoolInput{pairs[i], pairs[i+1]})
	}
	out, err := ParsePools(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func poolStrings(ps []Pool) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func boolp(b bool) *bool { return &b }
func intp(i int) *int    { return &i }
