// Package hypervisor defines the driver interface compute agents run
// guests through, and the static registry of drivers. The fake driver
// (package fake) is always compiled in; QEMU comes later.
package hypervisor
