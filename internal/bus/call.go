package bus

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/nats-io/nats.go"
)

// Call sends req on subject and waits for one handler's reply, decoding its
// body into resp (which may be nil). It gives up when ctx is done, or after
// CallTimeout when ctx has no deadline. Errors are *Error: the handler's own
// error by code, Timeout when the deadline passed, Unavailable when nobody
// serves the subject or the connection is lost.
func (c *Conn) Call(ctx context.Context, subject string, req, resp any) error {
	data, err := c.sealRequest(ctx, subject, req)
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.CallTimeout)
		defer cancel()
	}
	msg, err := c.nc.RequestWithContext(ctx, subject, data)
	if err != nil {
		return callError(subject, err)
	}
	var env envelope
	if err := json.Unmarshal(msg.Data, &env); err != nil {
		return newError(Internal, err, "reply from %s: %v", subject, err)
	}
	if env.Error != nil {
		return env.Error
	}
	return decodeBody(env.Type, env.Version, env.Body, resp)
}

// Cast publishes msg on subject without waiting: every plain subscriber and
// one member of each queue group receive it. Nobody listening is not an
// error.
func (c *Conn) Cast(ctx context.Context, subject string, msg any) error {
	data, err := c.sealRequest(ctx, subject, msg)
	if err != nil {
		return err
	}
	if err := c.nc.Publish(subject, data); err != nil {
		return callError(subject, err)
	}
	return nil
}

func (c *Conn) sealRequest(ctx context.Context, subject string, body any) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, callError(subject, err)
	}
	if _, ok := body.(Versioned); !ok {
		return nil, newError(Internal, nil, "message %T for %s is not bus.Versioned", body, subject)
	}
	return seal(ctx, body, c.now())
}

// callError gives a local failure its code.
func callError(subject string, err error) *Error {
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return newError(Timeout, err, "no reply from %s in time", subject)
	case errors.Is(err, context.Canceled):
		return newError(Unavailable, err, "call to %s cancelled", subject)
	case errors.Is(err, nats.ErrNoResponders):
		return newError(Unavailable, err, "nobody serves %s", subject)
	case errors.Is(err, nats.ErrConnectionClosed), errors.Is(err, nats.ErrDisconnected),
		errors.Is(err, nats.ErrConnectionDraining), errors.Is(err, nats.ErrConnectionReconnecting):
		return newError(Unavailable, err, "bus connection lost calling %s", subject)
	}
	return newError(Internal, err, "%s: %v", subject, err)
}
