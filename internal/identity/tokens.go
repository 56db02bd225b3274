package identity

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// encodeToken seals a payload into a Fernet token without base64 padding,
// as upstream does.
func (s *Service) encodeToken(p *tokenPayload) (string, error) {
	tok, err := s.tokenKeys.Encrypt(p.marshal())
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "encrypt token")
	}
	return strings.TrimRight(string(tok), "="), nil
}

// decodeToken opens a token string; nil means it is not one of ours.
func (s *Service) decodeToken(raw string) *tokenPayload {
	if len(raw) < 64 || len(raw) > 512 {
		return nil
	}
	if pad := len(raw) % 4; pad != 0 {
		raw += strings.Repeat("=", 4-pad)
	}
	msg := s.tokenKeys.Decrypt([]byte(raw))
	if msg == nil {
		return nil
	}
	p, err := unmarshalPayload(msg)
	if err != nil {
		return nil
	}
	return p
}

// errNoToken is the client-facing error for any invalid X-Auth-Token.
func errNoToken() error {
	return errs.Unauthorizedf("The request you have made requires authentication.")
}

// Validate implements auth.Validator for X-Auth-Token: any problem is a
// 401 without detail.
func (s *Service) Validate(ctx context.Context, raw string) (*auth.Token, error) {
	p := s.decodeToken(raw)
	if p == nil || !s.now().Before(p.ExpiresAt) {
		return nil, errNoToken()
	}
	tok, err := s.resolveCached(ctx, raw, p)
	if err != nil {
		if errs.Is(err, errs.Unauthorized) || errs.Is(err, errs.NotFound) {
			return nil, errNoToken()
		}
		return nil, err
	}
	return tok, nil
}

// resolveCached resolves p, reusing the last resolution of raw while no
// identity write has happened since and nothing it depends on expired.
func (s *Service) resolveCached(ctx context.Context, raw string, p *tokenPayload) (*auth.Token, error) {
	if gen, ok := s.db.gen.get(s.now()); ok {
		if tok := s.tokens.get(raw, gen, s.now()); tok != nil {
			return tok, nil
		}
	}
	var tok *auth.Token
	epoch := s.db.gen.begin()
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		gen, err := generation(tx)
		if err != nil {
			return err
		}
		now := s.now()
		s.db.gen.remember(epoch, gen, now)
		if tok = s.tokens.get(raw, gen, now); tok != nil {
			return nil
		}
		var until time.Time
		if tok, until, err = s.resolveToken(tx, p); err != nil {
			return err
		}
		if now.Before(until) {
			s.tokens.put(raw, gen, until, tok)
		}
		return nil
	})
	return tok, err
}

// resolveToken checks that everything a payload refers to still allows
// the token, and gathers the facts its body shows. Failures are 401s whose
// messages suit a token being issued. until is when the resolution stops
// holding by itself: the earliest expiry of the token and its delegation.
func (s *Service) resolveToken(tx *db.Tx, p *tokenPayload) (*auth.Token, time.Time, error) {
	var never time.Time
	u, userDomain, err := activeUser(tx, p.UserID)
	if err != nil {
		return nil, never, err
	}
	tok := &auth.Token{UserID: u.ID, UserName: u.Name, UserDomain: auth.Ref{ID: userDomain.ID, Name: userDomain.Name},
		PasswordExpiresAt: u.PasswordExpiresAt, Methods: p.Methods, AuditIDs: p.AuditIDs,
		IssuedAt: p.IssuedAt, ExpiresAt: p.ExpiresAt}
	if err := s.resolveScope(tx, p, tok); err != nil {
		return nil, never, err
	}
	facts := tokenFacts{UserIDs: []string{u.ID}, ProjectID: tok.ProjectID(), DomainIDs: []string{userDomain.ID},
		TrustID: p.TrustID, AuditIDs: p.AuditIDs, IssuedAt: p.IssuedAt.UnixMicro(), ValidUntil: p.ExpiresAt}
	if tok.Project != nil {
		facts.DomainIDs = append(facts.DomainIDs, tok.ProjectDomain.ID)
	} else if tok.Domain != nil {
		facts.DomainIDs = append(facts.DomainIDs, tok.Domain.ID)
	}
	roles, err := s.tokenRoles(tx, p, tok, &facts)
	if err != nil {
		return nil, never, err
	}
	if revoked, err := isRevoked(tx, facts); err != nil || revoked {
		if err == nil {
			err = errs.Unauthorizedf("The token has been revoked.")
		}
		return nil, never, err
	}
	for _, ro := range roles {
		tok.Roles = append(tok.Roles, auth.Ref{ID: ro.ID, Name: ro.Name})
	}
	return tok, facts.ValidUntil, nil
}

// activeUser loads an enabled user of an enabled domain.
func activeUser(tx *db.Tx, id string) (*user, *project, error) {
	u, err := getUser(tx, id)
	if err != nil {
		return nil, nil, errs.Unauthorizedf("The request you have made requires authentication.")
	}
	if !u.Enabled {
		return nil, nil, visible401("The account is disabled for user: %s.", u.ID)
	}
	d, err := getDomain(tx, u.DomainID)
	if err != nil || !d.Enabled {
		return nil, nil, errs.Unauthorizedf("The request you have made requires authentication.")
	}
	return u, d, nil
}

// resolveScope fills the token's scope, checking it is enabled.
func (s *Service) resolveScope(tx *db.Tx, p *tokenPayload, tok *auth.Token) error {
	switch p.Scope {
	case scopeProject:
		pr, err := findProjectRow(tx, p.ScopeID)
		if err != nil {
			return err
		}
		if pr == nil || pr.IsDomain {
			return errs.Unauthorizedf("Could not find project: %s.", p.ScopeID)
		}
		if !pr.Enabled {
			return errs.Unauthorizedf("Project %s is disabled.", pr.ID)
		}
		d, err := getDomain(tx, pr.DomainID)
		if err != nil || !d.Enabled {
			return errs.Unauthorizedf("Domain %s of project %s is disabled.", pr.DomainID, pr.ID)
		}
		tok.Project = &auth.Ref{ID: pr.ID, Name: pr.Name}
		tok.ProjectDomain = auth.Ref{ID: d.ID, Name: d.Name}
	case scopeDomain:
		d, err := findProjectRow(tx, p.ScopeID)
		if err != nil {
			return err
		}
		if d == nil || !d.IsDomain {
			return errs.Unauthorizedf("Could not find domain: %s.", p.ScopeID)
		}
		if !d.Enabled {
			return errs.Unauthorizedf("Domain %s is disabled.", d.ID)
		}
		tok.Domain = &auth.Ref{ID: d.ID, Name: d.Name}
	case scopeSystem:
		tok.System = true
	}
	return nil
}

// tokenRoles computes the roles of a scoped token: the user's effective
// roles, narrowed to the delegation's roles for trust and application
// credential tokens. A scoped token with no role left is invalid.
func (s *Service) tokenRoles(tx *db.Tx, p *tokenPayload, tok *auth.Token, facts *tokenFacts) ([]*role, error) {
	if p.Scope == scopeNone {
		return nil, nil
	}
	userID, allowed := tok.UserID, []string(nil)
	switch {
	case p.TrustID != "":
		t, err := s.liveTrust(tx, p.TrustID)
		if err != nil {
			return nil, err
		}
		facts.expiresBy(t.ExpiresAt)
		if t.TrusteeUserID != tok.UserID {
			return nil, errs.Unauthorizedf("The trust is not for this user.")
		}
		trustor, trustorDomain, err := activeUser(tx, t.TrustorUserID)
		if err != nil {
			return nil, errs.Unauthorizedf("The trustor of trust %s is disabled or gone.", t.ID)
		}
		if t.Impersonation {
			tok.UserID, tok.UserName, tok.PasswordExpiresAt = trustor.ID, trustor.Name, trustor.PasswordExpiresAt
			tok.UserDomain = auth.Ref{ID: trustorDomain.ID, Name: trustorDomain.Name}
		}
		rules, err := impliedRules(tx)
		if err != nil {
			return nil, err
		}
		// As upstream, a trust delegates its roles and the roles they imply.
		userID, allowed = t.TrustorUserID, expandImplied(t.RoleIDs, rules)
		facts.UserIDs = append(facts.UserIDs, t.TrustorUserID, t.TrusteeUserID)
		tok.Trust = &auth.Trust{ID: t.ID, TrustorUserID: t.TrustorUserID, TrusteeUserID: t.TrusteeUserID, Impersonation: t.Impersonation}
	case p.AppCredID != "":
		a, err := getAppCred(tx, p.AppCredID)
		if err != nil {
			return nil, errs.Unauthorizedf("The application credential of this token is gone.")
		}
		if a.UserID != tok.UserID || (a.ExpiresAt != nil && !s.now().Before(*a.ExpiresAt)) {
			return nil, errs.Unauthorizedf("The application credential of this token has expired.")
		}
		facts.expiresBy(a.ExpiresAt)
		allowed = nonNilStrings(a.RoleIDs) // no roles left delegates nothing
		tok.AppCred = &auth.AppCred{ID: a.ID, Name: a.Name, Restricted: !a.Unrestricted, AccessRules: a.AccessRules}
	}
	roles, err := effectiveRoles(tx, userID, p.Scope, p.ScopeID)
	if err != nil {
		return nil, err
	}
	if allowed != nil {
		roles = slices.DeleteFunc(roles, func(ro *role) bool { return !slices.Contains(allowed, ro.ID) })
	}
	if len(roles) == 0 {
		return nil, noAccess(tok)
	}
	return roles, nil
}

func noAccess(tok *auth.Token) error {
	switch {
	case tok.Project != nil:
		return errs.Unauthorizedf("User %s has no access to project %s", tok.UserID, tok.Project.ID)
	case tok.Domain != nil:
		return errs.Unauthorizedf("User %s has no access to domain %s", tok.UserID, tok.Domain.ID)
	}
	return errs.Unauthorizedf("User %s has no access to the system", tok.UserID)
}

// liveTrust loads a trust that has neither expired nor been used up.
func (s *Service) liveTrust(tx *db.Tx, id string) (*trust, error) {
	t, err := getTrust(tx, id)
	if err != nil {
		return nil, errs.Unauthorizedf("Could not find trust: %s.", id)
	}
	if t.ExpiresAt != nil && !s.now().Before(*t.ExpiresAt) {
		return nil, errs.Unauthorizedf("Trust %s has expired.", id)
	}
	return t, nil
}

// tokenTime formats token times as upstream: microseconds and a Z.
func tokenTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
