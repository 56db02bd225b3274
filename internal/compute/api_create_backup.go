package compute

import (
	"context"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The createBackup server action: a snapshot whose image is of type
// "backup" with a backup_type property. The conductor runs it as a
// createImage; the action is recorded as "createBackup". Rotation
// (deleting the oldest backups beyond it) is not done yet.

// taskImageBackup is Nova's task_states.IMAGE_BACKUP.
const taskImageBackup = "image_backup"

// createBackupRequest is a checked {"createBackup": {…}}.
type createBackupRequest struct {
	name, backupType string
	rotation         int
	metadata         map[string]string
}

// parseCreateBackup checks the action body as Nova's schema does.
func parseCreateBackup(arg any) (*createBackupRequest, error) {
	obj, ok := arg.(jsonObject)
	if !ok {
		return nil, invalidInput("createBackup", arg, pyRepr(arg)+" is not of type 'object'")
	}
	req := &createBackupRequest{metadata: map[string]string{}}
	var err error
	if v, ok := obj["name"]; ok {
		if req.name, err = schemaName("name", v); err != nil {
			return nil, err
		}
	}
	if v, ok := obj["backup_type"]; ok {
		if req.backupType, err = schemaString("backup_type", v, 0, 0); err != nil {
			return nil, err
		}
	}
	if v, ok := obj["rotation"]; ok {
		if req.rotation, err = schemaInt("rotation", v, 0); err != nil {
			return nil, err
		}
	}
	if v, ok := obj["metadata"]; ok {
		if req.metadata, err = schemaMetadata("metadata", v); err != nil {
			return nil, err
		}
	}
	if err := requireKeys("createBackup", obj, "name", "backup_type", "rotation"); err != nil {
		return nil, err
	}
	return req, onlyKeys("createBackup", obj, []string{"name", "backup_type", "rotation", "metadata"})
}

// actionCreateBackup is {"createBackup": {"name", "backup_type",
// "rotation", "metadata"}}.
func (s *Service) actionCreateBackup(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	req, err := parseCreateBackup(arg)
	if err != nil {
		return err
	}
	spec := actionSpec{rule: "os_compute_api:os-create-backup", conflict: "createBackup", record: "createBackup",
		cast: "createImage", state: stateRule{vm: snapshotStates, launched: true}, newTask: taskImageBackup}
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		i, err := s.lockedCheckedInstance(tx, r, id, spec)
		if err != nil {
			return err
		}
		if i.ImageRef == "" {
			return errs.BadRequestf("Backup is not supported for volume-backed instances.")
		}
		return nil
	})
	if err != nil {
		return err
	}
	props := map[string]string{"image_type": "backup"} // the caller's metadata may override it, as in Nova
	for k, v := range req.metadata {
		props[k] = v
	}
	props["backup_type"] = req.backupType
	imageID, err := s.snapshotAction(r, id, spec, req.name, props)
	if err != nil {
		return err
	}
	if err := s.rotateBackups(r.Context(), id, req.backupType, req.rotation); err != nil {
		s.log.Warn("backup rotation failed", "instance", id, "error", err)
	}
	if version(r).AtLeast(45) {
		return httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"image_id": imageID})
	}
	if req.rotation > 0 {
		w.Header().Set("Location", s.baseURL(r)+"/v2.1/images/"+imageID)
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// rotateBackups keeps the newest rotation backups of an instance of one
// backup type (the new one included) and deletes the older ones, as Nova's
// backup rotation. It runs when the backup is accepted rather than after
// its upload, so the new backup is always kept (with rotation 0 Nova ends
// with none). Images come newest first.
func (s *Service) rotateBackups(ctx context.Context, instanceUUID, backupType string, rotation int) error {
	if s.opts.Images == nil {
		return nil
	}
	list, err := s.opts.Images.List(ctx, "", true)
	if err != nil {
		return err
	}
	kept := 0
	for _, im := range list {
		p := im.Properties
		if p["instance_uuid"] != instanceUUID || p["image_type"] != "backup" || p["backup_type"] != backupType {
			continue
		}
		if kept++; kept > max(rotation, 1) {
			if err := s.opts.Images.DeleteImage(ctx, im.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
