package scheduler

import (
	"fmt"
	"strings"
)

// Messages of Nova's NoValidHost ("No valid host was found. %(reason)s")
// as users see them in an instance fault.
const (
	// MsgNoValidHost is upstream's text when placement offers no candidate.
	MsgNoValidHost = "No valid host was found. "
	// MsgNotEnoughHosts is upstream's text when candidates existed but the
	// filters (or the claims) left too few.
	MsgNotEnoughHosts = "No valid host was found. There are not enough hosts available."
)

// NoSuchHostMessage is upstream's NoValidHost text for a forced or
// requested host or node that does not exist (None for an empty one).
func NoSuchHostMessage(host, node string) string {
	return fmt.Sprintf("%sNo such host - host: %s node: %s ", MsgNoValidHost, orDefault(host, "None"), orDefault(node, "None"))
}

// UserMessage is the upstream fault message for a request this result
// could not place.
func (r Result) UserMessage() string {
	if r.Candidates == 0 {
		return MsgNoValidHost
	}
	return MsgNotEnoughHosts
}

// Reason tells an admin why no host was left: which filter removed which
// hosts, e.g. "No valid host was found. AvailabilityZoneFilter removed
// host1, host2; ServerGroupAntiAffinityFilter removed host3."
func (r Result) Reason() string {
	if r.Candidates == 0 {
		return MsgNoValidHost + "There were no candidate hosts."
	}
	if len(r.Rejections) == 0 {
		return MsgNoValidHost + "No filter removed a host."
	}
	parts := make([]string, len(r.Rejections))
	for i, rj := range r.Rejections {
		parts[i] = rj.Filter + " removed " + strings.Join(rj.Hosts, ", ")
	}
	return MsgNoValidHost + strings.Join(parts, "; ") + "."
}
