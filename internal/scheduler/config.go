package scheduler

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Config is the scheduler's settings, named after Nova's
// [filter_scheduler] and [scheduler] options.
type Config struct {
	// EnabledFilters run in this order (enabled_filters).
	EnabledFilters []string
	// Weigher multipliers: positive spreads, negative stacks; aggregate
	// metadata of the same name overrides them per host.
	RAMWeightMultiplier              float64
	CPUWeightMultiplier              float64
	DiskWeightMultiplier             float64
	SoftAffinityWeightMultiplier     float64
	SoftAntiAffinityWeightMultiplier float64
	// HostSubsetSize picks the first host at random among the best N.
	HostSubsetSize int
	// ShuffleBestSameWeighedHosts shuffles the hosts that tie for best.
	ShuffleBestSameWeighedHosts bool
	// ImagePropertiesDefaultArchitecture stands in for an image without
	// hw_architecture ("" checks nothing).
	ImagePropertiesDefaultArchitecture string
	// DefaultAvailabilityZone is the zone of hosts in no zoned aggregate.
	DefaultAvailabilityZone string
	// MaxAttempts is how many hosts a build may try (the conductor's).
	MaxAttempts int
	// MaxPlacementResults is the allocation-candidates limit.
	MaxPlacementResults int
	// RandIntN returns a number in [0, n); nil uses math/rand/v2.
	RandIntN func(n int) int
}

// DefaultFilters are Zed's enabled_filters plus AvailabilityZoneFilter,
// SameHostFilter and DifferentHostFilter, as DevStack (which Tempest runs
// against) enables them: monostack does not map zones to placement
// aggregates, so the filter enforces zones.
var DefaultFilters = []string{
	"AvailabilityZoneFilter", "ComputeFilter", "ComputeCapabilitiesFilter", "ImagePropertiesFilter",
	"ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter", "SameHostFilter", "DifferentHostFilter",
}

// DefaultConfig is Nova Zed's defaults.
func DefaultConfig() Config {
	return Config{
		EnabledFilters:      slices.Clone(DefaultFilters),
		RAMWeightMultiplier: 1, CPUWeightMultiplier: 1, DiskWeightMultiplier: 1,
		SoftAffinityWeightMultiplier: 1, SoftAntiAffinityWeightMultiplier: 1,
		HostSubsetSize: 1, DefaultAvailabilityZone: "nova", MaxAttempts: 3, MaxPlacementResults: 1000,
	}
}

// Validate rejects what Nova refuses at start: unknown filters (its
// SchedulerHostFilterNotFound) and values under the options' minimums.
func (c Config) Validate() error {
	for _, name := range c.EnabledFilters {
		if !Known(name) {
			return fmt.Errorf("scheduler host filter %s could not be found (Nova's SchedulerHostFilterNotFound)", name)
		}
	}
	switch {
	case c.HostSubsetSize < 1:
		return fmt.Errorf("host subset size must be at least 1, not %d", c.HostSubsetSize)
	case c.SoftAffinityWeightMultiplier < 0 || c.SoftAntiAffinityWeightMultiplier < 0:
		return fmt.Errorf("soft affinity weight multipliers must not be negative")
	case c.MaxAttempts < 1:
		return fmt.Errorf("max attempts must be at least 1, not %d", c.MaxAttempts)
	case c.MaxPlacementResults < 1:
		return fmt.Errorf("max placement results must be at least 1, not %d", c.MaxPlacementResults)
	}
	return nil
}

// intN is c.RandIntN or math/rand/v2's.
func (c *Config) intN(n int) int {
	if c.RandIntN != nil {
		return c.RandIntN(n)
	}
	return rand.IntN(n)
}
