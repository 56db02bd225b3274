package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/httpx"
)

// MaxMicroversion is the newest compute microversion served. Raise it only
// together with the behaviour of every version up to it.
var MaxMicroversion = httpx.Microversion{Major: 2, Minor: 79}

// microversions negotiates the compute API version of every request.
var microversions = &httpx.MicroversionSpec{ServiceType: "compute",
	LegacyHeader: "X-OpenStack-Nova-API-Version",
	Min:          httpx.Microversion{Major: 2, Minor: 1}, Max: MaxMicroversion}

// versionDoc describes one API version, as GET / lists it.
func (s *Service) versionDoc(r *http.Request, id string) map[string]any {
	base := s.baseURL(r)
	if id == "v2.0" {
		return map[string]any{"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "",
			"updated": "2011-01-21T11:33:21Z",
			"links":   []map[string]string{{"rel": "self", "href": base + "/v2/"}}}
	}
	return map[string]any{"id": "v2.1", "status": "CURRENT", "version": microversions.Max.String(),
		"min_version": microversions.Min.String(), "updated": "2013-07-23T11:33:21Z",
		"links": []map[string]string{{"rel": "self", "href": base + "/v2.1/"}}}
}

// versions is GET /: every API version (300 Multiple Choices in Nova only
// for other paths; the root answers 200).
func (s *Service) versions(w http.ResponseWriter, r *http.Request) error {
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"versions": []any{
		s.versionDoc(r, "v2.0"), s.versionDoc(r, "v2.1")}})
}

// version21 is GET /v2.1: the current version with its media types.
func (s *Service) version21(w http.ResponseWriter, r *http.Request) error {
	doc := s.versionDoc(r, "v2.1")
	doc["links"] = []map[string]string{
		{"rel": "self", "href": s.baseURL(r) + "/v2.1/"},
		{"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"},
	}
	doc["media-types"] = []map[string]string{{"base": "application/json",
		"type": "application/vnd.openstack.compute+json;version=2.1"}}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"version": doc})
}

// version20 is GET /v2/: the legacy v2.0 API's version document (Nova
// still lists it, so clients follow its self link).
func (s *Service) version20(w http.ResponseWriter, r *http.Request) error {
	doc := s.versionDoc(r, "v2.0")
	doc["links"] = []map[string]string{
		{"rel": "self", "href": s.baseURL(r) + "/v2/"},
		{"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"},
	}
	doc["media-types"] = []map[string]string{{"base": "application/json",
		"type": "application/vnd.openstack.compute+json;version=2"}}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"version": doc})
}
