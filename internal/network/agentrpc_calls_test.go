package network

import (
	"slices"
	"testing"

	"github.com/monostack/monostack/internal/network/rpc"
)

// TestAgentCallsServeEveryCallSubject: the controller answers every call
// subject of the contract.
func TestAgentCallsServeEveryCallSubject(t *testing.T) {
	calls := (&Service{}).agentCalls()
	for _, subject := range rpc.CallSubjects {
		if !slices.ContainsFunc(calls, func(c agentCall) bool { return c.subject == subject }) {
			t.Errorf("call subject %s is not served", subject)
		}
	}
	if len(calls) != len(rpc.CallSubjects) {
		t.Errorf("%d calls served, the contract has %d", len(calls), len(rpc.CallSubjects))
	}
}
