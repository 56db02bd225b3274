package rpc

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/bus"
)

// startBus is an embedded bus with one connection, closed at the test's end.
func startBus(t *testing.T) *bus.Conn {
	t.Helper()
	e, err := bus.StartEmbedded(bus.EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	c, err := e.Connect(bus.ConnectOptions{Name: "rpc-test", Logger: slog.New(slog.DiscardHandler),
		CloseGrace: time.Second, CallTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// callCase pairs a call subject with a request and the reply it gets.
type callCase struct {
	subject    string
	req, reply string // sample names; no reply for a call without body
}

// castCase pairs a notification sample with its fanout subject.
type castCase struct{ subject, msg string }

var calls = []callCase{
	{SubjectReportState, "report_state", "report_state_reply"},
	{SubjectDevices, "get_devices", "get_devices_reply"},
	{SubjectUpdateDevices, "update_device_list", "update_device_list_reply"},
	{SubjectSecurityInfo, "security_group_info", "security_group_info_reply"},
	{SubjectFDB, "get_fdb", "get_fdb_reply"},
	{SubjectDHCPNetworks, "dhcp_active_networks", "dhcp_active_networks_reply"},
	{SubjectDHCPNetwork, "dhcp_network_info", "dhcp_network_info_reply"},
	{SubjectDHCPReady, "dhcp_ready_on_ports", ""},
	{SubjectSyncRouters, "sync_routers", "sync_routers_reply"},
	{SubjectFIPStatuses, "update_floatingip_statuses", ""},
}

var casts = []castCase{
	{SubjectPortUpdate, "port_update"},
	{SubjectPortDelete, "port_delete"},
	{SubjectNetworkUpdate, "network_update"},
	{SubjectNetworkDelete, "network_delete"},
	{SubjectSecurityGroupUpdate, "security_groups_rule_updated"},
	{SubjectSecurityGroupUpdate, "security_groups_member_update"},
	{SubjectL2PopUpdate, "l2population_update"},
	{SubjectL3, "routers_updated"},
	{SubjectL3, "router_deleted"},
	{SubjectDHCP, "dhcp_notify_port"},
	{SubjectDHCP, "dhcp_notify_network"},
}

// fresh is a new zero value of msg's type, to decode into.
func fresh(msg bus.Versioned) bus.Versioned {
	return reflect.New(reflect.TypeOf(msg)).Interface().(bus.Versioned)
}

func deref(v bus.Versioned) any { return reflect.ValueOf(v).Elem().Interface() }

// TestCallsOverBus serves every call subject as a controller would and
// checks request and reply cross the bus unchanged.
func TestCallsOverBus(t *testing.T) {
	c := startBus(t)
	for _, tc := range calls {
		t.Run(tc.subject, func(t *testing.T) {
			req := samples[tc.req]
			got := make(chan any, 1)
			sub, err := c.Handle(tc.subject, ControllerQueue, func(_ context.Context, m *bus.Message) (any, error) {
				v := fresh(req)
				if err := Decode(m, v); err != nil {
					return nil, err
				}
				got <- deref(v)
				if tc.reply == "" {
					return nil, nil
				}
				return samples[tc.reply], nil
			})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Stop()
			var resp any // nil for a call without reply body
			if tc.reply != "" {
				resp = fresh(samples[tc.reply])
			}
			if err := c.Call(context.Background(), tc.subject, req, resp); err != nil {
				t.Fatal(err)
			}
			if g := <-got; !reflect.DeepEqual(g, req) {
				t.Fatalf("controller got %#v, want %#v", g, req)
			}
			if resp != nil && !reflect.DeepEqual(deref(resp.(bus.Versioned)), samples[tc.reply]) {
				t.Fatalf("agent got %#v", resp)
			}
		})
	}
}

// TestNotificationsFanOut checks every notification reaches every agent
// subscribed to the wildcard, on its own subject.
func TestNotificationsFanOut(t *testing.T) {
	c := startBus(t)
	const agents = 2
	got := make(chan *bus.Message, agents*len(casts))
	for range agents {
		sub, err := c.Handle(SubjectNotifyAll, "", func(_ context.Context, m *bus.Message) (any, error) {
			got <- m
			return nil, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Stop()
	}
	for _, tc := range casts {
		if err := c.Cast(context.Background(), tc.subject, samples[tc.msg]); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	for range agents * len(casts) {
		select {
		case m := <-got:
			seen[m.Subject+" "+m.Type]++
			wants := samplesOfType(m.Type)
			v := fresh(wants[0])
			if err := Decode(m, v); err != nil {
				t.Fatalf("%s: %v", m.Type, err)
			}
			if !slices.ContainsFunc(wants, func(w bus.Versioned) bool { return reflect.DeepEqual(deref(v), w) }) {
				t.Fatalf("%s: got %#v", m.Type, deref(v))
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("only %v arrived", seen)
		}
	}
	for _, tc := range casts {
		if key := tc.subject + " " + samples[tc.msg].MessageType(); seen[key] < 1 {
			t.Errorf("%s never arrived", key)
		}
	}
}

// samplesOfType lists the notification samples of a message type.
func samplesOfType(typ string) []bus.Versioned {
	var out []bus.Versioned
	for _, tc := range casts {
		if samples[tc.msg].MessageType() == typ {
			out = append(out, samples[tc.msg])
		}
	}
	return out
}

// getDevicesV2 is a future major version of GetDevices.
type getDevicesV2 struct {
	Hosts []string `json:"hosts"`
}

func (getDevicesV2) MessageType() string         { return GetDevices{}.MessageType() }
func (getDevicesV2) MessageVersion() bus.Version { return bus.Version{Major: 2} }

// getDevicesV1Later is a later minor version: an added optional field.
type getDevicesV1Later struct {
	GetDevices
	VNICType string `json:"vnic_type"`
}

func (getDevicesV1Later) MessageVersion() bus.Version { return bus.Version{Major: 1, Minor: 3} }

// TestUnknownMajorVersionRefused: a controller speaking 1.x refuses 2.0 with
// unsupported_version and serves 1.3 (minor versions only add fields).
func TestUnknownMajorVersionRefused(t *testing.T) {
	c := startBus(t)
	sub, err := c.Handle(SubjectDevices, ControllerQueue, func(_ context.Context, m *bus.Message) (any, error) {
		var req GetDevices
		if err := Decode(m, &req); err != nil {
			return nil, err
		}
		return DevicesReply{Unknown: req.Devices}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Stop()

	err = c.Call(context.Background(), SubjectDevices, getDevicesV2{Hosts: []string{hostA}}, nil)
	if bus.CodeOf(err) != bus.UnsupportedVersion {
		t.Fatalf("major 2: got %v, want unsupported_version", err)
	}
	var reply DevicesReply
	later := getDevicesV1Later{GetDevices: GetDevices{Host: hostA, Devices: []string{"p"}}, VNICType: "normal"}
	if err := c.Call(context.Background(), SubjectDevices, later, &reply); err != nil {
		t.Fatalf("minor 1.3 must be served: %v", err)
	}
	if !reflect.DeepEqual(reply.Unknown, []string{"p"}) {
		t.Fatalf("reply %+v", reply)
	}
}

// TestAgentRefusesNewerReply: an agent speaking 1.x refuses a 2.0 reply.
func TestAgentRefusesNewerReply(t *testing.T) {
	c := startBus(t)
	sub, err := c.Handle(SubjectDevices, ControllerQueue, func(context.Context, *bus.Message) (any, error) {
		return devicesReplyV2{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Stop()
	var reply DevicesReply
	err = c.Call(context.Background(), SubjectDevices, GetDevices{Host: hostA}, &reply)
	var ve *bus.VersionError
	if !errors.As(err, &ve) || ve.Want != 1 || ve.Got.Major != 2 {
		t.Fatalf("got %v, want a *bus.VersionError", err)
	}
}

type devicesReplyV2 struct{}

func (devicesReplyV2) MessageType() string         { return DevicesReply{}.MessageType() }
func (devicesReplyV2) MessageVersion() bus.Version { return bus.Version{Major: 2} }

// TestInvalidRequestCrossesAsBadRequest: Decode's validation error reaches
// the agent as bad_request.
func TestInvalidRequestCrossesAsBadRequest(t *testing.T) {
	c := startBus(t)
	sub, err := c.Handle(SubjectSyncRouters, ControllerQueue, func(_ context.Context, m *bus.Message) (any, error) {
		var req SyncRouters
		return nil, Decode(m, &req)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Stop()
	err = c.Call(context.Background(), SubjectSyncRouters, SyncRouters{}, nil)
	if bus.CodeOf(err) != bus.Invalid {
		t.Fatalf("got %v, want bad_request", err)
	}
}
