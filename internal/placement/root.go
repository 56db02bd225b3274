package placement

import (
	"net/http"

	"github.com/monostack/monostack/internal/httpx"
)

// home is the version document at "/", served without a token.
func (s *Service) home(w http.ResponseWriter, r *http.Request) error {
	cacheHeaders(w, r, s.now().UnixMicro())
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"versions": []any{map[string]any{
		"id": "v" + versions.Min.String(), "max_version": versions.Max.String(), "min_version": versions.Min.String(),
		"status": "CURRENT", "links": []map[string]string{{"rel": "self", "href": ""}},
	}}})
}
