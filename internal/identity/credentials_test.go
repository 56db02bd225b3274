package identity_test

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/credentials"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

func credBody(fields map[string]any) map[string]any { return map[string]any{"credential": fields} }

// credCreate creates a credential and returns its body.
func credCreate(t *testing.T, e *identitytest.Env, token string, fields map[string]any) map[string]any {
	t.Helper()
	r := e.Do(t, "POST", "/v3/credentials", token, credBody(fields))
	if r.Status != http.StatusCreated {
		t.Fatalf("create credential: %d %s", r.Status, r.Raw)
	}
	return r.Body["credential"].(map[string]any)
}

func credKeys(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestCredentialsGophercloudCRUD(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	ctx := context.Background()
	client := e.Admin(t)
	blob := `{"access":"181920","secret":"secretKey"}`
	opts := credentials.CreateOpts{ProjectID: e.AdminProjectID, Type: "ec2", UserID: e.AdminUserID, Blob: blob}
	cred, err := credentials.Create(ctx, client, opts).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if cred.ID != sha256Hex("181920") || cred.Blob != blob || cred.Type != "ec2" || cred.UserID != e.AdminUserID || cred.ProjectID != e.AdminProjectID {
		t.Fatalf("created %+v", cred)
	}
	got, err := credentials.Get(ctx, client, cred.ID).Extract()
	if err != nil || got.Blob != blob || got.ProjectID != e.AdminProjectID {
		t.Fatalf("get: %+v %v", got, err)
	}
	// as Tempest does: a new access key in the blob keeps the credential's id
	newBlob := `{"access":"new-access","secret":"mySecret"}`
	upd, err := credentials.Update(ctx, client, cred.ID, credentials.UpdateOpts{Blob: newBlob}).Extract()
	if err != nil || upd.Blob != newBlob || upd.ID != cred.ID {
		t.Fatalf("update: %+v %v", upd, err)
	}
	cert, err := credentials.Create(ctx, client, credentials.CreateOpts{Type: "cert", UserID: e.AdminUserID, Blob: "pem"}).Extract()
	if err != nil || len(cert.ID) != 32 || cert.ProjectID != "" {
		t.Fatalf("cert: %+v %v", cert, err)
	}
	for _, c := range []struct {
		opts credentials.ListOpts
		want []string
	}{
		{credentials.ListOpts{}, []string{cred.ID, cert.ID}},
		{credentials.ListOpts{Type: "cert"}, []string{cert.ID}},
		{credentials.ListOpts{UserID: e.AdminUserID, Type: "ec2"}, []string{cred.ID}},
		{credentials.ListOpts{UserID: "nobody"}, nil},
	} {
		pages, err := credentials.List(client, c.opts).AllPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := credentials.ExtractCredentials(pages)
		var ids []string
		for _, l := range list {
			ids = append(ids, l.ID)
		}
		slices.Sort(ids)
		slices.Sort(c.want)
		if !slices.Equal(ids, c.want) {
			t.Fatalf("list %+v: %v, want %v", c.opts, ids, c.want)
		}
	}
	if err := credentials.Delete(ctx, client, cred.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := credentials.Get(ctx, client, cred.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get deleted: %v", err)
	}
}

func TestCredentialsShapes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	c := credCreate(t, e, admin, map[string]any{"type": "totp", "user_id": e.AdminUserID, "blob": "GEZDGNBV", "id": "ignored", "note": "kept"})
	if credKeys(c) != "blob,id,links,note,project_id,type,user_id" || c["project_id"] != nil || c["id"] == "ignored" || c["note"] != "kept" {
		t.Fatalf("create shape: %v", c)
	}
	id := c["id"].(string)
	if self := c["links"].(map[string]any)["self"]; self != e.URL+"/v3/credentials/"+id {
		t.Fatalf("self link %v", self)
	}
	r := e.Do(t, "GET", "/v3/credentials?type=totp", admin, nil)
	links := r.Body["links"].(map[string]any)
	if r.Status != 200 || len(r.Body["credentials"].([]any)) != 1 || links["self"] != e.URL+"/v3/credentials?type=totp" || links["next"] != nil {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "PATCH", "/v3/credentials/"+id, admin, credBody(map[string]any{"blob": "new", "project_id": e.AdminProjectID, "note": nil}))
	u := r.Body["credential"].(map[string]any)
	if r.Status != 200 || u["blob"] != "new" || u["project_id"] != e.AdminProjectID || u["type"] != "totp" || u["note"] != nil {
		t.Fatalf("update: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "GET", "/v3/credentials/"+id, admin, nil)
	if r.Status != 200 || r.Body["credential"].(map[string]any)["blob"] != "new" {
		t.Fatalf("show: %d %s", r.Status, r.Raw)
	}
	if r = e.Do(t, "DELETE", "/v3/credentials/"+id, admin, nil); r.Status != 204 || len(r.Raw) != 0 {
		t.Fatalf("delete: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "GET", "/v3/credentials/"+id, admin, nil)
	if _, msg, _ := identitytest.ErrorOf(t, r); r.Status != 404 || msg != "Could not find credential: "+id+"." {
		t.Fatalf("show deleted: %d %s", r.Status, r.Raw)
	}
}

// TestCredentialsEncryptedAtRest reads the database directly: the blob is
// a Fernet token of the primary credential key, never the plaintext.
func TestCredentialsEncryptedAtRest(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	secret := "very-secret-value-4711"
	credCreate(t, e, admin, map[string]any{"type": "ec2", "user_id": e.AdminUserID, "project_id": e.AdminProjectID,
		"blob": `{"access": "at-rest", "secret": "` + secret + `"}`})
	r := e.Do(t, "POST", "/v3/users/"+e.AdminUserID+"/credentials/OS-EC2", admin, map[string]any{"tenant_id": e.AdminProjectID})
	ec2Secret := r.Body["credential"].(map[string]any)["secret"].(string)
	primary := primaryCredentialKey(t, e)
	sum := sha1.Sum([]byte(primary))
	var rows int
	err := e.DB.Read(context.Background(), func(tx *db.Tx) error {
		q, err := tx.Query("SELECT blob, key_hash FROM identity_credentials")
		if err != nil {
			return err
		}
		defer q.Close()
		for q.Next() {
			var blob, keyHash string
			if err := q.Scan(&blob, &keyHash); err != nil {
				return err
			}
			rows++
			if strings.Contains(blob, secret) || strings.Contains(blob, ec2Secret) || strings.Contains(blob, "access") || !strings.HasPrefix(blob, "gAAAAA") {
				return errors.New("plaintext blob in the database: " + blob)
			}
			if keyHash != hex.EncodeToString(sum[:]) {
				return errors.New("key_hash " + keyHash + " does not name the primary key")
			}
		}
		return q.Err()
	})
	if err != nil || rows != 2 {
		t.Fatalf("%d rows: %v", rows, err)
	}
	dump := e.Snapshot(t)
	if strings.Contains(dump, secret) || strings.Contains(dump, ec2Secret) {
		t.Fatal("a secret is readable in the database dump")
	}
}

// primaryCredentialKey reads the primary key file (the highest number).
func primaryCredentialKey(t *testing.T, e *identitytest.Env) string {
	t.Helper()
	dir := filepath.Join(e.StateDir, "credential-keys")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	best := -1
	for _, en := range entries {
		if n, err := strconv.Atoi(en.Name()); err == nil && n > best {
			best = n
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(best)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCredentialsBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	ec2 := credCreate(t, e, admin, map[string]any{"type": "ec2", "user_id": e.AdminUserID, "project_id": e.AdminProjectID,
		"blob": `{"access": "taken", "secret": "s", "trust_id": null}`})
	cert := credCreate(t, e, admin, map[string]any{"type": "cert", "user_id": e.AdminUserID, "blob": "pem"})
	ec2Path, certPath := "/v3/credentials/"+ec2["id"].(string), "/v3/credentials/"+cert["id"].(string)
	u, p := e.AdminUserID, e.AdminProjectID
	cases := []struct {
		name, method, path string
		body               any
		status             int
		msg                string
	}{
		{"no wrapper", "POST", "/v3/credentials", map[string]any{"cred": map[string]any{}}, 400, "Expecting to find credential in request body"},
		{"malformed JSON", "POST", "/v3/credentials", `{"credential": {`, 400, ""},
		{"missing blob", "POST", "/v3/credentials", credBody(map[string]any{"type": "cert", "user_id": u}), 400, "'blob' is a required property"},
		{"missing type", "POST", "/v3/credentials", credBody(map[string]any{"blob": "x", "user_id": u}), 400, "'type' is a required property"},
		{"missing user", "POST", "/v3/credentials", credBody(map[string]any{"blob": "x", "type": "cert"}), 400, "'user_id' is a required property"},
		{"blob of wrong type", "POST", "/v3/credentials", credBody(map[string]any{"blob": 5, "type": "cert", "user_id": u}), 400, "Invalid input for field 'blob'"},
		{"null project", "POST", "/v3/credentials", credBody(map[string]any{"blob": "x", "type": "cert", "user_id": u, "project_id": nil}), 400, "None is not of type 'string'"},
		{"ec2 without project", "POST", "/v3/credentials", credBody(map[string]any{"blob": `{"access": "a"}`, "type": "ec2", "user_id": u}), 400, "requires project_id"},
		{"ec2 blob not JSON", "POST", "/v3/credentials", credBody(map[string]any{"blob": "not json", "type": "ec2", "user_id": u, "project_id": p}), 400, "Invalid blob in credential"},
		{"ec2 blob not an object", "POST", "/v3/credentials", credBody(map[string]any{"blob": "[1]", "type": "ec2", "user_id": u, "project_id": p}), 400, "Expecting to find blob in credential"},
		{"ec2 blob without access", "POST", "/v3/credentials", credBody(map[string]any{"blob": `{"secret": "s"}`, "type": "ec2", "user_id": u, "project_id": p}), 400, "Expecting to find access in credential"},
		{"ec2 access not a string", "POST", "/v3/credentials", credBody(map[string]any{"blob": `{"access": 5}`, "type": "ec2", "user_id": u, "project_id": p}), 400, "Expecting to find access in credential"},
		{"duplicate access key", "POST", "/v3/credentials", credBody(map[string]any{"blob": `{"access": "taken"}`, "type": "ec2", "user_id": u, "project_id": p}), 409, "Duplicate entry found with ID " + sha256Hex("taken")},
		{"unknown user", "POST", "/v3/credentials", credBody(map[string]any{"blob": "x", "type": "cert", "user_id": "nobody"}), 400, "Could not find user: nobody."},
		{"unknown project", "POST", "/v3/credentials", credBody(map[string]any{"blob": "x", "type": "cert", "user_id": u, "project_id": "nope"}), 400, "Could not find project: nope."},
		{"unknown credential", "GET", "/v3/credentials/nope", nil, 404, "Could not find credential: nope."},
		{"update unknown", "PATCH", "/v3/credentials/nope", credBody(map[string]any{"blob": "x"}), 404, "Could not find credential: nope."},
		{"delete unknown", "DELETE", "/v3/credentials/nope", nil, 404, "Could not find credential: nope."},
		{"empty update", "PATCH", certPath, credBody(map[string]any{}), 400, "does not have enough properties"},
		{"change id", "PATCH", certPath, credBody(map[string]any{"id": "other"}), 400, "Cannot change ID"},
		{"null project on update", "PATCH", certPath, credBody(map[string]any{"project_id": nil}), 400, "None is not of type 'string'"},
		{"to ec2 without project", "PATCH", certPath, credBody(map[string]any{"type": "ec2"}), 400, "Expecting to find project_id in credential"},
		{"hand to unknown user", "PATCH", certPath, credBody(map[string]any{"user_id": "nobody"}), 400, "Could not find user: nobody."},
		{"ec2 blob update not JSON", "PATCH", ec2Path, credBody(map[string]any{"blob": "{"}), 400, "Invalid blob in credential"},
		{"ec2 blob update binds a trust", "PATCH", ec2Path, credBody(map[string]any{"blob": `{"access": "taken", "trust_id": "t"}`}), 400, "trust_id can not be updated for credential"},
	}
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			if msg, _ := e.Refused(t, c.method, c.path, admin, c.body, c.status); !strings.Contains(msg, c.msg) {
				t.Fatalf("message %q lacks %q", msg, c.msg)
			}
		})
	}
}

// TestCredentialsIsolation: a user sees and manages only their own
// credentials, as upstream's default policy says.
func TestCredentialsIsolation(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	a, b := newFixture(t, e, "cred-a"), newFixture(t, e, "cred-b")
	mine := credCreate(t, e, a.token, map[string]any{"type": "cert", "user_id": a.userID, "blob": "a-pem"})
	theirs := credCreate(t, e, b.token, map[string]any{"type": "cert", "user_id": b.userID, "blob": "b-secret"})
	theirPath := "/v3/credentials/" + theirs["id"].(string)
	for _, q := range []string{"", "?user_id=" + b.userID, "?type=cert"} {
		r := e.Do(t, "GET", "/v3/credentials"+q, a.token, nil)
		list := r.Body["credentials"].([]any)
		if r.Status != 200 || strings.Contains(string(r.Raw), "b-secret") || (q != "?user_id="+b.userID && len(list) != 1) {
			t.Fatalf("list%s by A: %d %s", q, r.Status, r.Raw)
		}
	}
	before := e.Snapshot(t)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", theirPath, nil},
		{"PATCH", theirPath, credBody(map[string]any{"blob": "stolen"})},
		{"DELETE", theirPath, nil},
		{"GET", "/v3/credentials/nope", nil}, // unknown ids are refused alike
		{"POST", "/v3/credentials", credBody(map[string]any{"type": "cert", "user_id": b.userID, "blob": "x"})},
		{"PATCH", "/v3/credentials/" + mine["id"].(string), credBody(map[string]any{"user_id": b.userID})},
	} {
		r := e.Do(t, c.method, c.path, a.token, c.body)
		if r.Status != http.StatusForbidden || strings.Contains(string(r.Raw), "b-secret") {
			t.Fatalf("A %s %s: %d %s", c.method, c.path, r.Status, r.Raw)
		}
		identitytest.ErrorOf(t, r)
	}
	if after := e.Snapshot(t); after != before {
		t.Fatal("a refused request changed the database")
	}
	if r := e.Do(t, "GET", "/v3/credentials/"+mine["id"].(string), a.token, nil); r.Status != 200 {
		t.Fatalf("A reads own: %d %s", r.Status, r.Raw)
	}
}
