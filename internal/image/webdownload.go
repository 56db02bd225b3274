package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// web-download fetches only what the operator allows (Options.
// WebDownloadAllow): http and https URLs whose host is listed ("host" or
// "host:port") or that start with a listed URL prefix. A URL allowed by a
// prefix must also resolve to a public address; a listed host is trusted
// at any address (loopback, link-local and private included). Every
// connection, redirects included, is dialled to the address checked at
// dial time, so DNS cannot rebind between the check and the fetch, and no
// proxy is used.

// errNotAllowed refuses a URL web-download may not fetch.
var errNotAllowed = errors.New("URL not allowed for web-download")

// webFilter is the web-download allow-list.
type webFilter struct {
	hosts    []string   // "host" or "host:port", lower case
	prefixes []*url.URL // scheme, host and path prefix
	resolver *net.Resolver
}

func newWebFilter(allow []string) webFilter {
	f := webFilter{resolver: net.DefaultResolver}
	for _, entry := range allow {
		entry = strings.ToLower(strings.TrimSpace(entry))
		if !strings.Contains(entry, "://") {
			f.hosts = append(f.hosts, strings.Trim(entry, "[]"))
			continue
		}
		if u, err := url.Parse(entry); err == nil && u.Host != "" {
			f.prefixes = append(f.prefixes, u)
		}
	}
	return f
}

// defaultPort is the port a URL without one reaches.
func defaultPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// hostListed reports whether host (at port) is listed itself.
func (f webFilter) hostListed(host, port string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, h := range f.hosts {
		if h == host || h == net.JoinHostPort(host, port) {
			return true
		}
	}
	return false
}

// allows reports whether u is an http or https URL the allow-list names.
func (f webFilter) allows(u *url.URL) bool {
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return false
	}
	if f.hostListed(u.Hostname(), defaultPort(u)) {
		return true
	}
	for _, p := range f.prefixes {
		if p.Scheme == u.Scheme && p.Host == strings.ToLower(u.Host) && pathUnder(u.EscapedPath(), p.EscapedPath()) {
			return true
		}
	}
	return false
}

// pathUnder reports whether path is prefix or lies below it.
func pathUnder(path, prefix string) bool {
	if prefix == "" || strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(path, prefix)
	}
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// check parses raw and refuses what web-download may not fetch, resolving
// the host as the fetch will.
func (f webFilter) check(ctx context.Context, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || !f.allows(u) {
		return nil, errNotAllowed
	}
	if _, err := f.address(ctx, u.Hostname(), defaultPort(u)); err != nil {
		return nil, err
	}
	return u, nil
}

// address is where a fetch from host connects: its first public address,
// or its first address when the host is listed itself.
func (f webFilter) address(ctx context.Context, host, port string) (netip.Addr, error) {
	addrs, err := f.lookup(ctx, host)
	if err != nil {
		return netip.Addr{}, err
	}
	listed := f.hostListed(host, port)
	for _, a := range addrs {
		if listed || isPublic(a) {
			return a, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("%w: %s has no public address", errNotAllowed, host)
}

func (f webFilter) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	addrs, err := f.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNotAllowed, err)
	}
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, nil
}

// sharedAddressSpace is RFC 6598 carrier-grade NAT space, private in
// practice.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// isPublic refuses loopback, link-local, private (RFC 1918, unique local),
// shared, unspecified and multicast addresses.
func isPublic(a netip.Addr) bool {
	return a.IsGlobalUnicast() && !a.IsPrivate() && !sharedAddressSpace.Contains(a) && a.Zone() == ""
}

// dial connects to the address checked for addr's host at this moment.
func (f webFilter) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ip, err := f.address(ctx, host, port)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: 30 * time.Second}
	return d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
}

// client fetches through the filter: checked dials, checked redirects.
func (f webFilter) client() *http.Client {
	return &http.Client{
		Transport: &http.Transport{DialContext: f.dial, DisableKeepAlives: true, ForceAttemptHTTP2: true,
			TLSHandshakeTimeout: 30 * time.Second, ResponseHeaderTimeout: 2 * time.Minute},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 || !f.allows(req.URL) {
				return fmt.Errorf("%w: redirect to %s", errNotAllowed, req.URL.Redacted())
			}
			return nil
		},
	}
}

// fetch starts downloading u: the body streams, with its announced length
// (-1 when unknown).
func (f webFilter) fetch(ctx context.Context, u *url.URL) (io.ReadCloser, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := f.client().Do(req)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body.Close()
		return nil, 0, fmt.Errorf("web-download of %s: HTTP %s", u.Redacted(), resp.Status)
	}
	return resp.Body, resp.ContentLength, nil
}
