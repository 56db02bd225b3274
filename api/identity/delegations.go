package identity

// AppCred is an application credential as the API shows it. Secret is
// only set in the create response.
type AppCred struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Description  *string         `json:"description"`
	UserID       string          `json:"user_id"`
	ProjectID    *string         `json:"project_id"`
	System       *string         `json:"system"`
	ExpiresAt    *string         `json:"expires_at"`
	Unrestricted bool            `json:"unrestricted"`
	Roles        []DelegatedRole `json:"roles"`
	AccessRules  []AccessRule    `json:"access_rules,omitempty"`
	Secret       string          `json:"secret,omitempty"`
	Links        Links           `json:"links"`
}

// DelegatedRole is a role as application credential bodies show it: the
// role without links.
type DelegatedRole struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	DomainID    *string        `json:"domain_id"`
	Description *string        `json:"description"`
	Options     map[string]any `json:"options"`
	Extra       Extra          `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (d DelegatedRole) MarshalJSON() ([]byte, error) {
	type plain DelegatedRole
	return marshalWithExtra(plain(d), d.Extra)
}

// AccessRuleResource is an access rule as the access_rules API shows it.
type AccessRuleResource struct {
	ID      string `json:"id"`
	Service string `json:"service"`
	Path    string `json:"path"`
	Method  string `json:"method"`
	Links   Links  `json:"links"`
}

// Trust is a trust as the OS-TRUST API shows it. Roles and RolesLinks are
// only shown for a single trust, not in lists.
type Trust struct {
	ID                 string           `json:"id"`
	TrustorUserID      string           `json:"trustor_user_id"`
	TrusteeUserID      string           `json:"trustee_user_id"`
	ProjectID          *string          `json:"project_id"`
	Impersonation      bool             `json:"impersonation"`
	ExpiresAt          *string          `json:"expires_at"`
	RemainingUses      *int             `json:"remaining_uses"`
	DeletedAt          *string          `json:"deleted_at"`
	RedelegatedTrustID *string          `json:"redelegated_trust_id"`
	RedelegationCount  int              `json:"redelegation_count"`
	Roles              *[]Role          `json:"roles,omitempty"`
	RolesLinks         *CollectionLinks `json:"roles_links,omitempty"`
	Links              Links            `json:"links"`
	Extra              Extra            `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (t Trust) MarshalJSON() ([]byte, error) {
	type plain Trust
	return marshalWithExtra(plain(t), t.Extra)
}
