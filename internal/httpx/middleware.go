package httpx

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/monostack/monostack/internal/errs"
)

// RequestIDHeader carries the request id in responses and, as a global
// request id, in requests.
const RequestIDHeader = "X-Openstack-Request-Id"

var globalIDPattern = regexp.MustCompile(`^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

type requestIDKey struct{}
type globalIDKey struct{}

// NewRequestID returns a fresh id in the upstream "req-<uuid4>" form.
func NewRequestID() string { return "req-" + NewUUID() }

// NewUUID returns a random version-4 UUID, the form OpenStack ids take.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// RequestID is the id of the request being served, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// GlobalRequestID is the well-formed request id the caller sent, or "".
func GlobalRequestID(ctx context.Context) string {
	id, _ := ctx.Value(globalIDKey{}).(string)
	return id
}

// requestID gives every request a fresh local id (returned in the response
// header) and keeps a well-formed inbound id as the global request id, as
// oslo.middleware does.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := NewRequestID()
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		if in := r.Header.Get(RequestIDHeader); globalIDPattern.MatchString(in) {
			ctx = context.WithValue(ctx, globalIDKey{}, in)
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// ReadFrom keeps the server's sendfile path for file bodies (image
// downloads) while counting the bytes.
func (s *statusRecorder) ReadFrom(r io.Reader) (int64, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := s.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(struct{ io.Writer }{s.ResponseWriter}, r)
	}
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func accessLog(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if !log.Enabled(r.Context(), slog.LevelInfo) {
			return
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", RequestID(r.Context())),
			slog.String("remote", r.RemoteAddr),
		}
		if g := GlobalRequestID(r.Context()); g != "" {
			attrs = append(attrs, slog.String("global_request_id", g))
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// recoverPanics turns a panic into a 500 fault that carries only the request
// id; the stack goes to the log.
func recoverPanics(next http.Handler, f Faults, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.Error("panic", "request_id", RequestID(r.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			f.Render(w, r, errs.New(errs.Internal, "panic: %v", v))
		}()
		next.ServeHTTP(w, r)
	})
}

// LogInternal logs an internal error with the request's id, method and
// path, and returns the id: the only detail a client's 500 may carry.
func LogInternal(log *slog.Logger, r *http.Request, err error) string {
	reqID := RequestID(r.Context())
	log.Error("internal error", "request_id", reqID, "method", r.Method, "path", r.URL.Path, "error", err)
	return reqID
}
