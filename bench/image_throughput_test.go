package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// BenchmarkImageThroughput1GiB uploads and downloads a 1 GiB file with
// curl, to monostack and, as the baseline the issue sets, to a bare Go file
// server on the same machine, and reports MiB/s for each and monostack's
// share of the baseline.
// Run it alone: go test -run '^$' -bench ImageThroughput1GiB -benchtime 1x ./bench/
func BenchmarkImageThroughput1GiB(b *testing.B) {
	if _, err := exec.LookPath("curl"); err != nil {
		b.Skip("curl is not installed")
	}
	const size = 1 << 30
	file := randomFile(b, size)
	bare, bareSync := bareFileServer(b, false), bareFileServer(b, true)
	s := startServer(b, "--bcrypt-cost", "4")
	tok := s.token(b)
	for range b.N {
		bareUp := curlTime(b, "-T", file, bare+"/blob")
		bareDown := curlTime(b, bare+"/blob")
		bareSyncUp := curlTime(b, "-T", file, bareSync+"/blob")
		id := createImage(b, s, tok)
		auth := []string{"-H", "X-Auth-Token: " + tok}
		up := curlTime(b, append(auth, "-H", "Content-Type: application/octet-stream", "-T", file, s.imageURL+"/v2/images/"+id+"/file")...)
		down := curlTime(b, append(auth, s.imageURL+"/v2/images/"+id+"/file")...)
		mibs := func(d time.Duration) float64 { return size / (1 << 20) / d.Seconds() }
		b.ReportMetric(mibs(up), "upload-MiB/s")
		b.ReportMetric(mibs(down), "download-MiB/s")
		b.ReportMetric(mibs(bareUp), "bare-upload-MiB/s")
		b.ReportMetric(mibs(bareDown), "bare-download-MiB/s")
		b.ReportMetric(mibs(bareSyncUp), "bare-fsync-upload-MiB/s")
		b.ReportMetric(100*bareUp.Seconds()/up.Seconds(), "upload-%-of-bare")
		b.ReportMetric(100*bareSyncUp.Seconds()/up.Seconds(), "upload-%-of-bare-fsync")
		b.ReportMetric(100*bareDown.Seconds()/down.Seconds(), "download-%-of-bare")
	}
}

// randomFile writes size pseudo-random bytes to a temporary file.
func randomFile(b *testing.B, size int) string {
	p := filepath.Join(b.TempDir(), "img")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 1<<20)
	r := rand.NewChaCha8([32]byte{1})
	for written := 0; written < size; written += len(block) {
		_, _ = r.Read(block)
		if _, err := f.Write(block); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// bareFileServer stores a PUT body in a file (fsynced when sync is set, as
// monostack's store does) and serves it back on GET.
func bareFileServer(b *testing.B, sync bool) string {
	p := filepath.Join(b.TempDir(), "blob")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			f, err := os.Create(p)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			_, err = io.Copy(f, r.Body)
			if err == nil && sync {
				err = f.Sync()
			}
			f.Close()
			if err != nil {
				http.Error(w, err.Error(), 500)
			}
			return
		}
		http.ServeFile(w, r, p)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// curlTime runs curl quietly (output discarded) and returns how long it took.
func curlTime(b *testing.B, args ...string) time.Duration {
	start := time.Now()
	out, err := exec.Command("curl", append([]string{"-sSf", "-o", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		b.Fatalf("curl %v: %v %s", args, err, out)
	}
	return time.Since(start)
}

// BenchmarkImageList10k: GET /v2/images (Glance's default page of 25)
// with 10,000 images in the cloud.
func BenchmarkImageList10k(b *testing.B) {
	s := startServer(b, "--bcrypt-cost", "4")
	tok := s.token(b)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < 10000; i += 8 {
				body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("img-%05d", i), "disk_format": "raw", "container_format": "bare"})
				req, _ := http.NewRequest("POST", s.imageURL+"/v2/images", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Auth-Token", tok)
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != http.StatusCreated {
					b.Errorf("create image: %v %v", err, resp)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	list := func() (*http.Request, int) {
		req, _ := http.NewRequest("GET", s.imageURL+"/v2/images", nil)
		req.Header.Set("X-Auth-Token", tok)
		return req, 200
	}
	run(b, s, concurrency, list)
}
