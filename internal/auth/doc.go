// Package auth owns the facts a validated token carries (who, in which scope,
// with which roles) and the Validator interface that services plug into the
// token-validation middleware. It imports only the standard library.
package auth
