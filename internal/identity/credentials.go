package identity

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// credentialInput is the body of a credential create or update; every
// attribute is optional here and checked by the handler.
type credentialInput struct {
	ID        *string `json:"id"`
	UserID    *string `json:"user_id"`
	ProjectID *string `json:"project_id"`
	Type      *string `json:"type"`
	Blob      *string `json:"blob"`
}

// decodeCredential reads {"credential": {...}}. The known attributes must
// be strings when present (null is refused, as upstream's schema does);
// anything else is kept as an extra attribute.
func decodeCredential(r *http.Request) (*credentialInput, map[string]any, error) {
	body, err := httpx.ReadBody(r)
	if err != nil {
		return nil, nil, err
	}
	var in credentialInput
	extra, err := unmarshalEntity(body, "credential", &in)
	if err != nil {
		return nil, nil, err
	}
	var raw struct {
		Credential map[string]json.RawMessage `json:"credential"`
	}
	_ = json.Unmarshal(body, &raw)
	for _, f := range []string{"user_id", "project_id", "type", "blob"} {
		if v, ok := raw.Credential[f]; ok && string(v) == "null" {
			return nil, nil, errs.BadRequestf("Invalid input for field '%s': None is not of type 'string'.", f)
		}
	}
	delete(extra, "key_hash") // storage attributes a client cannot set
	delete(extra, "encrypted_blob")
	return &in, extra, nil
}

func (s *Service) credentialView(r *http.Request, c *credential) api.Credential {
	return api.Credential{ID: c.ID, UserID: c.UserID, ProjectID: c.ProjectID, Type: c.Type, Blob: c.Blob,
		Extra: c.Extra, Links: api.Links{Self: s.selfLink(r, "/v3/credentials/"+c.ID)}}
}

// credentialTarget is the policy target of a stored credential.
func credentialTarget(c *credential) map[string]any {
	return map[string]any{"credential_id": c.ID, "target": map[string]any{"credential": map[string]any{
		"id": c.ID, "user_id": c.UserID, "project_id": projectIDOrNil(c.ProjectID), "type": c.Type}}}
}

// refuseDelegated keeps tokens made from a delegation (trust, application
// credential or EC2 credential) away from credentials: they may neither
// read secrets nor mint new ones.
func refuseDelegated(r *http.Request) error {
	if t := caller(r); t != nil && t.Delegated() {
		return errs.Forbiddenf("You are not authorized to perform the requested action: Using a token created from a trust, an application credential or an EC2 credential to manage credentials is not allowed.")
	}
	return nil
}

// checkCredentialOwners checks that the user and project a credential
// names exist; a nil one is not checked.
func checkCredentialOwners(tx *db.Tx, userID, projectID *string) error {
	if userID != nil {
		if _, err := getUser(tx, *userID); errs.Is(err, errs.NotFound) {
			return errs.BadRequestf("%s", errs.As(err).Message)
		} else if err != nil {
			return err
		}
	}
	if projectID == nil {
		return nil
	}
	p, err := findProjectRow(tx, *projectID)
	if err == nil && (p == nil || p.IsDomain) {
		return errs.BadRequestf("Could not find project: %s.", *projectID)
	}
	return err
}

func (s *Service) createCredential(w http.ResponseWriter, r *http.Request) error {
	const rule = "identity:create_credential"
	in, extra, err := decodeCredential(r)
	if err != nil {
		if perr := s.enforce(r, rule, nil); perr != nil {
			return perr
		}
		return err
	}
	c := &credential{UserID: stringOr(in.UserID, ""), ProjectID: in.ProjectID, Type: stringOr(in.Type, ""),
		Blob: stringOr(in.Blob, ""), Extra: extra}
	if err := s.enforce(r, rule, credentialTarget(c)); err != nil {
		return err
	}
	if err := refuseDelegated(r); err != nil {
		return err
	}
	if err := checkNewCredential(in); err != nil {
		return err
	}
	if c.ID, err = s.newCredentialID(c); err != nil {
		return err
	}
	if err := s.sealCredential(c); err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := checkCredentialOwners(tx, &c.UserID, c.ProjectID); err != nil {
			return err
		}
		return insertCredential(tx, c)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"credential": s.credentialView(r, c)})
}

// checkNewCredential applies upstream's create schema: blob, type and
// user_id are required, and project_id too for an ec2 credential.
func checkNewCredential(in *credentialInput) error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"blob", in.Blob}, {"type", in.Type}, {"user_id", in.UserID}} {
		if f.v == nil {
			return errs.BadRequestf("Invalid input for field 'credential': '%s' is a required property.", f.name)
		}
	}
	if *in.Type == "ec2" && in.ProjectID == nil {
		return errs.BadRequestf("Invalid input for field 'credential': an ec2 credential requires project_id.")
	}
	return nil
}

// newCredentialID is a random id, or for an ec2 credential the hash of
// its access key, so that /v3/ec2tokens can find it.
func (s *Service) newCredentialID(c *credential) (string, error) {
	if strings.ToLower(c.Type) != "ec2" {
		return s.newID(), nil
	}
	blob, err := parseEC2Blob(c.Blob)
	if err != nil {
		return "", err
	}
	return hashAccessKey(blob["access"].(string)), nil
}

// parseEC2Blob checks an ec2 blob as upstream does: a JSON object with an
// access key.
func parseEC2Blob(raw string) (map[string]any, error) {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, errs.BadRequestf("Invalid blob in credential")
	}
	blob, ok := v.(map[string]any)
	if !ok || len(blob) == 0 {
		return nil, errs.BadRequestf("Expecting to find blob in credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	if _, ok := blob["access"].(string); !ok {
		return nil, errs.BadRequestf("Expecting to find access in credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	return blob, nil
}

func (s *Service) getCredentialHandler(w http.ResponseWriter, r *http.Request) error {
	const rule = "identity:get_credential"
	if err := refuseDelegated(r); err != nil {
		return err
	}
	var c *credential
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		c, err = s.getCredential(tx, r.PathValue("credential_id"))
		return err
	})
	if err != nil {
		if perr := s.enforce(r, rule, nil); perr != nil {
			return perr
		}
		return err
	}
	if err := s.enforce(r, rule, credentialTarget(c)); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"credential": s.credentialView(r, c)})
}

func (s *Service) deleteCredential(w http.ResponseWriter, r *http.Request) error {
	const rule = "identity:delete_credential"
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		c, err := getSealedCredential(tx, r.PathValue("credential_id"))
		if err != nil {
			if perr := s.enforce(r, rule, nil); perr != nil {
				return perr
			}
			return err
		}
		if err := s.enforce(r, rule, credentialTarget(c)); err != nil {
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

func (s *Service) listCredentials(w http.ResponseWriter, r *http.Request) error {
	if err := refuseDelegated(r); err != nil {
		return err
	}
	var target map[string]any
	if t := caller(r); !t.System {
		target = map[string]any{"target": map[string]any{"credential": map[string]any{"user_id": t.UserID}}}
	}
	if err := s.enforce(r, "identity:list_credentials", target); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + credentialColumns + " FROM identity_credentials")
	for _, f := range []string{"user_id", "type"} {
		if v, ok := r.URL.Query()[f]; ok {
			q.Where(f+" = ?", v[0])
		}
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	q.Limit(0) // the page is cut after the per-credential policy check below
	var list []*credential
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = querySealedCredentials(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list = slices.DeleteFunc(list, func(c *credential) bool {
		return s.enforce(r, "identity:get_credential", credentialTarget(c)) != nil
	})
	list, next, truncated := cutPage(r, s, page, list, func(c *credential) string { return c.ID })
	out := make([]api.Credential, len(list))
	for i, c := range list {
		if err := s.openCredential(c); err != nil {
			return err
		}
		out[i] = s.credentialView(r, c)
	}
	return s.writeCollection(w, r, "credentials", out, next, truncated)
}

func (s *Service) updateCredential(w http.ResponseWriter, r *http.Request) error {
	const rule = "identity:update_credential"
	if err := refuseDelegated(r); err != nil {
		return err
	}
	in, extra, decodeErr := decodeCredential(r)
	var c *credential
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		old, err := s.getCredential(tx, r.PathValue("credential_id"))
		if err != nil {
			if perr := s.enforce(r, rule, nil); perr != nil {
				return perr
			}
			return err
		}
		if err := s.enforce(r, rule, credentialTarget(old)); err != nil {
			return err
		}
		if decodeErr != nil {
			return decodeErr
		}
		if c, err = applyCredentialUpdate(old, in, extra); err != nil {
			return err
		}
		// the caller must also be allowed the credential as it will be
		if err := s.enforce(r, rule, credentialTarget(c)); err != nil {
			return err
		}
		return s.storeCredentialUpdate(tx, c, in)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"credential": s.credentialView(r, c)})
}

// applyCredentialUpdate returns old with the update applied, checked as
// upstream checks it.
func applyCredentialUpdate(old *credential, in *credentialInput, extra map[string]any) (*credential, error) {
	if *in == (credentialInput{}) && len(extra) == 0 {
		return nil, errs.BadRequestf("Invalid input for field 'credential': {} does not have enough properties.")
	}
	if in.Blob != nil && strings.ToLower(old.Type) == "ec2" {
		if err := checkEC2BlobUpdate(old.Blob, *in.Blob); err != nil {
			return nil, err
		}
	}
	if in.ID != nil && *in.ID != old.ID {
		return nil, errs.BadRequestf("Cannot change ID")
	}
	c := *old
	c.UserID, c.Type, c.Blob = stringOr(in.UserID, c.UserID), stringOr(in.Type, c.Type), stringOr(in.Blob, c.Blob)
	if in.ProjectID != nil {
		c.ProjectID = in.ProjectID
	}
	c.Extra = mergeExtra(old.Extra, extra)
	if strings.ToLower(c.Type) == "ec2" && c.ProjectID == nil {
		return nil, errs.BadRequestf("Expecting to find project_id in credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	return &c, nil
}

// checkEC2BlobUpdate refuses a new ec2 blob that is malformed or changes
// what the credential is bound to.
func checkEC2BlobUpdate(oldRaw, newRaw string) error {
	nb, err := parseEC2Blob(newRaw)
	if err != nil {
		return err
	}
	var ob map[string]any
	_ = json.Unmarshal([]byte(oldRaw), &ob)
	for _, k := range []string{"trust_id", "app_cred_id", "access_token_id", "access_id"} {
		if !reflect.DeepEqual(ob[k], nb[k]) {
			return errs.BadRequestf("%s can not be updated for credential", k)
		}
	}
	return nil
}

// storeCredentialUpdate checks the owners the update names and writes the
// credential, sealing the blob again when it changed.
func (s *Service) storeCredentialUpdate(tx *db.Tx, c *credential, in *credentialInput) error {
	if err := checkCredentialOwners(tx, in.UserID, in.ProjectID); err != nil {
		return err
	}
	if in.Blob != nil {
		if err := s.sealCredential(c); err != nil {
			return err
		}
	}
	return updateCredentialRow(tx, c)
}
