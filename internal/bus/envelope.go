package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/httpx"
)

// Version is a message schema version. A receiver refuses a major version
// it does not speak; minor versions only add optional fields, which older
// receivers ignore.
type Version struct {
	Major, Minor int
}

func (v Version) String() string { return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) }

// MarshalJSON writes "major.minor", as oslo.messaging does.
func (v Version) MarshalJSON() ([]byte, error) { return json.Marshal(v.String()) }

// UnmarshalJSON reads "major.minor".
func (v *Version) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	p, err := ParseVersion(s)
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// ParseVersion reads "major.minor".
func ParseVersion(s string) (Version, error) {
	majS, minS, ok := strings.Cut(s, ".")
	a, err1 := strconv.Atoi(majS)
	b, err2 := strconv.Atoi(minS)
	if !ok || err1 != nil || err2 != nil || a < 0 || b < 0 {
		return Version{}, fmt.Errorf("bus: bad version %q", s)
	}
	return Version{a, b}, nil
}

// Versioned is a message body that names its type and schema version.
// Call and Cast require one; Message.Decode checks the envelope against it.
type Versioned interface {
	MessageType() string
	MessageVersion() Version
}

// VersionError is the receiver's refusal of a major version it does not
// speak; it crosses the bus as UnsupportedVersion.
type VersionError struct {
	Type string
	Got  Version // in the envelope
	Want int     // the major version the receiver speaks
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("%s version %s not supported (receiver speaks %d.x)", e.Type, e.Got, e.Want)
}

// envelope is every message's wire form. Reply envelopes carry either a body
// or an error.
type envelope struct {
	Type            string          `json:"type,omitempty"`
	Version         Version         `json:"version"`
	RequestID       string          `json:"request_id,omitempty"`
	GlobalRequestID string          `json:"global_request_id,omitempty"`
	SentAt          time.Time       `json:"sent_at"`
	Body            json.RawMessage `json:"body,omitempty"`
	Error           *Error          `json:"error,omitempty"`
}

// seal builds the envelope of body; a nil body has none.
func seal(ctx context.Context, body any, now time.Time) ([]byte, error) {
	env := envelope{SentAt: now.UTC()}
	env.RequestID, env.GlobalRequestID = requestIDs(ctx)
	if v, ok := body.(Versioned); ok {
		env.Type, env.Version = v.MessageType(), v.MessageVersion()
	}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, newError(Internal, err, "encode %T: %v", body, err)
		}
		env.Body = b
	}
	return json.Marshal(env)
}

// Message is a received call or cast.
type Message struct {
	Subject         string
	Type            string
	Version         Version
	RequestID       string
	GlobalRequestID string
	SentAt          time.Time
	Body            json.RawMessage
}

// Decode reads the body into v. When v is Versioned and the envelope names a
// type, the type must match and the major version must be v's: otherwise
// the error is Invalid or a *VersionError. A handler speaking several
// majors looks at m.Version first and decodes into the matching type.
func (m *Message) Decode(v any) error {
	return decodeBody(m.Type, m.Version, m.Body, v)
}

func decodeBody(typ string, ver Version, body json.RawMessage, v any) error {
	if want, ok := v.(Versioned); ok && typ != "" {
		if typ != want.MessageType() {
			return newError(Invalid, nil, "message type %q, expected %q", typ, want.MessageType())
		}
		if ver.Major != want.MessageVersion().Major {
			return &VersionError{Type: typ, Got: ver, Want: want.MessageVersion().Major}
		}
	}
	if len(body) == 0 || v == nil {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return newError(Invalid, err, "decode %s body: %v", typ, err)
	}
	return nil
}

type idsKey struct{}

type ids struct{ local, global string }

// WithRequestID returns ctx carrying the request ids a handler received, so
// the handler's own calls pass them on.
func WithRequestID(ctx context.Context, requestID, globalRequestID string) context.Context {
	return context.WithValue(ctx, idsKey{}, ids{requestID, globalRequestID})
}

// RequestID is the request id a handler's message carried, or else the id
// of the HTTP request being served (httpx), or "".
func RequestID(ctx context.Context) string {
	id, _ := requestIDs(ctx)
	return id
}

// requestIDs are the ids a call made under ctx carries: those a handler
// received, else those of the HTTP request being served.
func requestIDs(ctx context.Context) (local, global string) {
	if v, ok := ctx.Value(idsKey{}).(ids); ok {
		return v.local, v.global
	}
	return httpx.RequestID(ctx), httpx.GlobalRequestID(ctx)
}
