// Package bench holds scenario benchmarks that drive a running monostack
// binary over HTTP, Rally-style, and report throughput, latency
// percentiles and the server's CPU time per request (read from /proc, the
// figure that survives a noisy shared machine). Run them with `make bench`;
// figures go to docs/performance.md.
package bench
