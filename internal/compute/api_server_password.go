package compute

import (
	"net/http"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// os-server-password: the encrypted password a guest posted to the
// metadata service, kept in system_metadata "password_0".."password_3"
// (255 characters each), as Nova keeps it.

// passwordChunks is Nova's password.CHUNKS.
const passwordChunks = 4

// storedPassword joins the password_* system metadata in key order.
func storedPassword(sysMeta map[string]string) string {
	var keys []string
	for k := range sysMeta {
		if strings.HasPrefix(k, "password_") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(sysMeta[k])
	}
	return b.String()
}

// showServerPassword is GET /servers/{id}/os-server-password.
func (s *Service) showServerPassword(w http.ResponseWriter, r *http.Request) error {
	var pw string
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:os-server-password:show", map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		pw = storedPassword(i.SystemMetadata)
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"password": pw})
}

// clearServerPassword is DELETE /servers/{id}/os-server-password: the
// stored password becomes empty (the guest's password is unchanged).
func (s *Service) clearServerPassword(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, "os_compute_api:os-server-password:clear", map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		i.SystemMetadata = nonNilMap(i.SystemMetadata)
		for n := range passwordChunks {
			i.SystemMetadata["password_"+string(rune('0'+n))] = ""
		}
		return saveInstance(tx, i, s.now().UnixMicro())
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
