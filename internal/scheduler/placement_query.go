package scheduler

import (
	"strconv"
	"strings"

	placementapi "github.com/monostack/monostack/api/placement"
)

// diskGB is a flavor's DISK_GB demand: root + ephemeral + swap rounded up
// to whole GB, as Nova's resources_from_flavor.
func diskGB(f Flavor) int {
	return f.RootGB + f.EphemeralGB + (f.SwapMB+1023)/1024
}

// PlacementQuery is the allocation-candidates request for spec: the
// flavor's VCPU, MEMORY_MB and DISK_GB, overridden by resources:CLASS=N
// extra specs (0 drops a class), and required or forbidden traits from
// trait:NAME extra specs and image properties.
func PlacementQuery(spec RequestSpec, limit int) placementapi.CandidatesQuery {
	res := map[string]int{"VCPU": spec.Flavor.VCPUs, "MEMORY_MB": spec.Flavor.MemoryMB, "DISK_GB": diskGB(spec.Flavor)}
	var traits []string
	addTraits := func(m map[string]string) {
		for k, v := range m {
			name, ok := strings.CutPrefix(k, "trait:")
			if !ok {
				continue
			}
			switch v {
			case "required":
				traits = append(traits, name)
			case "forbidden":
				traits = append(traits, "!"+name)
			}
		}
	}
	for k, v := range spec.Flavor.ExtraSpecs {
		if class, ok := strings.CutPrefix(k, "resources:"); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				res[class] = n
			}
		}
	}
	addTraits(spec.Flavor.ExtraSpecs)
	addTraits(spec.ImageProperties)
	for k, v := range res {
		if v == 0 {
			delete(res, k)
		}
	}
	return placementapi.CandidatesQuery{Resources: res, Required: traits, Limit: limit}
}
