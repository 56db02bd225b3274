package scheduler

import "strings"

// imageProperties passes hosts that support the image's architecture,
// hypervisor type and vm mode (new or legacy property names), as Nova's
// ImagePropertiesFilter; an image naming none passes everywhere.
func imageProperties(c *filterCall, h *HostState) bool {
	p := c.spec.ImageProperties
	want := SupportedInstance{
		Arch:   canonicalArch(firstSet(p["hw_architecture"], p["architecture"], c.cfg.ImagePropertiesDefaultArchitecture)),
		HVType: canonicalHVType(firstSet(p["img_hv_type"], p["hypervisor_type"])),
		VMMode: canonicalVMMode(firstSet(p["hw_vm_mode"], p["vm_mode"])),
	}
	if want == (SupportedInstance{}) {
		return true
	}
	for _, s := range supportedInstances(h) {
		if matchesWanted(want.Arch, canonicalArch(s.Arch)) && matchesWanted(want.HVType, canonicalHVType(s.HVType)) &&
			matchesWanted(want.VMMode, canonicalVMMode(s.VMMode)) {
			return true
		}
	}
	return false
}

func matchesWanted(want, have string) bool { return want == "" || want == have }

// supportedInstances is h.SupportedInstances or the one its type implies.
func supportedInstances(h *HostState) []SupportedInstance {
	if len(h.SupportedInstances) > 0 {
		return h.SupportedInstances
	}
	return []SupportedInstance{{Arch: canonicalArch(orDefault(h.Architecture, "x86_64")),
		HVType: canonicalHVType(h.HypervisorType), VMMode: "hvm"}}
}

// canonicalArch is Nova's Architecture.canonicalize.
func canonicalArch(a string) string {
	a = strings.ToLower(a)
	switch a {
	case "i386", "i486", "i586", "x86_32", "x86_32p":
		return "i686"
	case "amd64":
		return "x86_64"
	}
	return a
}

// canonicalHVType is Nova's HVType.canonicalize.
func canonicalHVType(t string) string {
	t = strings.ToLower(t)
	if t == "xapi" {
		return "xen"
	}
	return t
}

// canonicalVMMode is Nova's VMMode.canonicalize.
func canonicalVMMode(m string) string {
	m = strings.ToLower(m)
	switch m {
	case "pv":
		return "xen"
	case "hv", "baremetal":
		return "hvm"
	}
	return m
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
