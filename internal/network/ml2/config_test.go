package ml2

import (
	"reflect"
	"testing"
)

func TestParseVLANRanges(t *testing.T) {
	for _, c := range []struct {
		in      []string
		want    map[string][]Range
		wantErr bool
	}{
		{[]string{"physnet1:100:200", "physnet1:300:300", "physnet2"},
			map[string][]Range{"physnet1": {{100, 200}, {300, 300}}, "physnet2": nil}, false},
		{[]string{"physnet1:0:10"}, nil, true},
		{[]string{"physnet1:10:5"}, nil, true},
		{[]string{":1:2"}, nil, true},
	} {
		got, err := ParseVLANRanges(c.in)
		if (err != nil) != c.wantErr || (!c.wantErr && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("%v: %v %v", c.in, got, err)
		}
	}
}

func TestNetworkMTU(t *testing.T) {
	m, err := NewManager(Config{TenantNetworkTypes: []string{TypeVXLAN}, FlatNetworks: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		segs []Segment
		want int
	}{
		{[]Segment{{Type: TypeVXLAN}}, 1450},
		{[]Segment{{Type: TypeGRE}}, 1458},
		{[]Segment{{Type: TypeFlat}}, 1500},
		{[]Segment{{Type: TypeVLAN}}, 1500},
		{[]Segment{{Type: TypeLocal}}, 1500},
		{[]Segment{{Type: TypeVLAN}, {Type: TypeVXLAN}}, 1450},
	} {
		if got := m.NetworkMTU(c.segs); got != c.want {
			t.Errorf("%v: %d, want %d", c.segs, got, c.want)
		}
	}
	if _, err := NewManager(Config{TenantNetworkTypes: []string{"geneve"}}); err == nil {
		t.Error("unknown tenant type accepted")
	}
}
