package identity

import (
	"reflect"
	"testing"
	"time"
)

func TestTokenPayloadRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 123456000, time.UTC)
	cases := []tokenPayload{
		{UserID: "0123456789abcdef0123456789abcdef", Methods: []string{"password"}, Scope: scopeNone},
		{UserID: "admin-user", Methods: []string{"password", "token"}, Scope: scopeProject, ScopeID: "fedcba9876543210fedcba9876543210"},
		{UserID: "0123456789abcdef0123456789abcdef", Methods: []string{"token"}, Scope: scopeDomain, ScopeID: "default"},
		{UserID: "0123456789abcdef0123456789abcdef", Methods: []string{"application_credential"}, Scope: scopeProject, ScopeID: "p", AppCredID: "0123456789abcdef0123456789abcdee"},
		{UserID: "u", Methods: []string{"password"}, Scope: scopeSystem, TrustID: "t"},
	}
	for _, c := range cases {
		c.IssuedAt, c.ExpiresAt = now, now.Add(time.Hour)
		c.AuditIDs = []string{newAuditID(), newAuditID()}
		got, err := unmarshalPayload(c.marshal())
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if !reflect.DeepEqual(*got, c) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", *got, c)
		}
	}
}

func TestTokenPayloadRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {9}, {1, 0, 1}, {1, 0, 1, 1, 1, 2, 3}} {
		if _, err := unmarshalPayload(b); err == nil {
			t.Fatalf("%v accepted", b)
		}
	}
}
