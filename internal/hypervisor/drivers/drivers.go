// Package drivers is the static registry of hypervisor drivers: one table
// naming every driver compiled in.
package drivers

import (
	"fmt"
	"maps"
	"slices"

	"github.com/monostack/monostack/internal/hypervisor"
	"github.com/monostack/monostack/internal/hypervisor/fake"
)

var registry = map[string]func(hypervisor.HostConfig) (hypervisor.Driver, error){
	"fake": func(c hypervisor.HostConfig) (hypervisor.Driver, error) { return fake.New(c) },
}

// New builds the named driver for one host.
func New(name string, cfg hypervisor.HostConfig) (hypervisor.Driver, error) {
	c, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("hypervisor: unknown driver %q (have %v)", name, Names())
	}
	return c(cfg)
}

// Names lists the drivers compiled in.
func Names() []string { return slices.Sorted(maps.Keys(registry)) }
