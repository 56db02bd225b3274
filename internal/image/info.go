package image

import (
	"net/http"

	"github.com/monostack/monostack/internal/httpx"
)

// importInfo is GET /v2/info/import: the enabled import methods.
func (s *Service) importInfo(w http.ResponseWriter, r *http.Request) error {
	methods := append([]string{}, s.opts.ImportMethods...)
	return httpx.WriteJSON(w, http.StatusOK, jsObj("import-methods",
		jsObj("description", "Import methods available.", "type", "array", "value", methods)))
}

// storesInfo is GET /v2/info/stores as Glance answers with one store
// enabled: that store, the default.
func (s *Service) storesInfo(w http.ResponseWriter, r *http.Request) error {
	return httpx.WriteJSON(w, http.StatusOK, jsObj("stores", []any{jsObj("id", s.store.ID(), "default", "true")}))
}
