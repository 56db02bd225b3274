package scheduler

// Config is the scheduler's settings, with Nova's names and defaults.
type Config struct {
	// EnabledFilters in order (Nova's [filter_scheduler]enabled_filters).
	EnabledFilters []string
	// Weigher multipliers: positive spreads, negative stacks.
	RAMWeightMultiplier              float64
	CPUWeightMultiplier              float64
	DiskWeightMultiplier             float64
	SoftAffinityWeightMultiplier     float64
	SoftAntiAffinityWeightMultiplier float64
	// HostSubsetSize picks the best host at random among the top N
	// (Nova's host_subset_size); 1 always takes the best.
	HostSubsetSize int
}

// DefaultConfig is Nova Zed's defaults, restricted to the filters this
// package has, plus the aggregate and same/different host filters.
func DefaultConfig() Config {
	return Config{
		EnabledFilters: []string{"AvailabilityZoneFilter", "ComputeFilter", "ImagePropertiesFilter",
			"AggregateInstanceExtraSpecsFilter", "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter",
			"SameHostFilter", "DifferentHostFilter"},
		RAMWeightMultiplier: 1, CPUWeightMultiplier: 1, DiskWeightMultiplier: 1,
		SoftAffinityWeightMultiplier: 1, SoftAntiAffinityWeightMultiplier: 1,
		HostSubsetSize: 1,
	}
}
