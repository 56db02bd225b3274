package identity

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"slices"
	"time"
)

// tokenPayload is what a Fernet token carries; everything else about a
// token (names, roles, catalog) is looked up when it is validated.
type tokenPayload struct {
	UserID    string
	Methods   []string
	Scope     scopeKind
	ScopeID   string // project or domain id
	TrustID   string
	AppCredID string
	IssuedAt  time.Time
	ExpiresAt time.Time
	AuditIDs  []string // this token's audit id, then its chain's first
}

type scopeKind byte

const (
	scopeNone scopeKind = iota
	scopeProject
	scopeDomain
	scopeSystem
)

const payloadVersion = 1

// authMethods are the auth method names in their bit order.
var authMethods = []string{"password", "token", "application_credential", "totp", "mapped", "oauth1", "external", "ec2credential"}

func methodBits(methods []string) byte {
	var b byte
	for i, m := range authMethods {
		if slices.Contains(methods, m) {
			b |= 1 << i
		}
	}
	return b
}

func methodNames(b byte) []string {
	var out []string
	for i, m := range authMethods {
		if b&(1<<i) != 0 {
			out = append(out, m)
		}
	}
	return out
}

const (
	flagTrust   = 1 << 3
	flagAppCred = 1 << 4
)

func (p *tokenPayload) marshal() []byte {
	b := make([]byte, 0, 96)
	flags := byte(p.Scope)
	if p.TrustID != "" {
		flags |= flagTrust
	}
	if p.AppCredID != "" {
		flags |= flagAppCred
	}
	b = append(b, payloadVersion, flags, methodBits(p.Methods))
	b = appendID(b, p.UserID)
	if p.Scope == scopeProject || p.Scope == scopeDomain {
		b = appendID(b, p.ScopeID)
	}
	if p.TrustID != "" {
		b = appendID(b, p.TrustID)
	}
	if p.AppCredID != "" {
		b = appendID(b, p.AppCredID)
	}
	b = binary.AppendVarint(b, p.IssuedAt.UnixMicro())
	b = binary.AppendVarint(b, p.ExpiresAt.UnixMicro())
	b = append(b, byte(len(p.AuditIDs)))
	for _, a := range p.AuditIDs {
		b = appendAuditID(b, a)
	}
	return b
}

var errPayload = errors.New("malformed token payload")

type payloadReader struct {
	b   []byte
	err error
}

func (r *payloadReader) byte() byte {
	if r.err != nil || len(r.b) < 1 {
		r.err = errPayload
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *payloadReader) bytes(n int) []byte {
	if r.err != nil || n < 0 || len(r.b) < n {
		r.err = errPayload
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *payloadReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if r.err != nil || n <= 0 {
		r.err = errPayload
		return 0
	}
	r.b = r.b[n:]
	return v
}

// id reads an id written by appendID.
func (r *payloadReader) id() string {
	switch r.byte() {
	case idHex:
		return hex.EncodeToString(r.bytes(16))
	case idRaw:
		return string(r.bytes(int(r.byte())))
	}
	r.err = errPayload
	return ""
}

func unmarshalPayload(b []byte) (*tokenPayload, error) {
	r := &payloadReader{b: b}
	if r.byte() != payloadVersion {
		return nil, errPayload
	}
	flags := r.byte()
	p := &tokenPayload{Methods: methodNames(r.byte()), Scope: scopeKind(flags & 7)}
	p.UserID = r.id()
	if p.Scope == scopeProject || p.Scope == scopeDomain {
		p.ScopeID = r.id()
	}
	if flags&flagTrust != 0 {
		p.TrustID = r.id()
	}
	if flags&flagAppCred != 0 {
		p.AppCredID = r.id()
	}
	p.IssuedAt = time.UnixMicro(r.varint()).UTC()
	p.ExpiresAt = time.UnixMicro(r.varint()).UTC()
	n := int(r.byte())
	for range n {
		p.AuditIDs = append(p.AuditIDs, base64.RawURLEncoding.EncodeToString(r.bytes(16)))
	}
	if r.err != nil || len(r.b) != 0 || p.Scope > scopeSystem {
		return nil, errPayload
	}
	return p, nil
}

const (
	idHex byte = 1 // a 32-digit lowercase hex id, stored as 16 bytes
	idRaw byte = 2 // any other id, stored with a length byte
)

func appendID(b []byte, id string) []byte {
	if len(id) == 32 {
		if raw, err := hex.DecodeString(id); err == nil && hex.EncodeToString(raw) == id {
			return append(append(b, idHex), raw...)
		}
	}
	if len(id) > 255 {
		id = id[:255] // ids are at most 64 characters; never reached
	}
	return append(append(b, idRaw, byte(len(id))), id...)
}

func appendAuditID(b []byte, a string) []byte {
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 16 {
		raw = make([]byte, 16)
	}
	return append(b, raw...)
}
