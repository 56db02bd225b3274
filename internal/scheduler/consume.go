package scheduler

// Consume records that h took one instance of spec, so the next instance
// of the same request sees it, as Nova's _consume_selected_host: the
// requested VCPU (or PCPU), MEMORY_MB and DISK_GB come off the free
// amounts, the instance count rises, and the group gains a member there.
// spec.Group is shared with the caller's copy and changes with it.
func Consume(h *HostState, spec *RequestSpec) {
	res := PlacementQuery(*spec, 0).Resources
	h.FreeVCPUs -= res["VCPU"] + res["PCPU"]
	h.FreeRAMMB -= res["MEMORY_MB"]
	h.FreeDiskGB -= res["DISK_GB"]
	h.NumInstances++
	if spec.Group != nil {
		if spec.Group.Hosts == nil {
			spec.Group.Hosts = map[string]int{}
		}
		spec.Group.Hosts[h.Host]++
	}
}

// ConsumeNode is Consume on the host of hosts whose NodeUUID is nodeUUID;
// it reports whether there was one.
func ConsumeNode(hosts []HostState, nodeUUID string, spec *RequestSpec) bool {
	for i := range hosts {
		if hosts[i].NodeUUID == nodeUUID {
			Consume(&hosts[i], spec)
			return true
		}
	}
	return false
}
