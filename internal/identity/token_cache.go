package identity

import (
	"sync"
	"time"

	"github.com/monostack/monostack/internal/auth"
)

// maxCachedTokens bounds the validation cache; when full it starts over.
const maxCachedTokens = 10000

// tokenCache remembers resolved tokens by their string. An entry holds
// while the identity generation is the one it was resolved under and its
// earliest expiry (the token's, its trust's or its application
// credential's) has not passed. Cached tokens are shared: read-only.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]cachedToken
}

type cachedToken struct {
	tok        *auth.Token
	generation int64
	until      time.Time
}

func (c *tokenCache) get(raw string, generation int64, now time.Time) *auth.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[raw]
	if !ok || e.generation != generation || !now.Before(e.until) {
		return nil
	}
	return e.tok
}

func (c *tokenCache) put(raw string, generation int64, until time.Time, tok *auth.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedTokens {
		c.entries = make(map[string]cachedToken)
	}
	c.entries[raw] = cachedToken{tok: tok, generation: generation, until: until}
}
