package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return Load(fs, func(k string) string { return env[k] })
}

func TestPrecedenceDefaultsFileEnvFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "monostack.yaml")
	os.WriteFile(file, []byte("identity-port: 5001\nregion: FileRegion\nlog-level: debug\nroles: [api, scheduler]\ntoken-expiration: 2h\n"), 0o600)
	c, err := load(t, []string{"--config", file, "--region", "FlagRegion"}, map[string]string{
		"MONOSTACK_LOG_LEVEL": "warn", "MONOSTACK_REGION": "EnvRegion", "MONOSTACK_STATE_DIR": dir})
	if err != nil {
		t.Fatal(err)
	}
	if c.IdentityPort != 5001 || c.TokenExpiration != 2*time.Hour || strings.Join(c.Roles, ",") != "api,scheduler" {
		t.Fatalf("file values not applied: %+v", c)
	}
	if c.LogLevel != "warn" {
		t.Fatalf("env did not override the file: %q", c.LogLevel)
	}
	if c.Region != "FlagRegion" {
		t.Fatalf("flag did not override env and file: %q", c.Region)
	}
	if c.BcryptCost != 12 || c.BindHost != "127.0.0.1" || c.StateDir != dir {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestConfigFileFromEnvironment(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(file, []byte("bcrypt-cost: 5\n"), 0o600)
	c, err := load(t, nil, map[string]string{"MONOSTACK_CONFIG": file})
	if err != nil || c.BcryptCost != 5 {
		t.Fatalf("MONOSTACK_CONFIG: %v %+v", err, c)
	}
}

func TestBadSettingsAreErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("no-such-key: 1\n"), 0o600)
	cases := []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"--identity-port", "five"}, nil},
		{[]string{"--bcrypt-cost", "3"}, nil},
		{nil, map[string]string{"MONOSTACK_TOKEN_EXPIRATION": "forever"}},
		{[]string{"--config", bad}, nil},
		{[]string{"--config", filepath.Join(dir, "missing.yaml")}, nil},
	}
	for _, c := range cases {
		if _, err := load(t, c.args, c.env); err == nil {
			t.Errorf("%v %v: accepted", c.args, c.env)
		}
	}
}

func TestEveryKeyHasHelpAndDocIsGenerated(t *testing.T) {
	doc := Markdown()
	for _, k := range Keys() {
		if k.Help == "" {
			t.Errorf("key %s has no help", k.Name)
		}
		if !strings.Contains(doc, "`"+k.Name+"`") || !strings.Contains(doc, k.EnvName()) {
			t.Errorf("docs lack %s", k.Name)
		}
	}
	current, err := os.ReadFile("../../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(current) != doc {
		t.Fatal("docs/config.md is stale: run `make docs`")
	}
}

func TestCatalogHost(t *testing.T) {
	for bind, want := range map[string]string{"0.0.0.0": "127.0.0.1", "::": "127.0.0.1", "10.0.0.5": "10.0.0.5"} {
		c := Defaults()
		c.BindHost = bind
		if got := c.CatalogHost(); got != want {
			t.Errorf("bind %s: catalog host %s, want %s", bind, got, want)
		}
	}
	c := Defaults()
	c.PublicHost = "cloud.example.com"
	if c.CatalogHost() != "cloud.example.com" {
		t.Error("public-host ignored")
	}
}
