package identity

import (
	"net/http"
	"strings"

	"github.com/monostack/monostack/internal/httpx"
)

// v3Version is the identity API version this service speaks (Keystone
// Zed's).
func (s *Service) v3Version(r *http.Request) httpx.Version {
	return httpx.Version{ID: "v3.14", Status: "stable", Updated: "2020-04-07T00:00:00Z",
		Links:      []httpx.Link{{Rel: "self", Href: s.baseURL(r) + "/v3/"}},
		MediaTypes: []httpx.MediaType{{Base: "application/json", Type: "application/vnd.openstack.identity-v3+json"}}}
}

// versions is GET /: 300 Multiple Choices listing the versions.
func (s *Service) versions(w http.ResponseWriter, r *http.Request) error {
	if wantsJSONHome(r) {
		return s.writeJSONHome(w, r)
	}
	return httpx.WriteJSON(w, http.StatusMultipleChoices, map[string]any{
		"versions": map[string]any{"values": []httpx.Version{s.v3Version(r)}}})
}

// version is GET /v3: the v3 version document, or the JSON-home document
// when the client asks for application/json-home.
func (s *Service) version(w http.ResponseWriter, r *http.Request) error {
	if wantsJSONHome(r) {
		return s.writeJSONHome(w, r)
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"version": s.v3Version(r)})
}

func wantsJSONHome(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json-home")
}

const relBase = "https://docs.openstack.org/api/openstack-identity/3/"

// writeJSONHome renders the JSON-home document from the route table, so
// it lists exactly what is served.
func (s *Service) writeJSONHome(w http.ResponseWriter, r *http.Request) error {
	resources := map[string]any{}
	for _, route := range s.routes {
		if !strings.HasPrefix(route.Pattern, "/v3/") {
			continue
		}
		rel, entry := jsonHomeEntry(route)
		resources[rel] = entry
	}
	return httpx.WriteJSONAs(w, http.StatusOK, "application/json-home", map[string]any{"resources": resources})
}

func jsonHomeEntry(route httpx.Route) (string, map[string]any) {
	segs := strings.Split(strings.TrimPrefix(route.Pattern, "/v3/"), "/")
	var words, vars []string
	prefix := relBase
	for i, seg := range segs {
		switch {
		case strings.HasPrefix(seg, "OS-") && i == 0:
			prefix = relBase + "ext/" + seg + "/1.0/"
		case strings.HasPrefix(seg, "{"):
			vars = append(vars, strings.Trim(seg, "{}"))
			if n := len(words); n > 0 {
				words[n-1] = strings.TrimSuffix(words[n-1], "s")
			}
		default:
			words = append(words, seg)
		}
	}
	rel := prefix + "rel/" + strings.Join(words, "_")
	entry := map[string]any{"hints": map[string]any{"allow": route.Methods}}
	if len(vars) == 0 {
		entry["href"] = route.Pattern
		return rel, entry
	}
	hv := map[string]string{}
	for _, v := range vars {
		hv[v] = relBase + "param/" + v
	}
	entry["href-template"] = route.Pattern
	entry["href-vars"] = hv
	return rel, entry
}
