package compute

import (
	"database/sql"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// rebuildRequest is a checked rebuild body.
type rebuildRequest struct {
	body              jsonObject
	imageID           string
	password          string
	preserveEphemeral bool
}

// rebuildKeys are the keys each microversion accepts.
func rebuildKeys(v httpx.Microversion) []string {
	keys := []string{"name", "imageRef", "adminPass", "metadata", "preserve_ephemeral", "OS-DCF:diskConfig",
		"accessIPv4", "accessIPv6"}
	if !v.AtLeast(57) {
		keys = append(keys, "personality")
	}
	if v.AtLeast(19) {
		keys = append(keys, "description")
	}
	if v.AtLeast(54) {
		keys = append(keys, "key_name")
	}
	if v.AtLeast(57) {
		keys = append(keys, "user_data")
	}
	if v.AtLeast(63) {
		keys = append(keys, "trusted_image_certificates")
	}
	return keys
}

func parseRebuild(arg any, v httpx.Microversion) (*rebuildRequest, error) {
	obj, ok := arg.(jsonObject)
	if !ok {
		return nil, invalidInput("rebuild", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := onlyKeys("rebuild", obj, rebuildKeys(v)); err != nil {
		return nil, err
	}
	if err := requireKeys("rebuild", obj, "imageRef"); err != nil {
		return nil, err
	}
	img, err := schemaUUID("imageRef", obj["imageRef"])
	if err != nil {
		return nil, err
	}
	req := &rebuildRequest{body: obj, imageID: img}
	if p, ok := obj["adminPass"]; ok {
		if req.password, err = schemaString("adminPass", p, 0, 0); err != nil {
			return nil, err
		}
	} else {
		req.password = generatePassword()
	}
	if p, ok := obj["preserve_ephemeral"]; ok {
		if req.preserveEphemeral, err = schemaBool("preserve_ephemeral", p); err != nil {
			return nil, err
		}
	}
	probe := &instance{SystemMetadata: map[string]string{}}
	return req, applyRebuildFields(probe, obj)
}

// applyRebuildFields applies name, description, metadata, access IPs,
// disk config, key (2.54: null clears), user data (2.57) and trusted
// certificates (2.63) to i.
func applyRebuildFields(i *instance, obj jsonObject) error {
	upd := jsonObject{}
	for _, k := range []string{"name", "description", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig"} {
		if v, ok := obj[k]; ok {
			upd[k] = v
		}
	}
	if err := applyServerUpdate(i, upd); err != nil {
		return err
	}
	if m, ok := obj["metadata"]; ok {
		md, err := schemaMetadata("metadata", m)
		if err != nil {
			return err
		}
		i.Metadata = md
	}
	if u, ok := obj["user_data"]; ok {
		if u == nil {
			i.UserData = nil
		} else {
			s, err := schemaString("user_data", u, 0, 65535)
			if err != nil {
				return err
			}
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				return invalidInput("user_data", u, pyRepr(u)+" is not a 'base64'")
			}
			i.UserData = &s
		}
	}
	if tc, ok := obj["trusted_image_certificates"]; ok {
		delete(i.SystemMetadata, trustedCertsKey)
		if tc != nil {
			certs, err := parseTrustedCerts(tc)
			if err != nil {
				return err
			}
			i.SystemMetadata[trustedCertsKey] = joinLines(certs)
		}
	}
	return nil
}

func joinLines(ss []string) string {
	out := ""
	for n, s := range ss {
		if n > 0 {
			out += "\n"
		}
		out += s
	}
	return out
}

// actionRebuild is {"rebuild": {...}}: 202 with the server (and adminPass).
func (s *Service) actionRebuild(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	v := version(r)
	req, err := parseRebuild(arg, v)
	if err != nil {
		return err
	}
	img, err := s.bootImage(r.Context(), projectOf(r), s.isAdmin(r), req.imageID)
	if err != nil {
		if errs.Is(err, errs.BadRequest) && err.Error() == "Can not find requested image" {
			return errs.BadRequestf("Cannot find image for rebuild")
		}
		return err
	}
	spec := actionSpec{rule: "os_compute_api:servers:rebuild", conflict: "rebuild", record: "rebuild", lock: true,
		state: stateRule{vm: []string{vmActive, vmStopped, vmError}, launched: true}, newTask: taskRebuilding}
	params := map[string]any{"image_id": req.imageID, "admin_password": req.password,
		"preserve_ephemeral": req.preserveEphemeral}
	err = s.acceptAction(r, id, spec, params, func(tx *db.Tx, i *instance) error {
		return s.prepareRebuild(tx, r, i, req, img, params)
	})
	if err != nil {
		return err
	}
	srv, err := s.serverBody(r, id, "os_compute_api:servers:show", v.AtLeast(71))
	if err != nil {
		return err
	}
	trimBeforeFull(srv, v, v.AtLeast(54))
	srv["adminPass"] = req.password
	if v.AtLeast(57) {
		var ud any
		err := s.db.Read(r.Context(), func(tx *db.Tx) error {
			i, err := loadInstance(tx, id)
			if err == nil && i.UserData != nil {
				ud = *i.UserData
			}
			return err
		})
		if err != nil {
			return err
		}
		srv["user_data"] = ud
	}
	return httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"server": srv})
}

// prepareRebuild applies a rebuild's changes to the instance row.
func (s *Service) prepareRebuild(tx *db.Tx, r *http.Request, i *instance, req *rebuildRequest, img *ImageMeta, params map[string]any) error {
	if _, ok := req.body["trusted_image_certificates"]; ok {
		if err := s.enforce(r, "os_compute_api:servers:rebuild:trusted_certs", instanceTarget(i)); err != nil {
			return err
		}
	}
	if err := s.checkFlavorFitsImage(r, &i.Flavor, img, i.ImageRef == ""); err != nil {
		return err
	}
	md, err := loadInstanceMetadata(tx, i.UUID)
	if err != nil {
		return err
	}
	i.Metadata = md
	_, newMeta := req.body["metadata"]
	if err := applyRebuildFields(i, req.body); err != nil {
		return err
	}
	if err := checkMetadataQuota(tx, i.ProjectID, len(i.Metadata)); err != nil {
		return err
	}
	if k, ok := req.body["key_name"]; ok {
		if err := s.rebuildKey(tx, i, k); err != nil {
			return err
		}
	}
	params["orig_image_ref"] = i.ImageRef
	i.ImageRef = img.ID
	if newMeta {
		return replaceMetadata(tx, i.UUID, i.Metadata)
	}
	return nil
}

func (s *Service) rebuildKey(tx *db.Tx, i *instance, k any) error {
	if k == nil {
		i.KeyName, i.KeyData = nil, nil
		return nil
	}
	name, err := schemaName("key_name", k)
	if err != nil {
		return err
	}
	key, err := s.bootKey(tx, i.UserID, &name)
	if err != nil {
		return err
	}
	i.KeyName, i.KeyData = &name, key
	return nil
}

// replaceMetadata sets an instance's metadata to md.
func replaceMetadata(tx *db.Tx, uuid string, md map[string]string) error {
	if _, err := tx.Exec(`DELETE FROM compute_instance_metadata WHERE instance_uuid = ?`, uuid); err != nil {
		return err
	}
	for k, v := range md {
		if _, err := tx.Exec(`INSERT INTO compute_instance_metadata (instance_uuid, key, value) VALUES (?, ?, ?)`,
			uuid, k, v); err != nil {
			return err
		}
	}
	return nil
}

// actionResize is {"resize": {"flavorRef": …}}.
func (s *Service) actionResize(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	obj, ok := arg.(jsonObject)
	if !ok {
		return invalidInput("resize", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := onlyKeys("resize", obj, []string{"flavorRef", "OS-DCF:diskConfig"}); err != nil {
		return err
	}
	if err := requireKeys("resize", obj, "flavorRef"); err != nil {
		return err
	}
	ref := obj["flavorRef"]
	flavorID := pyStr(ref)
	if s, isStr := ref.(string); (isStr && s == "") || isBoolOrNil(ref) {
		return invalidInput("flavorRef", ref, pyRepr(ref)+" is not of type 'string', 'integer'")
	}
	diskConfig, hasDiskConfig := obj["OS-DCF:diskConfig"]
	if hasDiskConfig && diskConfig != "AUTO" && diskConfig != "MANUAL" {
		return invalidInput("OS-DCF:diskConfig", diskConfig, pyRepr(diskConfig)+" is not one of ['AUTO', 'MANUAL']")
	}
	spec := actionSpec{rule: "os_compute_api:servers:resize", conflict: "resize", record: "resize", lock: true,
		state: stateRule{vm: []string{vmActive, vmStopped}, launched: true}, newTask: taskResizePrep}
	params := map[string]any{}
	err := s.acceptAction(r, id, spec, params, func(tx *db.Tx, i *instance) error {
		f, err := s.resizeFlavor(tx, r, i, idFromHref(flavorID))
		if err != nil {
			return err
		}
		params["flavor"] = f
		if hasDiskConfig { // the resized server's disk config, as Nova's auto_disk_config
			i.SystemMetadata = nonNilMap(i.SystemMetadata)
			i.SystemMetadata["auto_disk_config"] = strconv.FormatBool(diskConfig == "AUTO")
		}
		return nil
	})
	return accepted(w, err)
}

// resizeFlavor finds and checks the target flavor of a resize.
func (s *Service) resizeFlavor(tx *db.Tx, r *http.Request, i *instance, flavorID string) (*computerpc.Flavor, error) {
	f, err := flavorForBoot(tx, flavorID, i.ProjectID, s.isAdmin(r))
	if errs.Is(err, errs.BadRequest) || errs.Is(err, errs.NotFound) {
		return nil, errs.BadRequestf("Unable to locate requested flavor.")
	}
	if err != nil {
		return nil, err
	}
	if f.ID == i.Flavor.ID {
		return nil, errs.BadRequestf("When resizing, instances must change flavor!")
	}
	if i.ImageRef != "" && f.RootGB == 0 && i.Flavor.RootGB != 0 {
		return nil, errs.BadRequestf("Server disk was unable to be resized because: Resize to zero disk flavor is not allowed.")
	}
	if i.ImageRef != "" && f.RootGB < i.Flavor.RootGB {
		return nil, errs.BadRequestf("Server disk was unable to be resized because: Resizing to a smaller disk is not supported.")
	}
	dCores, dRAM := max(0, f.VCPUs-i.Flavor.VCPUs), max(0, f.MemoryMB-i.Flavor.MemoryMB)
	if dCores > 0 || dRAM > 0 {
		if err := checkInstanceQuota(tx, i.ProjectID, i.UserID, 0, dCores, dRAM); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// actionConfirmResize is {"confirmResize": null}.
func (s *Service) actionConfirmResize(w http.ResponseWriter, r *http.Request, id string, _ any) error {
	spec := actionSpec{rule: "os_compute_api:servers:confirm_resize", conflict: "confirmResize",
		record: "confirmResize", lock: true, state: stateRule{vm: []string{vmResized}, launched: true}}
	params := map[string]any{}
	err := s.acceptAction(r, id, spec, params, func(tx *db.Tx, i *instance) error {
		return resizeMigration(tx, i.UUID, "confirming", params)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// actionRevertResize is {"revertResize": null}.
func (s *Service) actionRevertResize(w http.ResponseWriter, r *http.Request, id string, _ any) error {
	spec := actionSpec{rule: "os_compute_api:servers:revert_resize", conflict: "revertResize",
		record: "revertResize", lock: true, state: stateRule{vm: []string{vmResized}, launched: true},
		newTask: taskResizeReverting}
	params := map[string]any{}
	err := s.acceptAction(r, id, spec, params, func(tx *db.Tx, i *instance) error {
		return resizeMigration(tx, i.UUID, "reverting", params)
	})
	return accepted(w, err)
}

// resizeMigration finds the instance's finished resize and marks it
// confirming or reverting; none is Nova's MigrationNotFound 400.
func resizeMigration(tx *db.Tx, uuid, status string, params map[string]any) error {
	var migID string
	err := tx.QueryRow(`SELECT uuid FROM compute_migrations WHERE instance_uuid = ? AND status = 'finished'
		AND migration_type IN ('resize', 'migration') ORDER BY created_at DESC, id DESC LIMIT 1`, uuid).Scan(&migID)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.BadRequestf("Instance has not been resized.")
	}
	if err != nil {
		return err
	}
	params["migration_id"] = migID
	_, err = tx.Exec(`UPDATE compute_migrations SET status = ? WHERE uuid = ?`, status, migID)
	return err
}
