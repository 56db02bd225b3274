package identity

import (
	"context"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// appCredMethod authenticates with an application credential's id (or
// name and user) and secret.
func (s *Service) appCredMethod(ctx context.Context, in *api.AppCredAuth) (*authenticated, error) {
	if in.Secret == nil {
		return nil, errs.BadRequestf("Expecting to find secret in application_credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	var a *appCred
	var u *user
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		switch {
		case in.ID != nil:
			a, err = getAppCred(tx, *in.ID)
		case in.Name != nil && in.User != nil:
			var owner *user
			if owner, err = findAuthUser(tx, in.User); err != nil {
				return err
			}
			a, err = getAppCredByName(tx, owner.ID, *in.Name)
		default:
			return errs.BadRequestf("Expecting to find id, or name and user, in application_credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
		}
		if err != nil {
			return err
		}
		u, err = getUser(tx, a.UserID)
		return err
	})
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, errAuth()
		}
		return nil, err
	}
	if !checkPassword(a.SecretHash, *in.Secret) {
		return nil, errAuth()
	}
	if a.ExpiresAt != nil && !s.now().Before(*a.ExpiresAt) {
		return nil, errs.Unauthorizedf("Application credential %s has expired.", a.ID)
	}
	if !u.Enabled {
		return nil, errs.Unauthorizedf("The account is disabled for user: %s.", u.ID)
	}
	return &authenticated{user: u, methods: []string{"application_credential"}, appCred: a}, nil
}
