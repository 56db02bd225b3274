package identity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// ec2Type is the credential type of EC2 credentials.
const ec2Type = "ec2"

// ec2View renders a stored ec2 credential as the OS-EC2 API does.
func (s *Service) ec2View(r *http.Request, c *credential) api.EC2Credential {
	var blob map[string]any
	_ = json.Unmarshal([]byte(c.Blob), &blob)
	access, _ := blob["access"].(string)
	secret, _ := blob["secret"].(string)
	v := api.EC2Credential{UserID: c.UserID, TenantID: c.ProjectID, Access: access, Secret: secret}
	if t, ok := blob["trust_id"].(string); ok {
		v.TrustID = &t
	}
	v.Links.Self = s.selfLink(r, "/v3/users/"+c.UserID+"/credentials/OS-EC2/"+url.PathEscape(access))
	return v
}

// ec2Blob is the blob of a new EC2 credential, in the form upstream
// writes it (Python's json.dumps).
func ec2Blob(access, secret string) string {
	return fmt.Sprintf(`{"access": %q, "secret": %q, "trust_id": null}`, access, secret)
}

// ec2UserTarget is the policy target of the path's user's EC2 credentials.
func ec2UserTarget(userID string) map[string]any {
	return map[string]any{"user_id": userID, "target": map[string]any{"credential": map[string]any{"user_id": userID}}}
}

func (s *Service) createEC2Credential(w http.ResponseWriter, r *http.Request) error {
	userID := r.PathValue("user_id")
	if err := s.enforce(r, "identity:ec2_create_credential", ec2UserTarget(userID)); err != nil {
		return err
	}
	if err := refuseDelegated(r); err != nil {
		return err
	}
	in, err := decodeEC2Create(r)
	if err != nil {
		return err
	}
	access, secret := NewID(), NewID() // random, never from the injectable id source
	c := &credential{ID: hashAccessKey(access), UserID: userID, ProjectID: in.TenantID, Type: ec2Type,
		Blob: ec2Blob(access, secret)}
	if err := s.sealCredential(c); err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getUser(tx, userID); err != nil {
			return err
		}
		if err := checkEC2Project(tx, in.TenantID); err != nil {
			return err
		}
		return insertCredential(tx, c)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"credential": s.ec2View(r, c)})
}

// decodeEC2Create reads {"tenant_id": ...}; as upstream, an empty body is
// an empty object (and so names no project).
func decodeEC2Create(r *http.Request) (*api.EC2CredentialCreate, error) {
	body, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	in := &api.EC2CredentialCreate{}
	if len(bytes.TrimSpace(body)) == 0 {
		return in, nil
	}
	return in, httpx.Unmarshal(body, in)
}

// checkEC2Project checks that an EC2 credential's project exists.
func checkEC2Project(tx *db.Tx, id *string) error {
	if id == nil {
		return errs.NotFoundf("Could not find project: None.")
	}
	p, err := findProjectRow(tx, *id)
	if err != nil {
		return err
	}
	if p == nil || p.IsDomain {
		return errs.NotFoundf("Could not find project: %s.", *id)
	}
	return nil
}

func (s *Service) listEC2Credentials(w http.ResponseWriter, r *http.Request) error {
	userID := r.PathValue("user_id")
	if err := s.enforce(r, "identity:ec2_list_credentials", ec2UserTarget(userID)); err != nil {
		return err
	}
	if err := refuseDelegated(r); err != nil {
		return err
	}
	var list []*credential
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if _, err := getUser(tx, userID); err != nil {
			return err
		}
		q := db.NewQuery("SELECT "+credentialColumns+" FROM identity_credentials").
			Where("user_id = ? AND type = ?", userID, ec2Type).OrderBy("id")
		list, err = querySealedCredentials(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	out := make([]api.EC2Credential, len(list))
	for i, c := range list {
		if err := s.openCredential(c); err != nil {
			return err
		}
		out[i] = s.ec2View(r, c)
	}
	return s.writeCollection(w, r, "credentials", out, "", false)
}

// loadEC2Credential loads the path's EC2 credential by its access key and
// checks rule against it. As upstream, an unknown access key is a 404
// before the policy check and a credential of another type a 401.
func (s *Service) loadEC2Credential(tx *db.Tx, r *http.Request, rule string) (*credential, error) {
	userID, id := r.PathValue("user_id"), hashAccessKey(r.PathValue("credential_id"))
	c, err := s.getCredential(tx, id)
	if err != nil {
		return nil, err
	}
	target := credentialTarget(c)
	target["user_id"] = userID
	if err := s.enforce(r, rule, target); err != nil {
		return nil, err
	}
	if _, err := getUser(tx, userID); err != nil {
		return nil, err
	}
	if c.Type != ec2Type {
		return nil, errs.Unauthorizedf("EC2 access key not found.")
	}
	if c.UserID != userID {
		return nil, errs.NotFoundf("Could not find credential: %s.", id)
	}
	return c, nil
}

func (s *Service) getEC2Credential(w http.ResponseWriter, r *http.Request) error {
	if err := refuseDelegated(r); err != nil {
		return err
	}
	var c *credential
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		c, err = s.loadEC2Credential(tx, r, "identity:ec2_get_credential")
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"credential": s.ec2View(r, c)})
}

func (s *Service) deleteEC2Credential(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		c, err := s.loadEC2Credential(tx, r, "identity:ec2_delete_credential")
		if err != nil {
			return err
		}
		return deleteCredentialRow(tx, c.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
