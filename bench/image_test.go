package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// BenchmarkImageUpload2GiB uploads and downloads a 2 GiB image and reports
// throughput and the server's resident memory before and at its peak
// during each transfer: streaming keeps it flat whatever the image size.
// Run it alone: go test -run '^$' -bench ImageUpload2GiB -benchtime 1x ./bench/
func BenchmarkImageUpload2GiB(b *testing.B) {
	const size = 2 << 30
	s := startServer(b, "--bcrypt-cost", "4")
	tok := s.token(b)
	for range b.N {
		id := createImage(b, s, tok)
		before := s.rss(b)
		upPeak, upTime := s.peakRSSDuring(b, func() {
			req, _ := http.NewRequest("PUT", s.imageURL+"/v2/images/"+id+"/file", io.LimitReader(zeros{}, size))
			req.ContentLength = size
			req.Header.Set("Content-Type", "application/octet-stream")
			req.Header.Set("X-Auth-Token", tok)
			expect(b, req, http.StatusNoContent, io.Discard)
		})
		var got countingWriter
		downPeak, downTime := s.peakRSSDuring(b, func() {
			req, _ := http.NewRequest("GET", s.imageURL+"/v2/images/"+id+"/file", nil)
			req.Header.Set("X-Auth-Token", tok)
			expect(b, req, http.StatusOK, &got)
		})
		if got.n.Load() != size {
			b.Fatalf("downloaded %d bytes", got.n.Load())
		}
		b.ReportMetric(float64(before)/(1<<20), "rss-before-MiB")
		b.ReportMetric(float64(upPeak)/(1<<20), "rss-peak-upload-MiB")
		b.ReportMetric(float64(downPeak)/(1<<20), "rss-peak-download-MiB")
		b.ReportMetric(size/(1<<20)/upTime.Seconds(), "upload-MiB/s")
		b.ReportMetric(size/(1<<20)/downTime.Seconds(), "download-MiB/s")
	}
}

type countingWriter struct{ n atomic.Int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return len(p), nil
}

func createImage(b *testing.B, s *server, tok string) string {
	body, _ := json.Marshal(map[string]any{"name": "big", "disk_format": "raw", "container_format": "bare"})
	req, _ := http.NewRequest("POST", s.imageURL+"/v2/images", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", tok)
	var out bytes.Buffer
	expect(b, req, http.StatusCreated, &out)
	var im struct{ ID string }
	if err := json.Unmarshal(out.Bytes(), &im); err != nil {
		b.Fatal(err)
	}
	return im.ID
}

func expect(b *testing.B, req *http.Request, status int, w io.Writer) {
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != status {
		b.Fatalf("%s %s: %d, want %d", req.Method, req.URL.Path, resp.StatusCode, status)
	}
}

// peakRSSDuring runs fn while sampling the server's resident memory every
// 20 ms, and returns the peak and fn's duration.
func (s *server) peakRSSDuring(b *testing.B, fn func()) (int64, time.Duration) {
	var peak atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if r, _ := readRSS(s.cmd.Process.Pid); r > peak.Load() {
				peak.Store(r)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	start := time.Now()
	fn()
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	return peak.Load(), elapsed
}
