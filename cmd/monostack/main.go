// Command monostack is an OpenStack-compatible cloud in one binary; see
// `monostack help`.
package main

import (
	"os"

	"github.com/monostack/monostack/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
