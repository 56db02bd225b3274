// Package config owns the one Config struct of monostack and how it is
// loaded: defaults, then a YAML file, then MONOSTACK_* environment
// variables, then command-line flags. Keys are the flag names everywhere,
// and docs/config.md is generated from the same key table.
package config
