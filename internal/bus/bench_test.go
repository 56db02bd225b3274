package bus

import (
	"context"
	"testing"
)

// BenchmarkCall is one request/reply round trip over the embedded server.
func BenchmarkCall(b *testing.B) {
	e := startBus(b)
	c := connect(b, e, "bench")
	handle(b, c, "bench.echo", "echo", echo)
	ctx := context.Background()
	var resp echoResp
	b.ResetTimer()
	for b.Loop() {
		if err := c.Call(ctx, "bench.echo", echoReq{Text: "x"}, &resp); err != nil {
			b.Fatal(err)
		}
	}
}
