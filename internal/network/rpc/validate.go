package rpc

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/errs"
)

// Validator is a request that checks itself; its error is an *errs.Error of
// kind BadRequest, so it crosses the bus as bus.Invalid.
type Validator interface {
	Validate() error
}

// Decode reads a received message into v (checking its type and major
// version, see bus.Message.Decode) and validates it when v is a Validator.
func Decode(m *bus.Message, v bus.Versioned) error {
	if err := m.Decode(v); err != nil {
		return err
	}
	if val, ok := v.(Validator); ok {
		return val.Validate()
	}
	return nil
}

// required checks name/value pairs are not empty.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return errs.BadRequestf("%s is required", pairs[i])
		}
	}
	return nil
}

// oneOf checks value is one of allowed.
func oneOf(name, value string, allowed ...string) error {
	if !slices.Contains(allowed, value) {
		return errs.BadRequestf("%s %q is not one of %s", name, value, strings.Join(allowed, ", "))
	}
	return nil
}

// ids checks a list of ids has no empty entry.
func ids(name string, list []string) error {
	for _, id := range list {
		if strings.TrimSpace(id) == "" {
			return errs.BadRequestf("%s has an empty id", name)
		}
	}
	return nil
}

// prefix checks s is empty or a CIDR ("10.0.0.0/24") or a bare address.
func prefix(name, s string) error {
	if s == "" {
		return nil
	}
	if _, err := netip.ParsePrefix(s); err == nil {
		return nil
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return nil
	}
	return errs.BadRequestf("%s %q is not an IP prefix", name, s)
}
