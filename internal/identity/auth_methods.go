package identity

import (
	"context"
	"slices"
	"time"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// authenticated is who the auth methods proved, and the limits a token
// made from them inherits.
type authenticated struct {
	user        *user
	methods     []string
	expiresAt   *time.Time // a rescoped token keeps its parent's expiry
	parentAudit string
	parent      *tokenPayload // the token of the token method
	appCred     *appCred
}

func errAuth() error { return errs.Unauthorizedf("The request you have made requires authentication.") }

// authenticate runs every method the request names; all must succeed and
// prove the same user.
func (s *Service) authenticate(ctx context.Context, id *api.AuthIdentity) (*authenticated, error) {
	if len(id.Methods) == 0 {
		return nil, errs.BadRequestf("Invalid input for field 'identity/methods': [] is too short.")
	}
	var res *authenticated
	for _, m := range dedupe(id.Methods) {
		one, err := s.runMethod(ctx, m, id)
		if err != nil {
			return nil, err
		}
		if res == nil {
			res = one
			continue
		}
		if one.user.ID != res.user.ID {
			return nil, errs.Unauthorizedf("User IDs do not match between authentication methods.")
		}
		res.methods = append(res.methods, one.methods...)
		if one.parent != nil {
			res.parent, res.expiresAt, res.parentAudit = one.parent, one.expiresAt, one.parentAudit
		}
		if one.appCred != nil {
			res.appCred = one.appCred
		}
	}
	res.methods = dedupe(res.methods)
	return res, nil
}

func dedupe(in []string) []string {
	out := make([]string, 0, len(in))
	for _, m := range in {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func (s *Service) runMethod(ctx context.Context, m string, id *api.AuthIdentity) (*authenticated, error) {
	switch m {
	case "password":
		if id.Password == nil || id.Password.User == nil {
			return nil, errs.BadRequestf("Expecting to find user in password. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
		}
		return s.passwordMethod(ctx, id.Password.User)
	case "token":
		if id.Token == nil || id.Token.ID == nil {
			return nil, errs.BadRequestf("Expecting to find id in token. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
		}
		return s.tokenMethod(ctx, *id.Token.ID)
	case "application_credential":
		if id.ApplicationCredential == nil {
			return nil, errs.BadRequestf("Expecting to find application_credential in identity. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
		}
		return s.appCredMethod(ctx, id.ApplicationCredential)
	}
	return nil, visible401("Attempted to authenticate with an unsupported method.")
}

// findAuthUser resolves an auth request's user by id or by name and domain.
func findAuthUser(tx *db.Tx, au *api.AuthUser) (*user, error) {
	if au.ID != nil {
		return getUser(tx, *au.ID)
	}
	if au.Name == nil {
		return nil, errs.BadRequestf("Expecting to find id or name in user. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	if au.Domain == nil {
		return nil, errs.BadRequestf("Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	d, err := findDomainRef(tx, au.Domain)
	if err != nil {
		return nil, err
	}
	return getUserByName(tx, d.ID, *au.Name)
}

// findDomainRef resolves {"id"} or {"name"} to a domain.
func findDomainRef(tx *db.Tx, ref *api.NameOrID) (*project, error) {
	switch {
	case ref.ID != nil:
		return getDomain(tx, *ref.ID)
	case ref.Name != nil:
		return getDomainByName(tx, *ref.Name)
	}
	return nil, errs.BadRequestf("Expecting to find id or name in domain. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
}

// passwordMethod checks a password, keeping the lockout counter. A failed
// attempt is recorded in its own transaction before the 401.
func (s *Service) passwordMethod(ctx context.Context, au *api.AuthUser) (*authenticated, error) {
	if au.Password == nil {
		return nil, errs.BadRequestf("Expecting to find password in user. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	var u *user
	var hash string
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		if u, err = findAuthUser(tx, au); err != nil {
			return err
		}
		recent, err := recentPasswords(tx, u.ID, 1)
		if err == nil && len(recent) > 0 {
			hash = recent[0].Hash
		}
		return err
	})
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, errAuth()
		}
		return nil, err
	}
	now := s.now()
	if s.lockedOut(u, now) {
		return nil, visible401("The account is locked for user: %s.", u.ID)
	}
	if hash == "" || !checkPassword(hash, *au.Password) {
		return nil, s.recordFailure(ctx, u, now)
	}
	if !u.Enabled {
		return nil, visible401("The account is disabled for user: %s.", u.ID)
	}
	if u.PasswordExpiresAt != nil && !now.Before(*u.PasswordExpiresAt) {
		return nil, visible401("The password is expired and needs to be changed for user: %s.", u.ID)
	}
	if u.FailedAuthCount > 0 {
		if err := s.db.Write(ctx, func(tx *db.Tx) error { return setFailedAuth(tx, u.ID, 0, nil) }); err != nil {
			return nil, err
		}
	}
	return &authenticated{user: u, methods: []string{"password"}}, nil
}

// lockedOut reports whether too many recent failures lock the user out.
func (s *Service) lockedOut(u *user, now time.Time) bool {
	limit := s.opts.Security.LockoutFailureAttempts
	if limit <= 0 || optionsOf(u.Extra)["ignore_lockout_failure_attempts"] == true {
		return false
	}
	if u.FailedAuthCount < limit || u.FailedAuthAt == nil {
		return false
	}
	return now.Before(u.FailedAuthAt.Add(s.opts.Security.LockoutDuration))
}

func (s *Service) recordFailure(ctx context.Context, u *user, now time.Time) error {
	if s.opts.Security.LockoutFailureAttempts <= 0 {
		return errAuth()
	}
	count := u.FailedAuthCount + 1
	if u.FailedAuthAt != nil && !now.Before(u.FailedAuthAt.Add(s.opts.Security.LockoutDuration)) && u.FailedAuthCount >= s.opts.Security.LockoutFailureAttempts {
		count = 1 // the lockout had lapsed: start counting again
	}
	if err := s.db.Write(ctx, func(tx *db.Tx) error { return setFailedAuth(tx, u.ID, count, &now) }); err != nil {
		return err
	}
	return errAuth()
}

// tokenMethod authenticates with an existing token, for rescoping: the new
// token keeps the old one's expiry and audit chain. Tokens from
// delegations may not make new tokens. As upstream, a token that does not
// validate is a 404, not a 401.
func (s *Service) tokenMethod(ctx context.Context, raw string) (*authenticated, error) {
	p := s.decodeToken(raw)
	if p == nil {
		return nil, errs.NotFoundf("Could not recognize Fernet token")
	}
	failed := errs.NotFoundf("Failed to validate token")
	if !s.now().Before(p.ExpiresAt) || len(p.AuditIDs) == 0 {
		return nil, failed
	}
	if p.TrustID != "" {
		return nil, errs.Forbiddenf("You are not authorized to perform the requested action: Using trust-scoped token to create another token. Create a new trust-scoped token instead.")
	}
	if p.AppCredID != "" {
		return nil, errs.Forbiddenf("You are not authorized to perform the requested action: Using a token created from an application credential to create another token.")
	}
	if slices.Contains(p.Methods, ec2Method) {
		return nil, errs.Forbiddenf("You are not authorized to perform the requested action: Using a token created from an EC2 credential to create another token.")
	}
	var u *user
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		if _, _, err := s.resolveToken(tx, p); err != nil {
			return err
		}
		var err error
		u, err = getUser(tx, p.UserID)
		return err
	})
	if err != nil {
		if errs.Is(err, errs.Unauthorized) || errs.Is(err, errs.NotFound) {
			return nil, failed
		}
		return nil, err
	}
	audit := p.AuditIDs[0]
	if len(p.AuditIDs) > 1 {
		audit = p.AuditIDs[1]
	}
	exp := p.ExpiresAt
	return &authenticated{user: u, methods: append([]string{"token"}, p.Methods...), expiresAt: &exp, parentAudit: audit, parent: p}, nil
}
