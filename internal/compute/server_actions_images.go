package compute

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Actions that make or use images: createImage, shelve, unshelve, rescue.

var snapshotStates = []string{vmActive, vmStopped, vmPaused, vmSuspended}

// actionCreateImage is {"createImage": {"name": …, "metadata": {…}}}.
func (s *Service) actionCreateImage(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	obj, ok := arg.(jsonObject)
	if !ok {
		return invalidInput("createImage", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := onlyKeys("createImage", obj, []string{"name", "metadata"}); err != nil {
		return err
	}
	if err := requireKeys("createImage", obj, "name"); err != nil {
		return err
	}
	name, err := schemaName("name", obj["name"])
	if err != nil {
		return err
	}
	md := map[string]string{}
	if m, ok := obj["metadata"]; ok {
		if md, err = schemaMetadata("metadata", m); err != nil {
			return err
		}
	}
	spec := actionSpec{rule: "os_compute_api:servers:create_image", conflict: "createImage", record: "createImage",
		state: stateRule{vm: snapshotStates, launched: true}, newTask: taskImageSnapshot}
	imageID, err := s.snapshotAction(r, id, spec, name, md)
	if err != nil {
		return err
	}
	if version(r).AtLeast(45) {
		return httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"image_id": imageID})
	}
	w.Header().Set("Location", s.baseURL(r)+"/v2.1/"+projectOf(r)+"/images/"+imageID)
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// snapshotAction checks the instance, creates the queued image, then
// accepts the action; the image is removed if the instance moved on
// meanwhile.
func (s *Service) snapshotAction(r *http.Request, id string, spec actionSpec, name string, md map[string]string) (string, error) {
	var inst *instance
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if inst, err = s.lockedCheckedInstance(tx, r, id, spec); err != nil {
			return err
		}
		if inst.ImageRef == "" && spec.record == "createImage" {
			if err := s.enforce(r, "os_compute_api:servers:create_image:allow_volume_backed", map[string]any{"project_id": inst.ProjectID}); err != nil {
				return err
			}
		}
		return checkMetadataQuota(tx, inst.ProjectID, len(md))
	})
	if err != nil {
		return "", err
	}
	if s.opts.Images == nil {
		return "", errs.New(errs.Unavailable, "The image service is not available.")
	}
	img, err := s.opts.Images.CreateImage(r.Context(), snapshotMeta(inst, name, md))
	if err != nil {
		return "", err
	}
	err = s.acceptAction(r, id, spec, map[string]any{"image_id": img.ID, "name": name}, nil)
	if err != nil {
		if derr := s.opts.Images.DeleteImage(r.Context(), img.ID); derr != nil {
			s.log.Error("delete unused snapshot image", "image", img.ID, "err", derr)
		}
		return "", err
	}
	return img.ID, nil
}

// snapshotMeta is the queued image a snapshot of inst uploads into.
func snapshotMeta(inst *instance, name string, md map[string]string) ImageMeta {
	props := map[string]string{"instance_uuid": inst.UUID, "user_id": inst.UserID, "image_type": "snapshot",
		"base_image_ref": inst.ImageRef}
	for k, v := range md {
		props[k] = v
	}
	return ImageMeta{Name: name, Owner: inst.ProjectID, Visibility: "private",
		DiskFormat:      firstNonEmpty(inst.SystemMetadata["image_disk_format"], "qcow2"),
		ContainerFormat: firstNonEmpty(inst.SystemMetadata["image_container_format"], "bare"),
		MinDiskGB:       inst.Flavor.RootGB, MinRAMMB: atoiOr(inst.SystemMetadata["image_min_ram"], 0), Properties: props}
}

func atoiOr(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	if s == "" {
		return def
	}
	return n
}

// actionShelve is {"shelve": null}: an image-backed server is snapshot
// to "<name>-shelved" first.
func (s *Service) actionShelve(w http.ResponseWriter, r *http.Request, id string, _ any) error {
	spec := actionSpec{rule: "os_compute_api:os-shelve:shelve", conflict: "shelve", record: "shelve", lock: true,
		state: stateRule{vm: snapshotStates, launched: true}, newTask: taskShelving}
	var inst *instance
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		inst, err = s.lockedCheckedInstance(tx, r, id, spec)
		return err
	})
	if err != nil {
		return err
	}
	if inst.ImageRef == "" || s.opts.Images == nil {
		return accepted(w, s.acceptAction(r, id, spec, map[string]any{"image_id": ""}, nil))
	}
	_, err = s.snapshotAction(r, id, spec, inst.DisplayName+"-shelved", map[string]string{})
	return accepted(w, err)
}

// actionUnshelve is {"unshelve": null} or, at 2.77, {"unshelve":
// {"availability_zone": …}}.
func (s *Service) actionUnshelve(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	az := ""
	if version(r).AtLeast(77) && arg != nil {
		obj, ok := arg.(jsonObject)
		if !ok {
			return invalidInput("unshelve", arg, pyRepr(arg)+" is not of type 'object', 'null'")
		}
		if err := onlyKeys("unshelve", obj, []string{"availability_zone"}); err != nil {
			return err
		}
		if err := requireKeys("unshelve", obj, "availability_zone"); err != nil {
			return err
		}
		name, err := schemaName("availability_zone", obj["availability_zone"])
		if err != nil {
			return err
		}
		az = name
	}
	spec := actionSpec{rule: "os_compute_api:os-shelve:unshelve", conflict: "unshelve", record: "unshelve", lock: true,
		state: stateRule{vm: []string{vmShelved, vmShelvedOffloaded}}, newTask: taskUnshelving}
	err := s.acceptAction(r, id, spec, map[string]any{"availability_zone": az}, func(tx *db.Tx, i *instance) error {
		if az == "" {
			return nil
		}
		if i.VMState != vmShelvedOffloaded {
			return errs.Conflictf(`Specifying an availability zone or a host when unshelving server "%s" with status "%s" is not supported. The server status must be SHELVED_OFFLOADED.`, i.UUID, i.status())
		}
		ok, err := s.zoneAvailable(tx, az)
		if err != nil {
			return err
		}
		if !ok {
			return errs.BadRequestf("The requested availability zone is not available")
		}
		i.AvailabilityZone = &az
		return nil
	})
	return accepted(w, err)
}

// actionRescue is {"rescue": null | {"adminPass": …, "rescue_image_ref": …}}.
func (s *Service) actionRescue(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	password, imageRef := "", ""
	if arg != nil {
		obj, ok := arg.(jsonObject)
		if !ok {
			return invalidInput("rescue", arg, pyRepr(arg)+" is not of type 'object', 'null'")
		}
		if err := onlyKeys("rescue", obj, []string{"adminPass", "rescue_image_ref"}); err != nil {
			return err
		}
		if p, ok := obj["adminPass"]; ok {
			pw, err := schemaString("adminPass", p, 0, 0)
			if err != nil {
				return err
			}
			password = pw
		}
		if ref, ok := obj["rescue_image_ref"]; ok {
			img, err := schemaUUID("rescue_image_ref", ref)
			if err != nil {
				return err
			}
			imageRef = img
		}
	}
	if password == "" {
		password = generatePassword()
	}
	if imageRef != "" {
		if _, err := s.bootImage(r.Context(), projectOf(r), s.isAdmin(r), imageRef); err != nil {
			return err
		}
	}
	spec := actionSpec{rule: "os_compute_api:os-rescue", conflict: "rescue", record: "rescue", lock: true,
		state: stateRule{vm: []string{vmActive, vmStopped, vmError}, launched: true}, newTask: taskRescuing}
	params := map[string]any{"admin_password": password, "rescue_image_ref": imageRef}
	err := s.acceptAction(r, id, spec, params, func(_ *db.Tx, i *instance) error {
		if i.ImageRef == "" {
			return errs.BadRequestf("Instance %s cannot be rescued: Cannot rescue a volume-backed instance", i.UUID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"adminPass": password})
}
