package config

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Defaults returns a Config holding every key's default.
func Defaults() *Config {
	c := &Config{}
	for _, k := range Keys() {
		if err := c.Set(k.Name, k.Default); err != nil {
			panic(err) // a bad default tag is a programming error
		}
	}
	return c
}

// RegisterFlags adds one flag per key to fs. The flag values are only
// applied by Load, after the file and the environment.
func RegisterFlags(fs *flag.FlagSet) {
	for _, k := range Keys() {
		fs.String(k.Name, k.Default, k.Help)
	}
}

// Load builds the Config: defaults, then the YAML file (from --config or
// MONOSTACK_CONFIG), then MONOSTACK_* variables, then flags set on fs.
func Load(fs *flag.FlagSet, env func(string) string) (*Config, error) {
	c := Defaults()
	explicit := map[string]string{}
	if fs != nil {
		fs.Visit(func(f *flag.Flag) { explicit[f.Name] = f.Value.String() })
	}
	file := explicit["config"]
	if file == "" {
		file = env("MONOSTACK_CONFIG")
	}
	if file != "" {
		if err := c.loadFile(file); err != nil {
			return nil, err
		}
		c.ConfigFile = file
	}
	for _, k := range Keys() {
		if v, ok := lookupEnv(env, k.EnvName()); ok {
			if err := c.Set(k.Name, v); err != nil {
				return nil, fmt.Errorf("%s: %w", k.EnvName(), err)
			}
		}
	}
	for name, v := range explicit {
		if err := c.Set(name, v); err != nil {
			return nil, fmt.Errorf("--%s: %w", name, err)
		}
	}
	return c, c.finish()
}

func lookupEnv(env func(string) string, name string) (string, bool) {
	v := env(name)
	return v, v != ""
}

func (c *Config) loadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	for name, v := range m {
		if err := c.Set(name, yamlString(v)); err != nil {
			return fmt.Errorf("config file %s: %w", path, err)
		}
	}
	return nil
}

func yamlString(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ",")
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// finish fills derived defaults and checks ranges.
func (c *Config) finish() error {
	if c.StateDir == "" {
		c.StateDir = DefaultStateDir()
	}
	if c.BcryptCost < 4 || c.BcryptCost > 31 {
		return fmt.Errorf("bcrypt-cost %d is outside 4-31", c.BcryptCost)
	}
	if c.FernetMaxActiveKeys < 1 {
		return fmt.Errorf("fernet-max-active-keys must be at least 1")
	}
	if c.TokenExpiration <= 0 {
		return fmt.Errorf("token-expiration must be positive")
	}
	return nil
}

// DefaultStateDir is /var/lib/monostack for root, else the user's data dir.
func DefaultStateDir() string {
	if os.Geteuid() == 0 {
		return "/var/lib/monostack"
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "monostack")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "monostack")
	}
	return filepath.Join(home, ".local", "share", "monostack")
}

// CatalogHost is the host name put in catalog URLs.
func (c *Config) CatalogHost() string {
	if c.PublicHost != "" {
		return c.PublicHost
	}
	switch c.BindHost {
	case "", "0.0.0.0", "::", "[::]":
		return "127.0.0.1"
	}
	return c.BindHost
}
