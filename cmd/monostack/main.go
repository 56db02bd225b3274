// Command monostack is an OpenStack-compatible cloud in one binary; see
// `monostack help`.
package main

import (
	"os"
	"runtime/debug"

	"github.com/monostack/monostack/internal/cli"
)

// gcPercent is the garbage collector's target unless GOGC says otherwise
// (ADR 0006): an API server's live heap is small, so Go's default collects
// every few requests.
const gcPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
