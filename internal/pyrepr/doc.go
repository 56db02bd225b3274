// Package pyrepr owns how Python's repr() prints scalar values: Glance's
// messages quote request values that way and oslo.policy compares targets
// by their Python text, so the rules for floats, booleans and strings live
// here once. It imports only the standard library.
package pyrepr
