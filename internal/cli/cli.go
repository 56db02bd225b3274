package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/monostack/monostack/internal/config"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=...".
var Version = "dev"

type command struct {
	name    string
	summary string
	run     func(env *env, args []string) error
}

func commands() []command {
	return []command{
		{"up", "run the all-in-one cloud (bootstraps on first start)", runUp},
		{"serve", "run controller roles (--roles api,scheduler,conductor)", runServe},
		{"agent", "run host roles (--roles compute) against a bus (--bus nats://…)", runAgent},
		{"bootstrap", "create or repair the admin user, roles, projects and catalog", runBootstrap},
		{"db", "database administration: db migrate", runDB},
		{"token", "token key administration: token rotate", runToken},
		{"config", "configuration: config doc prints docs/config.md", runConfig},
		{"version", "print the version", runVersion},
	}
}

// env is what every subcommand gets.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Main runs a subcommand and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(e, args[1:]); err != nil {
				if errors.Is(err, flag.ErrHelp) {
					return 0
				}
				fmt.Fprintf(stderr, "monostack %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "monostack: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "monostack: an OpenStack-compatible cloud in one binary")
	fmt.Fprintln(w, "\nUsage: monostack <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes the settings of docs/config.md as flags (--state-dir, --db, ...).")
}

// loadConfig parses flags for a subcommand and builds the Config.
func (e *env) loadConfig(name string, args []string) (*config.Config, error) {
	fs := flag.NewFlagSet("monostack "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	config.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return config.Load(fs, e.getenv)
}

// logger builds the process logger from the config.
func (e *env) logger(c *config.Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

func runVersion(e *env, _ []string) error {
	fmt.Fprintln(e.stdout, "monostack", Version)
	return nil
}

func runConfig(e *env, args []string) error {
	if len(args) != 1 || args[0] != "doc" {
		return errors.New("usage: monostack config doc")
	}
	fmt.Fprint(e.stdout, config.Markdown())
	return nil
}
