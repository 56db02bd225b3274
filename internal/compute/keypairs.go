package compute

import (
	"net/http"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Keypairs (os-keypairs): per-user ssh (and, from 2.2, x509) keys,
// generated or imported; admins reach other users' from 2.10.

// keypairNameChars are the characters a keypair name may use (2.1–2.91).
const keypairNameChars = "_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// novaMicroTime spells a time as Nova's JSON does for keypairs and usage
// ("2014-05-07T12:06:13.681238").
func novaMicroTime(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05.000000")
}

// keypairView is a keypair with the fields of a view: "index", "create"
// or "show".
func keypairView(k *keypair, view string, v httpx.Microversion) map[string]any {
	out := map[string]any{"name": k.Name, "public_key": k.PublicKey, "fingerprint": k.Fingerprint}
	if v.AtLeast(2) {
		out["type"] = k.Type
	}
	if view == "index" {
		return out
	}
	out["user_id"] = k.UserID
	if view == "create" {
		if k.PrivateKey != "" {
			out["private_key"] = k.PrivateKey
		}
		return out
	}
	out["created_at"] = novaMicroTime(k.CreatedAt)
	out["deleted"], out["deleted_at"], out["updated_at"], out["id"] = false, nil, nil, k.ID
	return out
}

// keypairUser is the user a keypair request is about: the user_id query
// parameter from 2.10, else the caller.
func keypairUser(r *http.Request) string {
	if version(r).AtLeast(10) {
		if v, ok := r.URL.Query()["user_id"]; ok {
			return v[0]
		}
	}
	return caller(r).UserID
}

// checkKeypairQuery refuses unknown query parameters from 2.75.
func checkKeypairQuery(r *http.Request, list bool) error {
	if !version(r).AtLeast(75) {
		return nil
	}
	keys := []string{"user_id"}
	if list {
		keys = append(keys, "limit", "marker")
	}
	return onlyQueryKeys(r.URL.Query(), keys...)
}

// listKeypairsAPI is GET /os-keypairs (paged from 2.35).
func (s *Service) listKeypairsAPI(w http.ResponseWriter, r *http.Request) error {
	if err := checkKeypairQuery(r, true); err != nil {
		return err
	}
	v := version(r)
	limit, marker := 0, (*string)(nil)
	if v.AtLeast(35) {
		q := r.URL.Query()
		limit = s.opts.ListLimit
		if l, ok := q["limit"]; ok {
			n, err := queryInt("limit", l[0])
			if err != nil {
				return err
			}
			limit = min(n, limit)
		}
		if m, ok := q["marker"]; ok {
			marker = &m[0]
		}
	}
	user := keypairUser(r)
	if err := s.enforce(r, "os_compute_api:os-keypairs:index", map[string]any{"user_id": user}); err != nil {
		return err
	}
	var ks []*keypair
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if v.AtLeast(35) && limit == 0 {
			return nil
		}
		ks, err = listKeypairs(tx, user, marker, limit)
		return err
	})
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(ks))
	for i, k := range ks {
		items[i] = map[string]any{"keypair": keypairView(k, "index", v)}
	}
	body := map[string]any{"keypairs": items}
	if v.AtLeast(35) && len(ks) > 0 {
		if links := collectionLinks(r, s.baseURL(r), "/v2.1/os-keypairs", len(ks), limit, ks[len(ks)-1].Name); links != nil {
			body["keypairs_links"] = links
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// showKeypair is GET /os-keypairs/{name}.
func (s *Service) showKeypair(w http.ResponseWriter, r *http.Request) error {
	if err := checkKeypairQuery(r, false); err != nil {
		return err
	}
	user := keypairUser(r)
	if err := s.enforce(r, "os_compute_api:os-keypairs:show", map[string]any{"user_id": user}); err != nil {
		return err
	}
	var k *keypair
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		k, err = loadKeypair(tx, user, r.PathValue("name"))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"keypair": keypairView(k, "show", version(r))})
}

// deleteKeypair is DELETE /os-keypairs/{name}: 202 at 2.1, 204 after.
func (s *Service) deleteKeypair(w http.ResponseWriter, r *http.Request) error {
	if err := checkKeypairQuery(r, false); err != nil {
		return err
	}
	user := keypairUser(r)
	if err := s.enforce(r, "os_compute_api:os-keypairs:delete", map[string]any{"user_id": user}); err != nil {
		return err
	}
	name := r.PathValue("name")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		n, err := tx.ExecAffected(`DELETE FROM compute_keypairs WHERE user_id = ? AND name = ?`, user, name)
		if err == nil && n == 0 {
			err = keypairNotFound(user, name)
		}
		return err
	})
	if err != nil {
		return err
	}
	if version(r).AtLeast(2) {
		w.WriteHeader(http.StatusNoContent)
	} else {
		w.WriteHeader(http.StatusAccepted)
	}
	return nil
}

// keypairRequest is a checked create body.
type keypairRequest struct {
	name, keyType, userID string
	publicKey             *string
}

// parseKeypairCreate checks a create body as the version's schema does.
func parseKeypairCreate(body jsonObject, v httpx.Microversion) (*keypairRequest, error) {
	kp, err := requireBody(body, "keypair")
	if err != nil {
		return nil, err
	}
	req := &keypairRequest{keyType: "ssh"}
	allowed := []string{"name", "public_key"}
	if raw, ok := kp["name"]; ok {
		if req.name, err = keypairName(raw); err != nil {
			return nil, err
		}
	}
	if v.AtLeast(2) {
		allowed = append(allowed, "type")
		if raw, ok := kp["type"]; ok {
			t, _ := raw.(string)
			if t != "ssh" && t != "x509" {
				if _, isStr := raw.(string); !isStr {
					return nil, invalidInput("type", raw, pyRepr(raw)+" is not of type 'string'")
				}
				return nil, invalidInput("type", raw, pyRepr(raw)+" is not one of ['ssh', 'x509']")
			}
			req.keyType = t
		}
	}
	if raw, ok := kp["public_key"]; ok {
		pk, ok := raw.(string)
		if !ok {
			return nil, invalidInput("public_key", raw, pyRepr(raw)+" is not of type 'string'")
		}
		req.publicKey = &pk
	}
	if v.AtLeast(10) {
		allowed = append(allowed, "user_id")
		if raw, ok := kp["user_id"]; ok {
			u, ok := raw.(string)
			if !ok {
				return nil, invalidInput("user_id", raw, pyRepr(raw)+" is not of type 'string'")
			}
			req.userID = u
		}
	}
	if err := requireKeys("keypair", kp, "name"); err != nil {
		return nil, err
	}
	return req, onlyKeys("keypair", kp, allowed)
}

// keypairName checks keypair_name_special_chars: a Nova name made only
// of letters, digits, '_', '-' and ' '.
func keypairName(raw any) (string, error) {
	name, err := schemaName("name", raw)
	if err != nil {
		return "", err
	}
	for _, c := range name {
		if !strings.ContainsRune(keypairNameChars, c) {
			return "", errs.BadRequestf("An invalid 'name' value was provided. The name must be: Only expected characters: [%s]", keypairNameChars)
		}
	}
	return name, nil
}

// createKeypair is POST /os-keypairs: import a public key or generate a
// key pair (the private key is returned once). 200 at 2.1, 201 after.
func (s *Service) createKeypair(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	v := version(r)
	req, err := parseKeypairCreate(body, v)
	if err != nil {
		return err
	}
	tok := caller(r)
	k := &keypair{UserID: firstNonEmpty(req.userID, tok.UserID), Name: req.name, Type: req.keyType}
	if err := s.enforce(r, "os_compute_api:os-keypairs:create", map[string]any{"user_id": k.UserID}); err != nil {
		return err
	}
	quota := func(tx *db.Tx) error { return checkKeypairQuota(tx, tok.ProjectID(), k.UserID) }
	if err := s.db.Read(r.Context(), quota); err != nil {
		return err
	}
	if err := s.fillKeypair(k, req.publicKey); err != nil {
		return err
	}
	k.CreatedAt = s.now().UnixMicro()
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := quota(tx); err != nil {
			return err
		}
		return insertKeypair(tx, k)
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !v.AtLeast(2) {
		status = http.StatusOK
	}
	return httpx.WriteJSON(w, status, map[string]any{"keypair": keypairView(k, "create", v)})
}

// fillKeypair fingerprints an imported key or generates one.
func (s *Service) fillKeypair(k *keypair, publicKey *string) error {
	var err error
	if publicKey != nil {
		k.PublicKey = *publicKey
		k.Fingerprint, err = keyFingerprint(k.PublicKey, k.Type)
		return err
	}
	if k.Type == "x509" {
		k.PrivateKey, k.PublicKey, k.Fingerprint, err = generateX509Key(k.UserID, s.now())
	} else {
		k.PrivateKey, k.PublicKey, k.Fingerprint, err = generateSSHKey()
	}
	if err != nil {
		return errs.Wrap(errs.Internal, err, "generate key pair")
	}
	return nil
}
