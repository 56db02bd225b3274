package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The server metadata API: /servers/{id}/metadata[/{key}].

// metadataStates are where Nova lets metadata change (task_state none).
var metadataStates = stateRule{vm: []string{vmActive, vmPaused, vmSuspended, vmStopped}}

// readMetadata loads a visible instance's metadata after checking rule.
func (s *Service) readMetadata(r *http.Request, rule string) (map[string]string, error) {
	var md map[string]string
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, rule, map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		md, err = loadInstanceMetadata(tx, i.UUID)
		return err
	})
	return md, err
}

// listServerMetadata is GET /servers/{id}/metadata.
func (s *Service) listServerMetadata(w http.ResponseWriter, r *http.Request) error {
	md, err := s.readMetadata(r, "os_compute_api:server-metadata:index")
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"metadata": md})
}

// showServerMetadata is GET /servers/{id}/metadata/{key}.
func (s *Service) showServerMetadata(w http.ResponseWriter, r *http.Request) error {
	md, err := s.readMetadata(r, "os_compute_api:server-metadata:show")
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	v, ok := md[key]
	if !ok {
		return errs.NotFoundf("Metadata item was not found")
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"meta": map[string]string{key: v}})
}

// changeMetadata applies change to a visible, unlocked instance in a
// state that allows it, then checks the metadata_items quota.
func (s *Service) changeMetadata(r *http.Request, rule, conflict string, change func(md map[string]string) error) (map[string]string, error) {
	var md map[string]string
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		i, err := s.visibleInstance(tx, r, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := s.enforce(r, rule, map[string]any{"project_id": i.ProjectID}); err != nil {
			return err
		}
		if i.Locked && !s.isAdmin(r) {
			return instanceLocked(i.UUID)
		}
		if err := checkState(i, conflict, metadataStates); err != nil {
			return err
		}
		if md, err = loadInstanceMetadata(tx, i.UUID); err != nil {
			return err
		}
		if err := change(md); err != nil {
			return err
		}
		if err := checkMetadataQuota(tx, i.ProjectID, len(md)); err != nil {
			return err
		}
		if err := replaceMetadata(tx, i.UUID, md); err != nil {
			return err
		}
		return saveInstance(tx, i, s.now().UnixMicro())
	})
	return md, err
}

// metadataBody reads {"<key>": {…metadata…}}.
func metadataBody(r *http.Request, key string) (map[string]string, error) {
	body, err := decodeObject(r)
	if err != nil {
		return nil, err
	}
	if _, err := requireBody(body, key); err != nil {
		return nil, err
	}
	return schemaMetadata(key, body[key])
}

// createServerMetadata is POST /servers/{id}/metadata (merge).
func (s *Service) createServerMetadata(w http.ResponseWriter, r *http.Request) error {
	return s.writeMetadata(w, r, "os_compute_api:server-metadata:create", false)
}

// replaceServerMetadata is PUT /servers/{id}/metadata (replace all).
func (s *Service) replaceServerMetadata(w http.ResponseWriter, r *http.Request) error {
	return s.writeMetadata(w, r, "os_compute_api:server-metadata:update_all", true)
}

func (s *Service) writeMetadata(w http.ResponseWriter, r *http.Request, rule string, replace bool) error {
	in, err := metadataBody(r, "metadata")
	if err != nil {
		return err
	}
	md, err := s.changeMetadata(r, rule, "update metadata", func(md map[string]string) error {
		if replace {
			clear(md)
		}
		for k, v := range in {
			md[k] = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"metadata": md})
}

// updateServerMetadataItem is PUT /servers/{id}/metadata/{key}.
func (s *Service) updateServerMetadataItem(w http.ResponseWriter, r *http.Request) error {
	in, err := metadataBody(r, "meta")
	if err != nil {
		return err
	}
	if len(in) != 1 {
		why := "{} does not have enough properties"
		if len(in) > 1 {
			why = "has too many properties"
		}
		return invalidInput("meta", in, why)
	}
	key := r.PathValue("key")
	if _, ok := in[key]; !ok {
		return errs.BadRequestf("Request body and URI mismatch")
	}
	_, err = s.changeMetadata(r, "os_compute_api:server-metadata:update", "update metadata", func(md map[string]string) error {
		md[key] = in[key]
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"meta": in})
}

// deleteServerMetadataItem is DELETE /servers/{id}/metadata/{key}.
func (s *Service) deleteServerMetadataItem(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	_, err := s.changeMetadata(r, "os_compute_api:server-metadata:delete", "delete metadata", func(md map[string]string) error {
		if _, ok := md[key]; !ok {
			return errs.NotFoundf("Metadata item was not found")
		}
		delete(md, key)
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
