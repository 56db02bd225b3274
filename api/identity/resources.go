package identity

// Domain is a domain as the API shows it.
type Domain struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Enabled     bool           `json:"enabled"`
	Tags        []string       `json:"tags"`
	Options     map[string]any `json:"options"`
	Links       Links          `json:"links"`
	Extra       Extra          `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (d Domain) MarshalJSON() ([]byte, error) {
	type plain Domain
	return marshalWithExtra(plain(d), d.Extra)
}

// Project is a project as the API shows it.
type Project struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	DomainID    string         `json:"domain_id"`
	Description string         `json:"description"`
	Enabled     bool           `json:"enabled"`
	ParentID    *string        `json:"parent_id"`
	IsDomain    bool           `json:"is_domain"`
	Tags        []string       `json:"tags"`
	Options     map[string]any `json:"options"`
	Links       Links          `json:"links"`
	Extra       Extra          `json:"-"`

	// Hierarchy views, only when asked for.
	Parents any `json:"parents,omitempty"`
	Subtree any `json:"subtree,omitempty"`
}

// MarshalJSON adds the extra attributes.
func (p Project) MarshalJSON() ([]byte, error) {
	type plain Project
	return marshalWithExtra(plain(p), p.Extra)
}

// User is a user as the API shows it.
type User struct {
	ID                string         `json:"id"`
	Name              string         `json:"name"`
	DomainID          string         `json:"domain_id"`
	Enabled           bool           `json:"enabled"`
	PasswordExpiresAt *string        `json:"password_expires_at"`
	DefaultProjectID  string         `json:"default_project_id,omitempty"`
	Description       *string        `json:"description,omitempty"`
	Options           map[string]any `json:"options"`
	Links             Links          `json:"links"`
	Extra             Extra          `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (u User) MarshalJSON() ([]byte, error) {
	type plain User
	return marshalWithExtra(plain(u), u.Extra)
}

// Group is a group as the API shows it.
type Group struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DomainID    string `json:"domain_id"`
	Description string `json:"description"`
	Links       Links  `json:"links"`
	Extra       Extra  `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (g Group) MarshalJSON() ([]byte, error) {
	type plain Group
	return marshalWithExtra(plain(g), g.Extra)
}

// Role is a role as the API shows it.
type Role struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	DomainID    *string        `json:"domain_id"`
	Description *string        `json:"description"`
	Options     map[string]any `json:"options"`
	Links       Links          `json:"links"`
	Extra       Extra          `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (r Role) MarshalJSON() ([]byte, error) {
	type plain Role
	return marshalWithExtra(plain(r), r.Extra)
}

// Ref names an object by id and name, as token bodies do.
type Ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ScopedRef is a project or user with its domain, as token bodies show it.
type ScopedRef struct {
	Domain Ref    `json:"domain"`
	ID     string `json:"id"`
	Name   string `json:"name"`
}
