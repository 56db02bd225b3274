package image

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"net/url"
	"testing"
)

// endless counts what is read from it and never ends.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	e.read += int64(len(p))
	return len(p), nil
}

// The quota and the size cap stop the reading one byte past the limit.
func TestDataLimitStopsReadingPastTheLimit(t *testing.T) {
	src := &endless{}
	refused := errors.New("over")
	n, err := dataLimit{max: 1000, over: func(int64) error { return refused }}.copy(io.Discard, src)
	if !errors.Is(err, refused) || n != 1001 || src.read != 1001 {
		t.Fatalf("copied %d, read %d, error %v", n, src.read, err)
	}
}

func TestWebFilterAllows(t *testing.T) {
	f := newWebFilter([]string{"Mirror.Example.com", "10.0.0.5:8080", "https://images.example.org/pub", "http://cdn.example.net/"})
	for raw, want := range map[string]bool{
		"https://mirror.example.com/x.img":          true,
		"http://mirror.example.com:8000/x.img":      true,
		"https://MIRROR.example.com./x.img":         true,
		"http://10.0.0.5:8080/x.img":                true,
		"http://10.0.0.5/x.img":                     false,
		"https://images.example.org/pub":            true,
		"https://images.example.org/pub/x.img":      true,
		"https://images.example.org/public/x.img":   false,
		"http://images.example.org/pub/x.img":       false,
		"https://images.example.org:8443/pub/x":     false,
		"https://images.example.org.evil/pub/x":     false,
		"http://cdn.example.net/any/x.img":          true,
		"http://cdn.example.net@evil.example/x":     false,
		"ftp://mirror.example.com/x.img":            false,
		"file:///etc/passwd":                        false,
		"https://other.example.com/x.img":           false,
		"https://mirror.example.com.evil.org/x.img": false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.allows(u); got != want {
			t.Errorf("%s: allowed %v, want %v", raw, got, want)
		}
	}
}

func TestWebFilterRefusesNonPublicAddresses(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "2001:4860:4860::8888": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fd00::1": false, "100.64.0.1": false,
		"0.0.0.0": false, "::": false, "224.0.0.1": false, "255.255.255.255": false,
	} {
		if got := isPublic(netip.MustParseAddr(addr)); got != want {
			t.Errorf("%s: public %v, want %v", addr, got, want)
		}
	}
	// A URL prefix does not make its host trusted; an IPv4-mapped address
	// is the IPv4 address.
	f := newWebFilter([]string{"http://127.0.0.1:8080/", "http://[::ffff:127.0.0.1]:8080/"})
	for _, raw := range []string{"http://127.0.0.1:8080/x", "http://[::ffff:127.0.0.1]:8080/x"} {
		if _, err := f.check(context.Background(), raw); !errors.Is(err, errNotAllowed) {
			t.Errorf("%s: %v", raw, err)
		}
	}
	// A listed host is trusted at any address.
	if _, err := newWebFilter([]string{"127.0.0.1"}).check(context.Background(), "http://127.0.0.1:8080/x"); err != nil {
		t.Fatal(err)
	}
}
