package identity

// Credential is a credential as the /v3/credentials API shows it.
type Credential struct {
	ID        string  `json:"id"`
	UserID    string  `json:"user_id"`
	ProjectID *string `json:"project_id"`
	Type      string  `json:"type"`
	Blob      string  `json:"blob"`
	Links     Links   `json:"links"`
	Extra     Extra   `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (c Credential) MarshalJSON() ([]byte, error) {
	type plain Credential
	return marshalWithExtra(plain(c), c.Extra)
}

// EC2Credential is an EC2 credential as the OS-EC2 API shows it.
type EC2Credential struct {
	UserID   string  `json:"user_id"`
	TenantID *string `json:"tenant_id"`
	Access   string  `json:"access"`
	Secret   string  `json:"secret"`
	TrustID  *string `json:"trust_id"`
	Links    Links   `json:"links"`
}

// EC2CredentialCreate is the body of POST /v3/users/{id}/credentials/OS-EC2.
type EC2CredentialCreate struct {
	TenantID *string `json:"tenant_id"`
}

// EC2Request is a signed EC2 (AWS) request to authenticate, as POST
// /v3/ec2tokens receives it.
type EC2Request struct {
	Access    *string           `json:"access"`
	Signature string            `json:"signature"`
	Host      string            `json:"host"`
	Verb      string            `json:"verb"`
	Path      string            `json:"path"`
	Params    map[string]string `json:"params"`
	Headers   map[string]string `json:"headers"`
	BodyHash  string            `json:"body_hash"`
}
