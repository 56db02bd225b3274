// Package errs owns the typed domain errors every service returns and the one
// table that maps them to HTTP status codes. It imports only the standard
// library; each service's fault renderer turns an *Error into its own body.
package errs
