package identity

import (
	"fmt"
	"math"
	"regexp"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// maxPasswordLength is upstream's max_password_length default.
const maxPasswordLength = 4096

// passwordRules applies the security-compliance settings to passwords.
type passwordRules struct {
	Security
	regex *regexp.Regexp
}

func newPasswordRules(sec Security) (*passwordRules, error) {
	r := &passwordRules{Security: sec}
	if sec.PasswordRegex != "" {
		re, err := regexp.Compile(sec.PasswordRegex)
		if err != nil {
			return nil, fmt.Errorf("password-regex: %w", err)
		}
		r.regex = re
	}
	return r, nil
}

// hashPassword hashes with bcrypt. Like upstream, bytes past bcrypt's 72
// are not part of the hash.
func hashPassword(pw string, cost int) (string, error) {
	b := []byte(pw)
	if len(b) > 72 {
		b = b[:72]
	}
	h, err := bcrypt.GenerateFromPassword(b, cost)
	return string(h), err
}

// checkPassword compares pw with a bcrypt hash.
func checkPassword(hash, pw string) bool {
	b := []byte(pw)
	if len(b) > 72 {
		b = b[:72]
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), b) == nil
}

// validateNew checks a new password against length and the regex.
func (p *passwordRules) validateNew(pw string) error {
	if len(pw) > maxPasswordLength {
		return errs.BadRequestf("Invalid input for field 'password': it is longer than %d characters.", maxPasswordLength)
	}
	if p.regex != nil && !p.regex.MatchString(pw) {
		detail := p.PasswordRegexDescription
		if detail == "" {
			detail = "it does not match the configured password regular expression"
		}
		return errs.BadRequestf("Password validation error: The password does not meet the requirements: %s.", detail)
	}
	return nil
}

// checkHistory refuses a self-service password equal to one of the last
// unique-last-password-count passwords, the current one included (as
// upstream, whatever its error message suggests).
func (p *passwordRules) checkHistory(tx *db.Tx, userID, pw string) error {
	n := p.UniqueLastPasswordCount
	if n <= 0 {
		return nil
	}
	recent, err := recentPasswords(tx, userID, n)
	if err != nil {
		return err
	}
	for _, old := range recent {
		if checkPassword(old.Hash, pw) {
			return errs.BadRequestf("Password validation error: The new password cannot be identical to a previous password. The total number which includes the new password must be unique is %d.", n)
		}
	}
	return nil
}

// checkMinimumAge refuses a self-service change too soon after the last.
func (p *passwordRules) checkMinimumAge(tx *db.Tx, userID string, now time.Time) error {
	if p.MinimumPasswordAgeDays <= 0 {
		return nil
	}
	recent, err := recentPasswords(tx, userID, 1)
	if err != nil || len(recent) == 0 {
		return err
	}
	// An admin-set password may be changed at once.
	if !recent[0].SelfService {
		return nil
	}
	ready := recent[0].CreatedAt.Add(time.Duration(p.MinimumPasswordAgeDays) * 24 * time.Hour)
	if now.Before(ready) {
		days := int(math.Ceil(ready.Sub(now).Hours() / 24))
		return errs.BadRequestf("You cannot change your password at this time due to the minimum password age. Once you change your password, it must be used for %d day(s) before it can be changed. Please try again in %d day(s) or contact your administrator to reset your password.", p.MinimumPasswordAgeDays, days)
	}
	return nil
}

// expiry computes when a password set now expires: never, after
// password-expires-days, or at once for an admin-set password when users
// must change it upon first use.
func (p *passwordRules) expiry(u *user, now time.Time, selfService bool) *time.Time {
	opts := optionsOf(u.Extra)
	if !selfService && p.ChangePasswordUponFirstUse && opts["ignore_change_password_upon_first_use"] != true {
		return &now
	}
	if p.PasswordExpiresDays > 0 && opts["ignore_password_expiry"] != true {
		t := now.Add(time.Duration(p.PasswordExpiresDays) * 24 * time.Hour)
		return &t
	}
	return nil
}

// setPassword validates and stores a new password for u. Self-service
// changes also check history and minimum age; admin resets do not.
func (s *Service) setPassword(tx *db.Tx, u *user, pw string, selfService bool) error {
	if err := s.passwords.validateNew(pw); err != nil {
		return err
	}
	now := s.now()
	if selfService {
		if err := s.passwords.checkMinimumAge(tx, u.ID, now); err != nil {
			return err
		}
		if err := s.passwords.checkHistory(tx, u.ID, pw); err != nil {
			return err
		}
	}
	hash, err := hashPassword(pw, s.opts.BcryptCost)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "hash password")
	}
	expires := s.passwords.expiry(u, now, selfService)
	if err := insertPassword(tx, s.newID(), u.ID, hash, now, expires, selfService); err != nil {
		return err
	}
	u.HasPassword, u.PasswordExpiresAt = true, expires
	return s.prunePasswords(tx, u.ID)
}

// prunePasswords keeps only the passwords the history check needs.
func (s *Service) prunePasswords(tx *db.Tx, userID string) error {
	keep := max(s.passwords.UniqueLastPasswordCount, 1)
	_, err := tx.Exec(`DELETE FROM identity_passwords WHERE user_id = ? AND id NOT IN (
		SELECT id FROM identity_passwords WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)`, userID, userID, keep)
	return err
}
