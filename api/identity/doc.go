// Package identity holds the wire types of the Keystone v3 API: request and
// response bodies exactly as clients see them. It imports only the
// standard library.
package identity
