package fake

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// failures counts injected failures per operation: "spawn:2" fails the
// next two spawns, "spawn" (or "spawn:always") every spawn.
type failures struct {
	mu     sync.Mutex
	counts map[string]int // -1: always
}

func parseFailures(specs []string) (*failures, error) {
	f := &failures{counts: map[string]int{}}
	for _, s := range specs {
		op, n, hasN := strings.Cut(strings.TrimSpace(s), ":")
		if op == "" {
			continue
		}
		if !hasN || n == "always" {
			f.counts[op] = -1
			continue
		}
		c, err := strconv.Atoi(n)
		if err != nil || c < 0 {
			return nil, fmt.Errorf("fake: bad failure %q (want op, op:N or op:always)", s)
		}
		f.counts[op] = c
	}
	return f, nil
}

// take says whether op must fail now, using up one counted failure.
func (f *failures) take(op string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch n := f.counts[op]; {
	case n < 0:
		return true
	case n > 0:
		f.counts[op] = n - 1
		return true
	}
	return false
}

// Inject adds failures at run time (tests): "op:N" or "op:always".
func (d *Driver) Inject(spec string) error {
	parsed, err := parseFailures([]string{spec})
	if err != nil {
		return err
	}
	d.fail.mu.Lock()
	defer d.fail.mu.Unlock()
	for op, n := range parsed.counts {
		d.fail.counts[op] = n
	}
	return nil
}
