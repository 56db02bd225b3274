package ipam

import (
	"encoding/json"
	"strings"
	"testing"
)

// js decodes a JSON literal as the service does (numbers as json.Number).
func js(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

// Reasons below are neutron_lib 3.8's validator outputs for the same JSON.
func TestAttrValidators(t *testing.T) {
	cases := []struct {
		name string
		fn   func(any) string
		in   string
		want string
	}{
		{"ip", ValidateIPAddressAttr, `"10.0.0.1"`, ""},
		{"ip", ValidateIPAddressAttr, `"010.0.0.1"`, "'010.0.0.1' is not an accepted IP address, '10.0.0.1' is recommended"},
		{"ip", ValidateIPAddressAttr, `"10.0.1"`, "'10.0.1' is not a valid IP address"},
		{"ip", ValidateIPAddressAttr, `"::1"`, ""},
		{"ip", ValidateIPAddressAttr, `"2001:DB8::1"`, ""},
		{"ip", ValidateIPAddressAttr, `"1.2.3.4 "`, "'1.2.3.4 ' is not a valid IP address"},
		{"ip", ValidateIPAddressAttr, `"abc"`, "'abc' is not a valid IP address"},
		{"ip", ValidateIPAddressAttr, `"::ffff:1.2.3.4"`, ""},
		{"ip", ValidateIPAddressAttr, `"fe80::1%eth0"`, "'fe80::1%eth0' is not a valid IP address"},
		{"ip", ValidateIPAddressAttr, `""`, "'' is not a valid IP address"},
		{"ip", ValidateIPAddressAttr, `"1.2.3.256"`, "'1.2.3.256' is not a valid IP address"},
		{"ip", ValidateIPAddressAttr, `"1.2.3.04"`, "'1.2.3.04' is not an accepted IP address, '1.2.3.4' is recommended"},
		{"ip", ValidateIPAddressAttr, `"1..2.3"`, "'1..2.3' is not a valid IP address"},
		{"ip", ValidateIPAddressAttr, `5`, "'5' is not a valid IP address"},
		{"ip or none", ValidateIPAddressOrNoneAttr, `null`, ""},
		{"subnet", ValidateSubnetOrNoneAttr, `"10.0.0.1/24"`, ""},
		{"subnet", ValidateSubnetOrNoneAttr, `null`, ""},
		{"subnet", ValidateSubnetOrNoneAttr, `"10.0.0.0"`, "'10.0.0.0' isn't a recognized IP subnet cidr, '10.0.0.0/32' is recommended"},
		{"subnet", ValidateSubnetOrNoneAttr, `"10.0.0/24"`, "'10.0.0/24' isn't a recognized IP subnet cidr, '10.0.0.0/24' is recommended"},
		{"subnet", ValidateSubnetOrNoneAttr, `"10.0.0.0/33"`, "'10.0.0.0/33' is not a valid IP subnet"},
		{"subnet", ValidateSubnetOrNoneAttr, `"010.0.0.0/24"`, "'010.0.0.0/24' isn't a recognized IP subnet cidr, '10.0.0.0/24' is recommended"},
		{"subnet", ValidateSubnetOrNoneAttr, `" 10.0.0.0/24"`, "' 10.0.0.0/24' is not a valid IP subnet"},
		{"subnet", ValidateSubnetOrNoneAttr, `"2001:db8::1/64"`, ""},
		{"subnet", ValidateSubnetOrNoneAttr, `"2001:db8::"`, "'2001:db8::' isn't a recognized IP subnet cidr, '2001:db8::/128' is recommended"},
		{"subnet", ValidateSubnetOrNoneAttr, `"2001:DB8::/64"`, ""},
		{"subnet", ValidateSubnetOrNoneAttr, `"10.0.0.0/8x"`, "'10.0.0.0/8x' is not a valid IP subnet"},
		{"subnet", ValidateSubnetOrNoneAttr, `"1.2.3.4/032"`, "'1.2.3.4/032' isn't a recognized IP subnet cidr, '1.2.3.4/32' is recommended"},
		{"subnet", ValidateSubnetOrNoneAttr, `"10.0.0.0/255.255.255.0"`, "'10.0.0.0/255.255.255.0' isn't a recognized IP subnet cidr, '10.0.0.0/24' is recommended"},
		{"route cidr", ValidateRouteCIDRAttr, `"1.1.1.0/24"`, ""},
		{"route cidr", ValidateRouteCIDRAttr, `"1.1.1.1/24"`, "'1.1.1.1/24' is not a recognized CIDR, '1.1.1.0/24' is recommended"},
		{"route cidr", ValidateRouteCIDRAttr, `"1.1.1.0"`, "'1.1.1.0' is not a recognized CIDR, '1.1.1.0/32' is recommended"},
		{"route cidr", ValidateRouteCIDRAttr, `"127.0.0.0/8"`, "'127.0.0.0/8' is not a routable CIDR"},
		{"route cidr", ValidateRouteCIDRAttr, `"x"`, "'x' is not a valid CIDR"},
		{"route cidr", ValidateRouteCIDRAttr, `"2001:db8::1/64"`, "'2001:db8::1/64' is not a recognized CIDR, '2001:db8::/64' is recommended"},
		{"route cidr", ValidateRouteCIDRAttr, `"::1/128"`, ""},
		{"route cidr", ValidateRouteCIDRAttr, `"0.0.0.0/0"`, ""},
		{"pools", ValidateIPPoolsAttr, `[{"start": "10.0.0.2", "end": "10.0.0.5"}]`, ""},
		{"pools", ValidateIPPoolsAttr, `[{"start": "10.0.0.2"}]`, "Validation of dictionary's keys failed. Expected keys: {'start', 'end'} Provided keys: {'start'}"},
		{"pools", ValidateIPPoolsAttr, `["a"]`, "Invalid input. 'a' must be a dictionary with keys: ['start', 'end']"},
		{"pools", ValidateIPPoolsAttr, `"x"`, "Invalid data format for IP pool: 'x'"},
		{"pools", ValidateIPPoolsAttr, `null`, "Invalid data format for IP pool: 'None'"},
		{"pools", ValidateIPPoolsAttr, `[{"start": "10.0.0.2", "end": "x"}]`, "'x' is not a valid IP address"},
		{"pools", ValidateIPPoolsAttr, `[{"start": 5, "end": "10.0.0.2"}]`, "'5' is not a valid IP address"},
		{"pools", ValidateIPPoolsAttr, `[]`, ""},
		{"nameservers", ValidateNameserversAttr, `["8.8.8.8", "8.8.8.8"]`, "Duplicate nameserver '8.8.8.8'"},
		{"nameservers", ValidateNameserversAttr, `["8.8.8.8", "x"]`, "'x' is not a valid nameserver. 'x' is not a valid IP address"},
		{"nameservers", ValidateNameserversAttr, `"8.8.8.8"`, "'8' is not a valid nameserver. '8' is not a valid IP address"},
		{"nameservers", ValidateNameserversAttr, `[5]`, "'5' is not a valid nameserver. '5' is not a valid IP address"},
		{"nameservers", ValidateNameserversAttr, `5`, "Invalid data format for nameserver: '5'"},
		{"nameservers", ValidateNameserversAttr, `["010.8.8.8"]`, "'010.8.8.8' is not a valid nameserver. '010.8.8.8' is not an accepted IP address, '10.8.8.8' is recommended"},
		{"nameservers", ValidateNameserversAttr, `[]`, ""},
		{"hostroutes", ValidateHostRoutesAttr, `"x"`, "Invalid data format for hostroute: 'x'"},
		{"hostroutes", ValidateHostRoutesAttr, `["x"]`, "Invalid input. 'x' must be a dictionary with keys: ['destination', 'nexthop']"},
		{"hostroutes", ValidateHostRoutesAttr, `[{"destination": "1.1.1.0/24", "nexthop": "10.0.0.3"}, {"destination": "1.1.1.0/24", "nexthop": "10.0.0.3"}]`, "Duplicate hostroute '{'destination': '1.1.1.0/24', 'nexthop': '10.0.0.3'}'"},
		{"hostroutes", ValidateHostRoutesAttr, `[{"destination": "127.0.0.0/8", "nexthop": "10.0.0.3"}]`, "'127.0.0.0/8' is not a routable CIDR"},
		{"hostroutes", ValidateHostRoutesAttr, `[{"destination": 5, "nexthop": "10.0.0.3"}]`, "'5' is not a valid CIDR"},
		{"hostroutes", ValidateHostRoutesAttr, `[{"destination": "1.1.1.0/24", "nexthop": "x"}]`, "'x' is not a valid IP address"},
		{"hostroutes", ValidateHostRoutesAttr, `[{"destination": "1.1.1.0/24"}]`, "Validation of dictionary's keys failed. Expected keys: {'destination', 'nexthop'} Provided keys: {'destination'}"},
		{"subnet list", ValidateSubnetListAttr, `"x"`, "'x' is not a list"},
		{"subnet list", ValidateSubnetListAttr, `["10.0.0.0/24", "10.0.0.0/24", "10.1.0.0/16", "10.1.0.0/16"]`, "Duplicate items in the list: '10.0.0.0/24, 10.1.0.0/16'"},
		{"subnet list", ValidateSubnetListAttr, `["10.0.0/24"]`, "'10.0.0/24' isn't a recognized IP subnet cidr, '10.0.0.0/24' is recommended"},
		{"subnet list", ValidateSubnetListAttr, `[5]`, "'5' is not a valid IP subnet"},
		{"subnet list", ValidateSubnetListAttr, `[]`, ""},
	}
	for _, c := range cases {
		if got := c.fn(js(t, c.in)); got != c.want {
			t.Errorf("%s(%s):\n got %q\nwant %q", c.name, c.in, got, c.want)
		}
	}
}

// Outputs of neutron_lib's convert_cidr_to_canonical_format.
func TestConvertCIDRAttr(t *testing.T) {
	cases := []struct{ in, want string }{
		{`"10.0.0.1/24"`, "10.0.0.1/24"},
		{`"10.0.0/24"`, "10.0.0.0/24"},
		{`"10.0.0.0"`, "10.0.0.0/32"},
		{`"10/8"`, "10.0.0.0/8"},
		{`"10.1/16"`, "10.1.0.0/16"},
		{`"010.0.0.0/24"`, "10.0.0.0/24"},
		{`"10.0.0.001/24"`, "10.0.0.1/24"},
		{`"10.0.0.0/255.255.255.0"`, "10.0.0.0/24"},
		{`"10.0.0.0/0.0.0.255"`, "10.0.0.0/24"},
		{`"2001:DB8::1/64"`, "2001:db8::1/64"},
		{`"2001:db8::"`, "2001:db8::/128"},
		{`"2001:db8::/064"`, "2001:db8::/64"},
		{`" 10.0.0.0/24"`, "10.0.0.0/24"},
		{`"10.0.0.0/ 24"`, "10.0.0.0/24"},
		{`"10.0.0.0/+8"`, "10.0.0.0/8"},
		{`"1.2.3.4/032"`, "1.2.3.4/32"},
		{`"::ffff:10.0.0.0/120"`, "::ffff:10.0.0.0/120"},
		{`"10.0.0.0/33"`, "InvalidInput: Invalid input for operation: 10.0.0.0/33 is not in a CIDR format."},
		{`"abc"`, "InvalidInput: Invalid input for operation: abc is not in a CIDR format."},
		{`"1.2.3.4/"`, "InvalidInput: Invalid input for operation: 1.2.3.4/ is not in a CIDR format."},
		{`"10.0.0.256/24"`, "InvalidInput: Invalid input for operation: 10.0.0.256/24 is not in a CIDR format."},
		{`"0x0a.0.0.0/24"`, "InvalidInput: Invalid input for operation: 0x0a.0.0.0/24 is not in a CIDR format."},
		{`"10.0.0.0/-1"`, "InvalidInput: Invalid input for operation: 10.0.0.0/-1 is not in a CIDR format."},
		{`"2001:db8::1%eth0/64"`, "InvalidInput: Invalid input for operation: 2001:db8::1%eth0/64 is not in a CIDR format."},
		{`"10.0.0.1/255.255.0.255"`, "InvalidInput: Invalid input for operation: 10.0.0.1/255.255.0.255 is not in a CIDR format."},
		{`"1.2.3.4.5/24"`, "InvalidInput: Invalid input for operation: 1.2.3.4.5/24 is not in a CIDR format."},
		{`"2001:db8::/129"`, "InvalidInput: Invalid input for operation: 2001:db8::/129 is not in a CIDR format."},
		{`"10.0.0.0/0x18"`, "InvalidInput: Invalid input for operation: 10.0.0.0/0x18 is not in a CIDR format."},
	}
	for _, c := range cases {
		got, err := ConvertCIDRAttr(js(t, c.in))
		if err != nil {
			wantErr(t, err, c.want)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got %v want %s", c.in, got, c.want)
		}
	}
}

func TestConvertIPAttr(t *testing.T) {
	for in, want := range map[string]any{`"2001:DB8:0::1"`: "2001:db8::1", `"10.0.0.1"`: "10.0.0.1", `"x"`: "x", `null`: nil} {
		got, _ := ConvertIPAttr(js(t, in))
		if got != want {
			t.Errorf("%s: got %v want %v", in, got, want)
		}
	}
}
