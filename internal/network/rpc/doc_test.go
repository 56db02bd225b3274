package rpc

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestDocumentNamesEverything keeps docs/network-agent-contract.md in step
// with the code: every subject and message type appears in it.
func TestDocumentNamesEverything(t *testing.T) {
	b, err := os.ReadFile("../../../docs/network-agent-contract.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, s := range slices.Concat(CallSubjects, NotifySubjects) {
		if !strings.Contains(doc, "`"+s+"`") {
			t.Errorf("subject %s is not documented", s)
		}
	}
	for name, msg := range samples {
		if !strings.Contains(doc, "`"+msg.MessageType()+"`") {
			t.Errorf("%s: type %s is not documented", name, msg.MessageType())
		}
	}
	for _, ev := range DHCPEvents {
		if !strings.Contains(doc, "`"+ev+"`") {
			t.Errorf("DHCP event %s is not documented", ev)
		}
	}
}

// TestBusTestsCoverEverySubject: the bus tests exercise every subject.
func TestBusTestsCoverEverySubject(t *testing.T) {
	for _, s := range CallSubjects {
		if !slices.ContainsFunc(calls, func(c callCase) bool { return c.subject == s }) {
			t.Errorf("call subject %s untested", s)
		}
	}
	for _, s := range NotifySubjects {
		if !slices.ContainsFunc(casts, func(c castCase) bool { return c.subject == s }) {
			t.Errorf("notify subject %s untested", s)
		}
	}
	for _, s := range NotifySubjects {
		if !strings.HasPrefix(s, SubjectNotifyPrefix) {
			t.Errorf("%s is outside %s", s, SubjectNotifyPrefix)
		}
	}
}
