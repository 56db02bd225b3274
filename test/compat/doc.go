// Package compat holds the compatibility tier: the real clients (Debian's
// openstack CLI) against a running `monostack up`, built from this tree.
package compat
