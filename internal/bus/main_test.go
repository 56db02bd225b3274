package bus

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain fails the run if any bus or NATS goroutine outlives the tests:
// every server, connection, subscription and heartbeat must shut down.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if leaked := waitNoLeaks(5 * time.Second); leaked != "" {
			fmt.Fprintf(os.Stderr, "goroutines left after the tests:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// waitNoLeaks polls until no goroutine runs NATS or bus code and returns
// the stacks of those still running at the deadline.
func waitNoLeaks(within time.Duration) string {
	deadline := time.Now().Add(within)
	for {
		leaked := busGoroutines()
		if len(leaked) == 0 || time.Now().After(deadline) {
			return strings.Join(leaked, "\n\n")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func busGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "waitNoLeaks") || strings.Contains(g, "busGoroutines") {
			continue
		}
		if strings.Contains(g, "github.com/nats-io/") || strings.Contains(g, "monostack/internal/bus.") {
			out = append(out, g)
		}
	}
	return out
}
