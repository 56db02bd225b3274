package network

import (
	"fmt"
	"testing"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

func TestConvertProtocol(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string // the converted value, or the error type
	}{
		{nil, "<nil>"},
		{"TCP", "tcp"},
		{"icmpv6", "icmpv6"},
		{int64(17), "17"},
		{"06", "06"},
		{int64(0), "0"},
		{int64(256), "SecurityGroupRuleInvalidProtocol"},
		{"-1", "SecurityGroupRuleInvalidProtocol"},
		{"bogus", "SecurityGroupRuleInvalidProtocol"},
		{[]any{"tcp"}, "SecurityGroupRuleInvalidProtocol"},
	} {
		got, err := convertProtocol(c.in)
		if err != nil {
			got = typeOf(err)
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("convertProtocol(%v) = %v, want %s", c.in, got, c.want)
		}
	}
}

func TestConvertPortAndPrefix(t *testing.T) {
	for _, c := range []struct {
		conv func(any) (any, error)
		in   any
		want string
	}{
		{convertPort, "22", "22"},
		{convertPort, float64(80), "80"},
		{convertPort, int64(65536), "SecurityGroupInvalidPortValue"},
		{convertPort, int64(-1), "SecurityGroupInvalidPortValue"},
		{convertIPPrefix, "", "<nil>"},
		{convertIPPrefix, "10.0.0.5", "10.0.0.5/32"},
		{convertIPPrefix, "2001:DB8::/32", "2001:db8::/32"},
		{convertIPPrefix, "192.168.1./24", "InvalidCIDR"},
		{convertIPPrefix, "256", "InvalidCIDR"},
		{convertEthertype, "ipv6", "IPv6"},
		{convertEthertype, "IPv5", "SecurityGroupRuleInvalidEtherType"},
	} {
		got, err := c.conv(c.in)
		if err != nil {
			got = typeOf(err)
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("%v: got %v, want %s", c.in, got, c.want)
		}
	}
}

func TestRuleKey(t *testing.T) {
	str := func(s string) *string { return &s }
	base := sgRule{GroupID: "g", Direction: "ingress", Ethertype: "IPv4"}
	same := []func(r *sgRule){
		func(r *sgRule) { r.Protocol = str("udp") },
		func(r *sgRule) { r.Protocol = str("17") },
	}
	a, b := base, base
	same[0](&a)
	same[1](&b)
	if ruleKey(&a) != ruleKey(&b) {
		t.Errorf("udp and 17 differ: %s %s", ruleKey(&a), ruleKey(&b))
	}
	c, d := base, base
	c.RemoteIPPrefix = str("0.0.0.0/0")
	if ruleKey(&c) != ruleKey(&d) {
		t.Errorf("0.0.0.0/0 and no prefix differ")
	}
	v6a, v6b := base, base
	v6a.Ethertype, v6b.Ethertype = "IPv6", "IPv6"
	v6a.Protocol, v6b.Protocol = str("icmp"), str("58")
	if ruleKey(&v6a) != ruleKey(&v6b) {
		t.Errorf("IPv6 icmp and 58 differ: %s %s", ruleKey(&v6a), ruleKey(&v6b))
	}
}

// typeOf is a Neutron error's type name.
func typeOf(err error) string {
	if ne, ok := neutronerr.As(err); ok {
		return ne.Type
	}
	return err.Error()
}
