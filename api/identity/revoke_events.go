package identity

// RevocationEvent is one entry of GET /v3/OS-REVOKE/events: tokens issued
// until IssuedBefore that match every attribute set are revoked.
type RevocationEvent struct {
	UserID       string `json:"user_id,omitempty"`
	RoleID       string `json:"role_id,omitempty"`
	DomainID     string `json:"domain_id,omitempty"`
	ProjectID    string `json:"project_id,omitempty"`
	AuditID      string `json:"audit_id,omitempty"`
	TrustID      string `json:"OS-TRUST:trust_id,omitempty"`
	IssuedBefore string `json:"issued_before"`
	RevokedAt    string `json:"revoked_at"`
}
