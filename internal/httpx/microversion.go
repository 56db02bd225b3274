package httpx

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Microversion is a major.minor API version (Nova 2.x, Placement 1.x,
// Cinder 3.x).
type Microversion struct {
	Major, Minor int
}

func (v Microversion) String() string { return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) }

// AtLeast says whether v is minor or later (same major).
func (v Microversion) AtLeast(minor int) bool { return v.Minor >= minor }

// Less orders versions.
func (v Microversion) Less(o Microversion) bool {
	return v.Major < o.Major || v.Major == o.Major && v.Minor < o.Minor
}

// ParseMicroversion reads "major.minor" (no leading zeros checks, as
// upstream accepts "2.01").
func ParseMicroversion(s string) (Microversion, bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ".")
	maj, err1 := strconv.Atoi(a)
	mnr, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || maj < 0 || mnr < 0 {
		return Microversion{}, false
	}
	return Microversion{maj, mnr}, true
}

// MicroversionSpec describes one service's microversions.
type MicroversionSpec struct {
	ServiceType  string // in "OpenStack-API-Version: compute 2.10"
	LegacyHeader string // e.g. X-OpenStack-Nova-API-Version; "" for none
	Min, Max     Microversion
}

// MicroversionError is a request for a version the service cannot serve.
// BadFormat is an unparsable version (upstream: 400); otherwise the version
// is out of range (406).
type MicroversionError struct {
	Requested string
	BadFormat bool
	Spec      *MicroversionSpec
}

func (e *MicroversionError) Error() string {
	if e.BadFormat {
		return fmt.Sprintf("API Version String %s is of invalid format. Must be of format MajorNum.MinorNum.", e.Requested)
	}
	return fmt.Sprintf("Version %s is not supported by the API. Minimum is %s and maximum is %s.",
		e.Requested, e.Spec.Min, e.Spec.Max)
}

// Requested returns the header value the client asked for ("" if none):
// the new-style header for this service type first, then the legacy one.
func (s *MicroversionSpec) Requested(h http.Header) string {
	for _, v := range h.Values("OpenStack-API-Version") {
		for _, part := range strings.Split(v, ",") {
			fields := strings.Fields(part)
			if len(fields) == 2 && strings.EqualFold(fields[0], s.ServiceType) {
				return fields[1]
			}
		}
	}
	if s.LegacyHeader != "" {
		return strings.TrimSpace(h.Get(s.LegacyHeader))
	}
	return ""
}

// Negotiate picks the version of a request: Min when none is asked,
// Max for "latest", else the asked one if within range.
func (s *MicroversionSpec) Negotiate(h http.Header) (Microversion, error) {
	req := s.Requested(h)
	switch {
	case req == "":
		return s.Min, nil
	case strings.EqualFold(req, "latest"):
		return s.Max, nil
	}
	v, ok := ParseMicroversion(req)
	if !ok {
		return Microversion{}, &MicroversionError{Requested: req, BadFormat: true, Spec: s}
	}
	if v.Less(s.Min) || s.Max.Less(v) {
		return Microversion{}, &MicroversionError{Requested: req, Spec: s}
	}
	return v, nil
}

// SetHeaders writes the version served and Vary, as upstream does on every
// versioned response.
func (s *MicroversionSpec) SetHeaders(w http.ResponseWriter, v Microversion) {
	h := w.Header()
	h.Set("OpenStack-API-Version", s.ServiceType+" "+v.String())
	vary := "OpenStack-API-Version"
	if s.LegacyHeader != "" {
		h.Set(s.LegacyHeader, v.String())
		vary += ", " + s.LegacyHeader
	}
	h.Add("Vary", vary)
}

type microversionKey struct{}

// WithMicroversion returns ctx carrying the negotiated version.
func WithMicroversion(ctx context.Context, v Microversion) context.Context {
	return context.WithValue(ctx, microversionKey{}, v)
}

// MicroversionOf is the version negotiated for the request (zero if none).
func MicroversionOf(ctx context.Context) Microversion {
	v, _ := ctx.Value(microversionKey{}).(Microversion)
	return v
}

// Middleware negotiates the version of every request, sets the response
// headers and puts the version in the context; a refused version goes to
// refuse (which renders the service's own error shape).
func (s *MicroversionSpec) Middleware(next http.Handler, refuse func(http.ResponseWriter, *http.Request, *MicroversionError)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := s.Negotiate(r.Header)
		if err != nil {
			refuse(w, r, err.(*MicroversionError))
			return
		}
		s.SetHeaders(w, v)
		next.ServeHTTP(w, r.WithContext(WithMicroversion(r.Context(), v)))
	})
}
