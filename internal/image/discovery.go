package image

import (
	"net/http"

	"github.com/monostack/monostack/internal/httpx"
)

// supportedVersions are the v2 minor versions Glance Zed lists; 2.15 is
// current.
var supportedVersions = []struct{ id, status string }{
	{"v2.15", "CURRENT"}, {"v2.14", "SUPPORTED"}, {"v2.13", "SUPPORTED"}, {"v2.12", "SUPPORTED"},
	{"v2.11", "SUPPORTED"}, {"v2.10", "SUPPORTED"}, {"v2.9", "SUPPORTED"}, {"v2.8", "SUPPORTED"},
	{"v2.7", "SUPPORTED"}, {"v2.6", "SUPPORTED"}, {"v2.5", "SUPPORTED"}, {"v2.4", "SUPPORTED"},
	{"v2.3", "SUPPORTED"}, {"v2.2", "SUPPORTED"}, {"v2.1", "SUPPORTED"}, {"v2.0", "SUPPORTED"},
}

// versions is the version document, served (as upstream) with 300 at the
// root and 200 at /versions.
func (s *Service) versions(w http.ResponseWriter, r *http.Request) error {
	base := s.baseURL(r)
	list := make([]map[string]any, 0, len(supportedVersions))
	for _, v := range supportedVersions {
		list = append(list, map[string]any{"id": v.id, "status": v.status,
			"links": []map[string]string{{"rel": "self", "href": base + "/v2/"}}})
	}
	status := http.StatusMultipleChoices
	if r.URL.Path == "/versions" {
		status = http.StatusOK
	}
	return httpx.WriteJSON(w, status, map[string]any{"versions": list})
}
