package identity

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// ec2Method is the auth method tokens made from EC2 credentials carry.
const ec2Method = "ec2credential"

// ec2AuthTTL is how old a signed request's timestamp may be (upstream's
// [credential] auth_ttl default).
const ec2AuthTTL = 15 * time.Minute

// ec2Tokens is POST /v3/ec2tokens: a service (or admin) hands over a
// request signed with an EC2 secret and receives a project-scoped token for
// the credential's owner.
func (s *Service) ec2Tokens(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:ec2tokens_validate", nil); err != nil {
		return err
	}
	req, err := decodeEC2Request(r)
	if err != nil {
		return err
	}
	c, blob, err := s.ec2CredentialFor(r.Context(), req)
	if err != nil {
		return err
	}
	if err := s.verifyEC2Request(req, blob); err != nil {
		return err
	}
	who, err := s.ec2Principal(r.Context(), c)
	if err != nil {
		return err
	}
	raw, tok, err := s.mint(r, who, requestedScope{body: &api.AuthScope{Project: &api.NameOrID{ID: c.ProjectID}}})
	if err != nil {
		return err
	}
	return s.writeToken(w, r, http.StatusOK, raw, tok)
}

// verifyEC2Request checks, in upstream's order, the request's signature
// against the credential's secret and its timestamp; an EC2 credential
// bound to a trust, an application credential or an OAuth token is
// refused, since delegations never mint further delegations.
func (s *Service) verifyEC2Request(req *api.EC2Request, blob map[string]any) error {
	if req.Signature == "" {
		return errs.Unauthorizedf("EC2 signature not supplied.")
	}
	if secret, _ := blob["secret"].(string); secret == "" || !ec2SignatureMatches(secret, req) {
		return errs.Unauthorizedf("Invalid EC2 signature.")
	}
	for _, k := range []string{"trust_id", "app_cred_id", "access_token_id"} {
		if blob[k] != nil {
			return errs.Unauthorizedf("EC2 credentials bound to a delegation are not supported.")
		}
	}
	return s.checkEC2Timestamp(req)
}

// decodeEC2Request reads the signed request from "credentials", or the
// older "credential" and "ec2Credentials" keys upstream also accepts.
func decodeEC2Request(r *http.Request) (*api.EC2Request, error) {
	body, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	var envelope map[string]json.RawMessage
	if len(body) > 0 {
		if err := httpx.Unmarshal(body, &envelope); err != nil {
			return nil, err
		}
	}
	if len(envelope) == 0 {
		return nil, errs.BadRequestf("request must include a request body")
	}
	req := &api.EC2Request{}
	for _, key := range []string{"credentials", "credential", "ec2Credentials"} {
		raw, ok := envelope[key]
		if !ok || string(raw) == "null" || string(raw) == "{}" {
			continue
		}
		if err := httpx.Unmarshal(raw, req); err != nil {
			return nil, err
		}
		break
	}
	if req.Access == nil {
		return nil, errs.Unauthorizedf("EC2 Signature not supplied")
	}
	return req, nil
}

// ec2CredentialFor loads the EC2 credential of the request's access key
// and its blob. As upstream, an unknown access key is a 404.
func (s *Service) ec2CredentialFor(ctx context.Context, req *api.EC2Request) (*credential, map[string]any, error) {
	var c *credential
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		c, err = s.getCredential(tx, hashAccessKey(*req.Access))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	var blob map[string]any
	if c.Type != ec2Type || c.ProjectID == nil || json.Unmarshal([]byte(c.Blob), &blob) != nil {
		return nil, nil, errs.Unauthorizedf("EC2 access key not found.")
	}
	return c, blob, nil
}

// checkEC2Timestamp refuses a signed request whose timestamp is older than
// ec2AuthTTL; a request without one is accepted, as upstream.
func (s *Service) checkEC2Timestamp(req *api.EC2Request) error {
	ts := req.Params["Timestamp"]
	if ts == "" {
		ts = req.Headers["X-Amz-Date"]
	}
	if ts == "" {
		ts = req.Params["X-Amz-Date"]
	}
	if ts == "" {
		return nil
	}
	t, ok := parseEC2Time(ts)
	if !ok {
		return errs.Unauthorizedf("Credential timestamp is invalid: Unable to parse date string %q", ts)
	}
	if s.now().After(t.Add(ec2AuthTTL)) {
		return errs.Unauthorizedf("Credential is expired")
	}
	return nil
}

// isoLayouts are the ISO 8601 forms signed requests use (extended and
// basic); a time without a zone is UTC.
var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "20060102T150405Z07:00",
	"20060102T150405Z0700", "20060102T150405"}

func parseEC2Time(s string) (time.Time, bool) {
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ec2Principal checks that the credential's user and project exist and
// are enabled and that the user has a role there, and names the user.
func (s *Service) ec2Principal(ctx context.Context, c *credential) (*authenticated, error) {
	var u *user
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		pr, err := getProject(tx, *c.ProjectID)
		if err != nil {
			return err
		}
		if u, err = getUser(tx, c.UserID); err != nil {
			return err
		}
		if _, _, err := activeUser(tx, u.ID); err != nil {
			return err
		}
		if err := checkEC2ProjectEnabled(tx, pr); err != nil {
			return err
		}
		roles, err := effectiveRoles(tx, u.ID, scopeProject, pr.ID)
		if err == nil && len(roles) == 0 {
			return errs.Unauthorizedf("User not valid for project.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &authenticated{user: u, methods: []string{ec2Method}}, nil
}

// checkEC2ProjectEnabled refuses a domain, or a project that is disabled
// or in a disabled domain, with upstream's bare 401.
func checkEC2ProjectEnabled(tx *db.Tx, pr *project) error {
	if pr.IsDomain || !pr.Enabled {
		return errAuth()
	}
	d, err := getDomain(tx, pr.DomainID)
	if errs.Is(err, errs.NotFound) || (err == nil && !d.Enabled) {
		return errAuth()
	}
	return err
}
