// Package cli holds monostack's subcommands, one file each: it turns flags
// into a config.Config and hands it to internal/app.
package cli
