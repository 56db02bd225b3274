package httpx

// Link is a hyperlink in a version document or a resource.
type Link struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
	Type string `json:"type,omitempty"`
}

// MediaType is one media type a version speaks.
type MediaType struct {
	Base string `json:"base"`
	Type string `json:"type"`
}

// Version is one entry of a version discovery document. Services with
// microversions fill Version and MinVersion; others leave them empty.
type Version struct {
	ID         string      `json:"id"`
	Status     string      `json:"status"`
	Updated    string      `json:"updated"`
	Links      []Link      `json:"links"`
	MediaTypes []MediaType `json:"media-types,omitempty"`
	Version    string      `json:"version,omitempty"`
	MinVersion string      `json:"min_version,omitempty"`
}
