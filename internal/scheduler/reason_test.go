package scheduler

import "testing"

func TestReasonAndMessages(t *testing.T) {
	cases := []struct {
		name         string
		res          Result
		reason, user string
	}{
		{"no candidates", Result{}, "No valid host was found. There were no candidate hosts.", "No valid host was found. "},
		{"filters removed all", Result{Candidates: 3, Rejections: []Rejection{
			{"AvailabilityZoneFilter", []string{"host1", "host2"}}, {"ServerGroupAntiAffinityFilter", []string{"host3"}}}},
			"No valid host was found. AvailabilityZoneFilter removed host1, host2; ServerGroupAntiAffinityFilter removed host3.",
			"No valid host was found. There are not enough hosts available."},
		{"nothing removed", Result{Candidates: 1}, "No valid host was found. No filter removed a host.",
			"No valid host was found. There are not enough hosts available."},
	}
	for _, tc := range cases {
		if got := tc.res.Reason(); got != tc.reason {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.reason)
		}
		if got := tc.res.UserMessage(); got != tc.user {
			t.Errorf("%s: user message %q, want %q", tc.name, got, tc.user)
		}
	}
	if got := NoSuchHostMessage("h1", ""); got != "No valid host was found. No such host - host: h1 node: None " {
		t.Errorf("no such host: %q", got)
	}
}
