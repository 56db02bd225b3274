// Package httpx is the HTTP plumbing every service shares: the route table,
// request ids, access log, panic recovery, body size limit, token-validation
// middleware, JSON helpers, pagination, filter and sort helpers, and version
// discovery documents. Services supply a Faults renderer for their own error
// body shape. It may import internal/errs and internal/auth only.
package httpx
