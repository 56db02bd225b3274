package compat

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var servingNetwork = regexp.MustCompile(`network=(http://\S+)`)

// startServe runs a second controller process (`monostack serve --roles
// api`) on the cloud's database and bus, returning its network API URL.
func (c *cloud) startServe(t *testing.T) string {
	t.Helper()
	args := []string{"serve", "--roles", "api", "--state-dir", c.stateDir, "--bus", c.busURL, "--identity-port", "0",
		"--image-port", "0", "--compute-port", "0", "--placement-port", "0", "--network-port", "0", "--log-level", "info"}
	if c.dsn != "" {
		args = append(args, "--db", c.dsn)
	}
	cmd := exec.Command(binary(t), args...)
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingNetwork.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("monostack serve did not start")
	}
	return ""
}

// adminToken is an admin token from the identity API.
func (c *cloud) adminToken(t *testing.T) string {
	t.Helper()
	body := fmt.Sprintf(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"id":"default"},"password":%q}}},
		"scope":{"project":{"name":"admin","domain":{"id":"default"}}}}}`, c.password)
	resp, err := http.Post(c.authURL+"/auth/tokens", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("X-Subject-Token")
}

// neutron sends one request to a network API and decodes the answer.
func neutron(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// Two controller processes sharing one database take 500 port creates on
// a /24 at once: exactly the pool's 253 addresses are handed out, each
// once, MACs are unique, and the rest get Neutron's exhaustion error.
func TestParallelPortsFromTwoProcesses(t *testing.T) {
	c := startCloud(t)
	urls := []string{c.netURL, c.startServe(t)}
	token := c.adminToken(t)
	_, n := neutron(t, "POST", urls[0]+"/v2.0/networks", token, map[string]any{"network": map[string]any{"name": "crowd"}})
	netID := n["network"].(map[string]any)["id"].(string)
	if st, _ := neutron(t, "POST", urls[1]+"/v2.0/subnets", token, map[string]any{"subnet": map[string]any{"network_id": netID,
		"ip_version": 4, "cidr": "10.50.0.0/24", "enable_dhcp": false}}); st != 201 {
		t.Fatalf("subnet: %d", st)
	}
	var mu sync.Mutex
	ips, macs := map[string]bool{}, map[string]bool{}
	refused := 0
	sem := make(chan struct{}, 40)
	var wg sync.WaitGroup
	for i := range 500 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			st, body := neutron(t, "POST", urls[i%2]+"/v2.0/ports", token, map[string]any{"port": map[string]any{"network_id": netID}})
			mu.Lock()
			defer mu.Unlock()
			switch st {
			case 201:
				p := body["port"].(map[string]any)
				ip := p["fixed_ips"].([]any)[0].(map[string]any)["ip_address"].(string)
				if ips[ip] || macs[p["mac_address"].(string)] {
					t.Errorf("address %s or MAC %s handed out twice", ip, p["mac_address"])
				}
				ips[ip], macs[p["mac_address"].(string)] = true, true
			case 409:
				ne, _ := body["NeutronError"].(map[string]any)
				if ne["type"] != "IpAddressGenerationFailure" || ne["message"] != "No more IP addresses available on network "+netID+"." {
					t.Errorf("exhaustion: %v", body)
				}
				refused++
			default:
				t.Errorf("status %d: %v", st, body)
			}
		}()
	}
	wg.Wait()
	if len(ips) != 253 || refused != 247 {
		t.Fatalf("%d ports made, %d refused; want 253 and 247", len(ips), refused)
	}
}
