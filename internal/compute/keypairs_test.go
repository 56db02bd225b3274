package compute_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"
	"golang.org/x/crypto/ssh"
)

func TestKeypairGenerateImportShowDelete(t *testing.T) {
	e := startResources(t)
	ctx := context.Background()
	tok, _ := e.project(t, "p1", "member")
	c := e.client(tok, "2.79")
	c.Type = "compute"
	gen, err := keypairs.Create(ctx, c, keypairs.CreateOpts{Name: "gen"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(gen.PrivateKey, "-----BEGIN RSA PRIVATE KEY-----") || !strings.HasSuffix(gen.PublicKey, " Generated-by-Nova") || gen.Type != "ssh" {
		t.Fatalf("%+v", gen)
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(gen.PublicKey))
	if err != nil || gen.Fingerprint != ssh.FingerprintLegacyMD5(pub) {
		t.Fatalf("fingerprint %s: %v", gen.Fingerprint, err)
	}
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	sshPub, _ := ssh.NewPublicKey(edPub)
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " me@host"
	imp, err := keypairs.Create(ctx, c, keypairs.CreateOpts{Name: "imp", PublicKey: line}).Extract()
	if err != nil || imp.PrivateKey != "" || imp.Fingerprint != ssh.FingerprintLegacyMD5(sshPub) || imp.PublicKey != line {
		t.Fatalf("%+v %v", imp, err)
	}
	r := e.do(t, "GET", "/v2.1/os-keypairs/imp", tok, nil, "OpenStack-API-Version", "compute 2.2")
	kp := r.Body["keypair"].(map[string]any)
	if r.Status != 200 || kp["type"] != "ssh" || kp["deleted"] != false || kp["id"] == nil || kp["updated_at"] != nil ||
		len(kp["created_at"].(string)) != len("2014-05-07T12:06:13.681238") {
		t.Fatalf("%s", r.Raw)
	}
	pages, err := keypairs.List(c, nil).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if all, _ := keypairs.ExtractKeyPairs(pages); len(all) != 2 || all[0].Name != "gen" || all[1].Name != "imp" {
		t.Fatalf("%+v", all)
	}
	if err := keypairs.Delete(ctx, c, "gen", nil).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-keypairs/gen", tok, nil, 404); !strings.HasPrefix(msg, "Keypair gen not found for user ") {
		t.Fatal(msg)
	}
}

func TestKeypairMicroversionShapes(t *testing.T) {
	e := startResources(t)
	tok, _ := e.project(t, "p1", "member")
	r := e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "k1"}})
	kp := r.Body["keypair"].(map[string]any)
	if r.Status != 200 || kp["type"] != nil || kp["private_key"] == nil || kp["user_id"] == nil {
		t.Fatalf("2.1 create: %d %s", r.Status, r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/os-keypairs", tok, nil)
	item := r.Body["keypairs"].([]any)[0].(map[string]any)["keypair"].(map[string]any)
	if len(item) != 3 || item["name"] != "k1" {
		t.Fatalf("2.1 index item: %s", r.Raw)
	}
	if r := e.do(t, "DELETE", "/v2.1/os-keypairs/k1", tok, nil); r.Status != 202 {
		t.Fatalf("2.1 delete %d", r.Status)
	}
	r = e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "k2", "type": "x509"}},
		"OpenStack-API-Version", "compute 2.2")
	kp = r.Body["keypair"].(map[string]any)
	if r.Status != 201 || kp["type"] != "x509" {
		t.Fatalf("2.2 create: %d %s", r.Status, r.Raw)
	}
	block, _ := pem.Decode([]byte(kp["public_key"].(string)))
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil || cert.Subject.CommonName != kp["user_id"] {
		t.Fatalf("cert: %v", err)
	}
	sum := sha1.Sum(block.Bytes) //nolint:gosec
	if want := colonPairs(hex.EncodeToString(sum[:])); kp["fingerprint"] != want {
		t.Fatalf("x509 fingerprint %v want %s", kp["fingerprint"], want)
	}
	// Importing that certificate elsewhere gives the same fingerprint.
	r = e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "k3", "type": "x509",
		"public_key": kp["public_key"]}}, "OpenStack-API-Version", "compute 2.2")
	if r.Status != 201 || r.Body["keypair"].(map[string]any)["fingerprint"] != kp["fingerprint"] {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "DELETE", "/v2.1/os-keypairs/k2", tok, nil, "OpenStack-API-Version", "compute 2.2"); r.Status != 204 {
		t.Fatalf("2.2 delete %d", r.Status)
	}
}

func colonPairs(h string) string {
	var parts []string
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

func TestKeypairPagingAndOtherUsers(t *testing.T) {
	e := startResources(t)
	tok, _ := e.project(t, "p1", "member")
	other, _ := e.project(t, "p2", "member")
	for _, n := range []string{"c", "a", "b"} {
		if r := e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": n}}); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
	}
	names := func(r *response) string {
		var out []string
		for _, k := range r.Body["keypairs"].([]any) {
			out = append(out, k.(map[string]any)["keypair"].(map[string]any)["name"].(string))
		}
		return strings.Join(out, " ")
	}
	r := e.do(t, "GET", "/v2.1/os-keypairs?limit=2", tok, nil, "OpenStack-API-Version", "compute 2.35")
	if names(r) != "a b" || !strings.HasSuffix(r.Body["keypairs_links"].([]any)[0].(map[string]any)["href"].(string), "/v2.1/os-keypairs?limit=2&marker=b") {
		t.Fatalf("%s", r.Raw)
	}
	if r := e.do(t, "GET", "/v2.1/os-keypairs?limit=2&marker=b", tok, nil, "OpenStack-API-Version", "compute 2.35"); names(r) != "c" {
		t.Fatalf("%s", r.Raw)
	}
	if r := e.do(t, "GET", "/v2.1/os-keypairs?limit=2", tok, nil, "OpenStack-API-Version", "compute 2.34"); names(r) != "a b c" {
		t.Fatalf("limit before 2.35: %s", r.Raw)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-keypairs?marker=zz", tok, nil, 400, "OpenStack-API-Version", "compute 2.35"); msg != "Marker zz could not be found." {
		t.Fatal(msg)
	}
	// The owner's user id, known from the 2.10 create body.
	r = e.do(t, "GET", "/v2.1/os-keypairs/a", tok, nil)
	owner := r.Body["keypair"].(map[string]any)["user_id"].(string)
	if r := e.do(t, "GET", "/v2.1/os-keypairs?user_id="+owner, e.admin, nil, "OpenStack-API-Version", "compute 2.10"); names(r) != "a b c" {
		t.Fatalf("admin by user_id: %s", r.Raw)
	}
	if r := e.do(t, "GET", "/v2.1/os-keypairs?user_id="+owner, e.admin, nil, "OpenStack-API-Version", "compute 2.9"); names(r) != "" {
		t.Fatalf("user_id ignored before 2.10: %s", r.Raw)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-keypairs?user_id="+owner, other, nil, 403, "OpenStack-API-Version", "compute 2.10"); msg != "Policy doesn't allow os_compute_api:os-keypairs:index to be performed." {
		t.Fatal(msg)
	}
	r = e.do(t, "POST", "/v2.1/os-keypairs", e.admin, map[string]any{"keypair": map[string]any{"name": "for-him", "user_id": owner}},
		"OpenStack-API-Version", "compute 2.10")
	if r.Status != 201 || r.Body["keypair"].(map[string]any)["user_id"] != owner {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if msg := e.refused(t, "DELETE", "/v2.1/os-keypairs/a?user_id="+owner, other, nil, 403, "OpenStack-API-Version", "compute 2.10"); msg != "Policy doesn't allow os_compute_api:os-keypairs:delete to be performed." {
		t.Fatal(msg)
	}
}

func TestKeypairRefusals(t *testing.T) {
	e := startResources(t)
	tok, _ := e.project(t, "p1", "member")
	if r := e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "dup"}}); r.Status != 200 {
		t.Fatalf("%d", r.Status)
	}
	kp := func(k map[string]any) map[string]any { return map[string]any{"keypair": k} }
	for _, c := range []struct {
		body   map[string]any
		mv     string
		status int
		want   string
	}{
		{kp(map[string]any{"name": "dup"}), "2.1", 409, "Key pair 'dup' already exists."},
		{kp(map[string]any{"name": "a/b"}), "2.1", 400, "An invalid 'name' value was provided. The name must be: Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]"},
		{kp(map[string]any{"name": ""}), "2.1", 400, "Invalid input for field/attribute name. Value: . '' should be non-empty"},
		{kp(map[string]any{"name": "x", "public_key": "ssh-rsa notbase64"}), "2.1", 400, "Keypair data is invalid: failed to generate fingerprint"},
		{kp(map[string]any{"name": "x", "public_key": "not a cert", "type": "x509"}), "2.2", 400,
			"Keypair data is invalid: failed to generate X509 fingerprint. Error message: Unable to load PEM file. See https://cryptography.io/en/latest/faq/#why-can-t-i-import-my-pem-file for more details. MalformedFraming"},
		{kp(map[string]any{"name": "x", "type": "rsa"}), "2.2", 400, "Invalid input for field/attribute type. Value: rsa. 'rsa' is not one of ['ssh', 'x509']"},
		{kp(map[string]any{"name": "x", "type": "ssh"}), "2.1", 400, "Invalid input for field/attribute keypair. Value: {'name': 'x', 'type': 'ssh'}. Additional properties are not allowed ('type' was unexpected)"},
		{kp(map[string]any{"name": "x", "user_id": "u"}), "2.9", 400, "Invalid input for field/attribute keypair. Value: {'name': 'x', 'user_id': 'u'}. Additional properties are not allowed ('user_id' was unexpected)"},
		{kp(map[string]any{"name": "x", "user_id": "someone-else"}), "2.10", 403, "Policy doesn't allow os_compute_api:os-keypairs:create to be performed."},
		{kp(map[string]any{}), "2.1", 400, "Invalid input for field/attribute keypair. Value: {}. 'name' is a required property"},
	} {
		if got := e.refused(t, "POST", "/v2.1/os-keypairs", tok, c.body, c.status, "OpenStack-API-Version", "compute "+c.mv); got != c.want {
			t.Errorf("%v@%s:\n got %q\nwant %q", c.body, c.mv, got, c.want)
		}
	}
	if msg := e.refused(t, "GET", "/v2.1/os-keypairs?foo=1", tok, nil, 400, "OpenStack-API-Version", "compute 2.75"); msg != "Additional properties are not allowed ('foo' was unexpected)" {
		t.Fatal(msg)
	}
}

func TestKeypairQuota(t *testing.T) {
	e := startResources(t)
	tok, pid := e.project(t, "p1", "member")
	if r := e.do(t, "PUT", "/v2.1/os-quota-sets/"+pid, e.admin, map[string]any{"quota_set": map[string]any{"key_pairs": 1}}); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "one"}}); r.Status != 200 {
		t.Fatalf("%d", r.Status)
	}
	if msg := e.refused(t, "POST", "/v2.1/os-keypairs", tok, map[string]any{"keypair": map[string]any{"name": "two"}}, 403); msg != "Quota exceeded, too many key pairs." {
		t.Fatal(msg)
	}
}
