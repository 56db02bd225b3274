package bench

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// server is a monostack up started for a benchmark.
type server struct {
	cmd      *exec.Cmd
	url      string // identity base URL, ending in /v3
	imageURL string // image endpoint
	password string
	started  time.Time
	ready    time.Duration // exec to banner
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(b testing.TB) string {
	if p := os.Getenv("MONOSTACK_BIN"); p != "" {
		return p
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "monostack-bench")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "monostack")
		if out, err := exec.Command("go", "build", "-o", binPath, "github.com/monostack/monostack/cmd/monostack").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return binPath
}

var bannerURL = regexp.MustCompile(`identity\s+(http://\S+)`)
var bannerPassword = regexp.MustCompile(`password "([^"]+)"`)
var bannerImage = regexp.MustCompile(`image\s+(http://\S+)`)

// startServer runs `monostack up` with a fresh state directory.
func startServer(b testing.TB, extra ...string) *server {
	b.Helper()
	args := append([]string{"up", "--state-dir", b.TempDir(), "--identity-port", "0", "--image-port", "0", "--log-level", "warn"}, extra...)
	s := &server{cmd: exec.Command(binary(b), args...), started: time.Now()}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	s.cmd.Stderr = os.Stderr
	if err := s.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.stop)
	var banner strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		banner.WriteString(sc.Text() + "\n")
		if sc.Text() == "Ready." {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	s.ready = time.Since(s.started)
	m := bannerURL.FindStringSubmatch(banner.String())
	if m == nil {
		b.Fatalf("no banner: %s", banner.String())
	}
	s.url, s.password = m[1], bannerPassword.FindStringSubmatch(banner.String())[1]
	if m := bannerImage.FindStringSubmatch(banner.String()); m != nil {
		s.imageURL = m[1]
	}
	return s
}

func (s *server) stop() {
	if s.cmd.Process != nil && s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		_ = s.cmd.Wait()
	}
}

// cpuTime is the server's user+system CPU time so far.
func (s *server) cpuTime(b testing.TB) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	// fields after the ")" closing the command name; utime and stime are 14 and 15
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// rss is the server's resident memory in bytes.
func (s *server) rss(b testing.TB) int64 {
	n, err := readRSS(s.cmd.Process.Pid)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// readRSS reads VmRSS of a process.
func readRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 60 * time.Second}

var starts sync.Map // *exec.Cmd -> time.Time

func cmdStart(c *exec.Cmd) time.Time {
	t, _ := starts.Load(c)
	return t.(time.Time)
}

// startOnFreePort starts `monostack up` on a free identity port without
// waiting for it.
func startOnFreePort(b testing.TB, dir string) (*exec.Cmd, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(binary(b), "up", "--state-dir", dir, "--identity-port", strconv.Itoa(port), "--image-port", "0", "--log-level", "warn")
	starts.Store(cmd, time.Now())
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return cmd, fmt.Sprintf("http://127.0.0.1:%d", port)
}

func waitFor200(url string) {
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
}

// stopAfterReady starts and stops monostack once on dir (bootstrapping it).
func stopAfterReady(b testing.TB, dir string) {
	cmd, url := startOnFreePort(b, dir)
	waitFor200(url + "/healthcheck")
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
}
