package identity

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/identity/keyrepo"
	"github.com/monostack/monostack/internal/policy"
)

// Security holds the PCI-DSS style security-compliance settings; every one
// is off at its zero value, as upstream.
type Security struct {
	LockoutFailureAttempts     int
	LockoutDuration            time.Duration
	PasswordExpiresDays        int
	MinimumPasswordAgeDays     int
	UniqueLastPasswordCount    int
	PasswordRegex              string
	PasswordRegexDescription   string
	ChangePasswordUponFirstUse bool
}

// Options configures the identity service.
type Options struct {
	DB             *db.DB
	TokenKeys      *keyrepo.Repo
	CredentialKeys *keyrepo.Repo
	Log            *slog.Logger

	TokenExpiration time.Duration
	BcryptCost      int
	ListLimit       int
	MaxBodySize     int64
	Security        Security

	PolicyFile         string // policy.yaml with overrides; "" for none
	EnforceNewDefaults bool

	// PublicURL is the identity endpoint clients reach (for links and the
	// WWW-Authenticate header); empty means "as the request reached us".
	PublicURL string

	Clock func() time.Time // default time.Now
	NewID func() string    // default random 32-digit hex
}

// Service is the identity service.
type Service struct {
	db        store
	policy    *policy.Enforcer
	tokenKeys *keyrepo.Repo
	credKeys  *keyrepo.Repo
	log       *slog.Logger
	opts      Options
	now       func() time.Time
	newID     func() string
	passwords *passwordRules
	tokens    tokenCache
	routes    []httpx.Route
}

// New builds the identity service.
func New(o Options) (*Service, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.NewID == nil {
		o.NewID = NewID
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.TokenExpiration == 0 {
		o.TokenExpiration = time.Hour
	}
	if o.BcryptCost == 0 {
		o.BcryptCost = 12
	}
	rules, err := newPasswordRules(o.Security)
	if err != nil {
		return nil, err
	}
	enforcer, err := policy.New(policyDefaults(), policy.Options{File: o.PolicyFile,
		EnforceNewDefaults: o.EnforceNewDefaults, ReloadInterval: time.Second, Log: o.Log})
	if err != nil {
		return nil, err
	}
	return &Service{db: store{DB: o.DB, gen: &knownGeneration{}}, policy: enforcer, tokenKeys: o.TokenKeys, credKeys: o.CredentialKeys,
		log: o.Log, opts: o, now: func() time.Time { return o.Clock().UTC() }, newID: o.NewID,
		passwords: rules}, nil
}

// NewID returns a random 32-digit hex id, the form Keystone uses.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newAuditID returns a random audit id in Keystone's form (22 characters of
// URL-safe base64 of 16 random bytes).
func newAuditID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
