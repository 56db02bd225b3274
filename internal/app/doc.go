// Package app is monostack's one composition root: it opens the database,
// builds every service a process's roles call for, listens on their ports,
// bootstraps the cloud, reports readiness and shuts down cleanly (SIGTERM
// lets in-flight requests finish). Only this package imports every service.
package app
