package identity

// Region is a region as the API shows it.
type Region struct {
	ID             string  `json:"id"`
	Description    string  `json:"description"`
	ParentRegionID *string `json:"parent_region_id"`
	Links          Links   `json:"links"`
	Extra          Extra   `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (r Region) MarshalJSON() ([]byte, error) {
	type plain Region
	return marshalWithExtra(plain(r), r.Extra)
}

// Service is a catalog service as the API shows it; name and description
// travel in Extra, as upstream keeps them.
type Service struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Enabled bool   `json:"enabled"`
	Links   Links  `json:"links"`
	Extra   Extra  `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (s Service) MarshalJSON() ([]byte, error) {
	type plain Service
	return marshalWithExtra(plain(s), s.Extra)
}

// Endpoint is a catalog endpoint as the API shows it; region repeats
// region_id for v2-era clients.
type Endpoint struct {
	ID        string  `json:"id"`
	Interface string  `json:"interface"`
	RegionID  *string `json:"region_id"`
	ServiceID string  `json:"service_id"`
	URL       string  `json:"url"`
	Enabled   bool    `json:"enabled"`
	Region    *string `json:"region"`
	Links     Links   `json:"links"`
	Extra     Extra   `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (e Endpoint) MarshalJSON() ([]byte, error) {
	type plain Endpoint
	return marshalWithExtra(plain(e), e.Extra)
}

// EndpointGroup is an OS-EP-FILTER endpoint group.
type EndpointGroup struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description *string        `json:"description"`
	Filters     map[string]any `json:"filters"`
	Links       Links          `json:"links"`
}

// ProjectEndpointGroup is the association of an endpoint group with a
// project.
type ProjectEndpointGroup struct {
	EndpointGroupID string `json:"endpoint_group_id"`
	ProjectID       string `json:"project_id"`
	Links           Links  `json:"links"`
}

// Policy is a stored policy blob (the deprecated v3 policy API).
type Policy struct {
	ID    string `json:"id"`
	Blob  string `json:"blob"`
	Type  string `json:"type"`
	Links Links  `json:"links"`
	Extra Extra  `json:"-"`
}

// MarshalJSON adds the extra attributes.
func (p Policy) MarshalJSON() ([]byte, error) {
	type plain Policy
	return marshalWithExtra(plain(p), p.Extra)
}
