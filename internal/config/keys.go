package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Key describes one setting.
type Key struct {
	Name    string
	Default string
	Help    string
	index   int
}

// EnvName is the environment variable that sets the key.
func (k Key) EnvName() string {
	return "MONOSTACK_" + strings.ToUpper(strings.ReplaceAll(k.Name, "-", "_"))
}

// Keys is the key table, in declaration order.
func Keys() []Key {
	t := reflect.TypeFor[Config]()
	keys := make([]Key, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		keys = append(keys, Key{Name: f.Tag.Get("key"), Default: f.Tag.Get("default"), Help: f.Tag.Get("help"), index: i})
	}
	return keys
}

func keyByName(name string) (Key, bool) {
	for _, k := range Keys() {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// Set parses s into the field of key name.
func (c *Config) Set(name, s string) error {
	k, ok := keyByName(name)
	if !ok {
		return fmt.Errorf("unknown setting %q", name)
	}
	v := reflect.ValueOf(c).Elem().Field(k.index)
	if err := setValue(v, s); err != nil {
		return fmt.Errorf("setting %s: %w", name, err)
	}
	return nil
}

// Get formats the field of key name as a string.
func (c *Config) Get(name string) string {
	k, ok := keyByName(name)
	if !ok {
		return ""
	}
	v := reflect.ValueOf(c).Elem().Field(k.index)
	switch x := v.Interface().(type) {
	case []string:
		return strings.Join(x, ",")
	default:
		return fmt.Sprint(x)
	}
}

func setValue(v reflect.Value, s string) error {
	switch v.Interface().(type) {
	case string:
		v.SetString(s)
	case bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not a boolean", s)
		}
		v.SetBool(b)
	case int, int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not an integer", s)
		}
		v.SetInt(n)
	case float64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
	case time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%q is not a duration (e.g. 90s, 1h)", s)
		}
		v.SetInt(int64(d))
	case []string:
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		v.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}
