package scheduler

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	placementapi "github.com/monostack/monostack/api/placement"
)

// extraSpecKey is Nova's XS_KEYPAT: resources or trait, an optional group
// suffix, then the class or trait name.
var extraSpecKey = regexp.MustCompile(`^(resources|trait)([a-zA-Z0-9_-]{1,64})?:(.*)$`)

// PlacementQuery is GET /allocation_candidates for spec, as Nova's
// ResourceRequest.from_request_spec and its request filters build it:
// resources:CLASS=N and trait:NAME=required|forbidden extra specs,
// trait:NAME=required image properties, hw:cpu_policy=dedicated as PCPU,
// then VCPU, MEMORY_MB and DISK_GB from the flavor where no extra spec set
// them, zero amounts dropped, and COMPUTE_STATUS_DISABLED forbidden.
// Numbered (granular) groups are ignored.
func PlacementQuery(spec RequestSpec, limit int) placementapi.CandidatesQuery {
	res := map[string]int{}
	required, forbidden := map[string]bool{}, map[string]bool{"COMPUTE_STATUS_DISABLED": true}
	for key, val := range spec.Flavor.ExtraSpecs {
		m := extraSpecKey.FindStringSubmatch(key)
		if m == nil || m[2] != "" {
			continue
		}
		if m[1] == "resources" {
			addResource(res, m[3], val)
		} else {
			addTrait(required, forbidden, m[3], val)
		}
	}
	for key, val := range spec.ImageProperties {
		if name, ok := strings.CutPrefix(key, "trait:"); ok && val == "required" {
			required[name] = true
		}
	}
	addFlavorResources(res, spec)
	for class, n := range res {
		if n == 0 {
			delete(res, class)
		}
	}
	q := placementapi.CandidatesQuery{Resources: res, Required: traitList(required, forbidden), InTree: spec.InTree, Limit: limit}
	return q
}

// addFlavorResources adds what the flavor asks where extra specs did not.
func addFlavorResources(res map[string]int, spec RequestSpec) {
	f := spec.Flavor
	_, vcpu := res["VCPU"]
	_, pcpu := res["PCPU"]
	if !vcpu && !pcpu {
		if cpuPolicy(spec) == "dedicated" {
			res["PCPU"] = f.VCPUs
		} else {
			res["VCPU"] = f.VCPUs
		}
	}
	if _, ok := res["MEMORY_MB"]; !ok {
		res["MEMORY_MB"] = f.MemoryMB
	}
	if _, ok := res["DISK_GB"]; !ok {
		res["DISK_GB"] = diskGB(f, spec.BootFromVolume)
	}
}

// cpuPolicy is hw:cpu_policy of the flavor, else hw_cpu_policy of the image.
func cpuPolicy(spec RequestSpec) string {
	return firstSet(spec.Flavor.ExtraSpecs["hw:cpu_policy"], spec.ImageProperties["hw_cpu_policy"])
}

// diskGB is a flavor's DISK_GB: ephemeral, swap rounded up to whole GB,
// and the root disk unless the instance boots from a volume.
func diskGB(f Flavor, bootFromVolume bool) int {
	disk := f.EphemeralGB + (f.SwapMB+1023)/1024
	if !bootFromVolume {
		disk += f.RootGB
	}
	return disk
}

// addResource sets a standard or CUSTOM_ class to a non-negative integer;
// anything else is ignored, as upstream (with a warning there).
func addResource(res map[string]int, class, val string) {
	if !strings.HasPrefix(class, "CUSTOM_") && !slices.Contains(standardResourceClasses, class) {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(val))
	if err != nil || n < 0 {
		return
	}
	res[class] = n
}

func addTrait(required, forbidden map[string]bool, name, val string) {
	switch val {
	case "required":
		required[name] = true
	case "forbidden":
		forbidden[name] = true
	}
}

// traitList is the required traits sorted, then "!"+forbidden sorted, as
// Nova writes its query string.
func traitList(required, forbidden map[string]bool) []string {
	var req, forb []string
	for t := range required {
		req = append(req, t)
	}
	for t := range forbidden {
		forb = append(forb, "!"+t)
	}
	slices.Sort(req)
	slices.Sort(forb)
	return append(req, forb...)
}

// standardResourceClasses are os-resource-classes' standard classes
// (internal/placement holds the same list, unexported).
var standardResourceClasses = []string{
	"VCPU", "MEMORY_MB", "DISK_GB", "PCI_DEVICE", "SRIOV_NET_VF", "NUMA_SOCKET", "NUMA_CORE",
	"NUMA_THREAD", "NUMA_MEMORY_MB", "IPV4_ADDRESS", "VGPU", "VGPU_DISPLAY_HEAD",
	"NET_BW_EGR_KILOBIT_PER_SEC", "NET_BW_IGR_KILOBIT_PER_SEC", "PCPU", "MEM_ENCRYPTION_CONTEXT",
	"FPGA", "PGPU", "NET_PACKET_RATE_KILOPACKET_PER_SEC", "NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC",
	"NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC",
}
