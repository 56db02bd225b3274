package image

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Interoperable image import, as Glance Zed's api_image_import task with
// one store (no enabled_backends): POST /v2/images/{id}/import takes the
// image's import lock (the os_glance_import_task property) and answers 202;
// the data then moves in the background: uploading (staged by
// glance-direct) or queued (web-download) → importing → active, through
// receive, so it is size-capped, quota-limited, hashed and inspected like an
// upload.

// Import methods this service implements.
const (
	methodGlanceDirect = "glance-direct"
	methodWebDownload  = "web-download"
)

// Properties Glance keeps on an image during and after an import. With one
// store the store lists are empty strings.
const (
	propImportTask      = "os_glance_import_task"
	propImportingStores = "os_glance_importing_to_stores"
	propFailedImport    = "os_glance_failed_import"
)

// errImportAborted ends an import whose lock another import took.
var errImportAborted = errors.New("image import lock lost")

// importMethods is the enabled methods: ImportMethods (glance-direct when
// nil), with web-download only when WebDownload enables it.
func importMethods(o Options) ([]string, error) {
	methods := o.ImportMethods
	if methods == nil {
		methods = []string{methodGlanceDirect}
	}
	out := []string{}
	for _, m := range methods {
		if m != methodGlanceDirect && m != methodWebDownload {
			return nil, fmt.Errorf("image: import method %q is not supported", m)
		}
		if (m == methodGlanceDirect || o.WebDownload) && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	if o.WebDownload && !slices.Contains(out, methodWebDownload) {
		out = append(out, methodWebDownload)
	}
	return out, nil
}

func (s *Service) importEnabled(method string) bool {
	return slices.Contains(s.opts.ImportMethods, method)
}

// importMethodsHeader announces the enabled methods on image create, as
// upstream (omitted when there are none).
func (s *Service) importMethodsHeader(w http.ResponseWriter) {
	if len(s.opts.ImportMethods) > 0 {
		w.Header().Set("OpenStack-image-import-methods", strings.Join(s.opts.ImportMethods, ","))
	}
}

func (s *Service) webFilter() webFilter { return newWebFilter(s.opts.WebDownloadAllow) }

// Wait blocks until the imports accepted so far have finished (tests;
// graceful shutdown).
func (s *Service) Wait() { s.imports.Wait() }

// importRequest is a decoded import body.
type importRequest struct {
	method         string
	uri            string // the web-download URI; "" when absent
	uriText        string // the URI as upstream prints it ("None" when absent)
	allMustSucceed bool
}

// parseImport is Glance's _validate_import_body.
func (s *Service) parseImport(r *http.Request) (*importRequest, error) {
	body, err := readImportBody(r)
	if err != nil {
		return nil, err
	}
	rawMethod, ok := body["method"]
	if !ok {
		return nil, errs.BadRequestf("Import request requires a 'method' field.")
	}
	var method map[string]json.RawMessage
	_ = json.Unmarshal(rawMethod, &method)
	rawName, ok := method["name"]
	if !ok {
		return nil, errs.BadRequestf("Import request requires a 'name' field.")
	}
	req := &importRequest{method: pyText(rawName), uriText: "None"}
	if !s.importEnabled(req.method) {
		return nil, errs.BadRequestf("Unknown import method name '%s'.", req.method)
	}
	if req.allMustSucceed, err = boolField(body, "all_stores_must_succeed", true); err != nil {
		return nil, err
	}
	if _, err = boolField(body, "all_stores", false); err != nil {
		return nil, err
	}
	if raw, ok := method["uri"]; ok {
		req.uriText = pyText(raw)
		_ = json.Unmarshal(raw, &req.uri)
	}
	return req, nil
}

// boolField is an optional boolean member of body.
func boolField(body map[string]json.RawMessage, key string, absent bool) (bool, error) {
	raw, ok := body[key]
	if !ok {
		return absent, nil
	}
	switch strings.TrimSpace(string(raw)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errs.BadRequestf("'%s' must be boolean value only", key)
}

// readImportBody reads the JSON object body; none at all is an empty one.
func readImportBody(r *http.Request) (map[string]json.RawMessage, error) {
	b, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	body := map[string]json.RawMessage{}
	if len(strings.TrimSpace(string(b))) > 0 && (json.Unmarshal(b, &body) != nil || body == nil) {
		return nil, errs.BadRequestf("Malformed JSON in request body.")
	}
	return body, nil
}

// importImage is POST /v2/images/{id}/import.
func (s *Service) importImage(w http.ResponseWriter, r *http.Request) error {
	req, err := s.parseImport(r)
	if err != nil {
		return err
	}
	job := &importJob{imageID: r.PathValue("image_id"), taskID: s.newID(), method: req.method, project: projectOf(r)}
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		_, err := s.importable(r, tx, job.imageID, req)
		return err
	})
	if err != nil {
		return err
	}
	if !req.allMustSucceed {
		return errs.BadRequestf("All_stores_must_succeed can only be set with enabled_backends %s", req.uriText)
	}
	if req.method == methodWebDownload {
		if job.url, err = s.webFilter().check(r.Context(), req.uri); err != nil {
			return errs.BadRequestf("URI for web-download does not pass filtering: %s", req.uriText)
		}
	}
	if err := s.db.Write(r.Context(), func(tx *db.Tx) error { return s.lockForImport(r, tx, job, req) }); err != nil {
		return err
	}
	s.imports.Add(1)
	go s.runImport(job)
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// importable loads the image and refuses, in upstream's order, an import
// of it by the caller.
func (s *Service) importable(r *http.Request, tx *db.Tx, id string, req *importRequest) (*image, error) {
	im, err := s.loadVisible(r, tx, id)
	if err != nil {
		return nil, err
	}
	if err := importStatusError(im, req.method); err != nil {
		return nil, err
	}
	if err := s.enforce(r, "modify_image", s.target(r, im)); err != nil {
		return nil, err
	}
	if err := s.mutable(r, im); err != nil {
		return nil, err
	}
	if _, held := im.Props[propImportTask]; held {
		return nil, errs.Conflictf("Image has active task")
	}
	return im, nil
}

// importStatusError is upstream's check of the image's state. A
// glance-direct import also waits for the stage to finish (size set).
func importStatusError(im *image, method string) error {
	switch {
	case im.Status == statusActive:
		return errs.Conflictf("Image with status active cannot be target for import")
	case method == methodWebDownload && im.Status != statusQueued:
		return errs.Conflictf("Image needs to be in 'queued' state to use '%s' method", method)
	case method == methodGlanceDirect && (im.Status != statusUploading || im.Size == nil):
		return errs.Conflictf("Image needs to be staged before '%s' method can be used", method)
	case im.ContainerFormat == nil || *im.ContainerFormat == "":
		return errs.Conflictf("'container_format' needs to be set before import")
	case im.DiskFormat == nil || *im.DiskFormat == "":
		return errs.Conflictf("'disk_format' needs to be set before import")
	}
	return nil
}

// lockForImport checks again and takes the image's import lock.
func (s *Service) lockForImport(r *http.Request, tx *db.Tx, job *importJob, req *importRequest) error {
	if _, err := s.importable(r, tx, job.imageID, req); err != nil {
		return err
	}
	_, err := tx.Exec("INSERT INTO image_properties (image_id, name, value) VALUES (?, ?, ?)", job.imageID, propImportTask, job.taskID)
	if errors.Is(err, db.ErrConflict) {
		return errs.Conflictf("New operation on image '%s' is not permitted as prior operation is still in progress", job.imageID)
	}
	if err != nil {
		return err
	}
	return s.recordTask(r, tx, job)
}

// importJob is one accepted import.
type importJob struct {
	imageID, taskID, method string
	project                 string   // the caller's, whose storage quota applies
	url                     *url.URL // web-download only
}

// runImport moves the data into place after the request has been
// answered; a failure leaves the image as failImport says.
func (s *Service) runImport(job *importJob) {
	defer s.imports.Done()
	ctx := context.Background()
	if err := s.importData(ctx, job); err != nil {
		s.log.Warn("image import failed", "image", job.imageID, "task", job.taskID, "method", job.method, "error", err)
		s.failImport(ctx, job)
		return
	}
	if job.method == methodGlanceDirect {
		s.dropStaged(ctx, job.imageID)
	}
}

// importData turns the image importing, receives the data from its source
// and activates the image, releasing the lock in the same transaction.
func (s *Service) importData(ctx context.Context, job *importJob) error {
	im, err := s.startImport(ctx, job)
	if err != nil {
		return err
	}
	src, size, err := s.importSource(ctx, job)
	if err != nil {
		return err
	}
	defer src.Close()
	up, err := s.receive(ctx, src, im, job.project, size)
	if err != nil {
		return err
	}
	return s.activate(ctx, im.ID, statusImporting, up, func(tx *db.Tx) error {
		if err := s.recheckQuota(tx, job.project, im.ID, up.size); err != nil {
			return err
		}
		if held, err := dropImportLock(tx, job); err != nil || !held {
			return errors.Join(err, errImportAborted)
		}
		return s.finishTask(tx, job, true, "")
	})
}

// startImport is what upstream's flow does before its tasks run: the image
// turns importing with empty store lists, if the lock is still ours.
func (s *Service) startImport(ctx context.Context, job *importJob) (*image, error) {
	from := map[string]string{methodGlanceDirect: statusUploading, methodWebDownload: statusQueued}[job.method]
	var im *image
	err := s.db.Write(ctx, func(tx *db.Tx) (err error) {
		if im, err = loadImage(tx, job.imageID); err != nil {
			return err
		}
		if im.Props[propImportTask] != job.taskID {
			return errImportAborted
		}
		if im.Status != from {
			return fmt.Errorf("image %s is %s, not %s", im.ID, im.Status, from)
		}
		im.Status, im.UpdatedAt = statusImporting, s.now()
		if _, err := tx.Exec("UPDATE image_images SET status = ?, updated_at = ? WHERE id = ?", im.Status, im.UpdatedAt.UnixMicro(), im.ID); err != nil {
			return err
		}
		return setProperties(tx, im.ID, map[string]string{propImportingStores: "", propFailedImport: ""})
	})
	return im, err
}

// importSource opens the data to import and its size (-1 when unknown).
func (s *Service) importSource(ctx context.Context, job *importJob) (io.ReadCloser, int64, error) {
	if job.method == methodWebDownload {
		return s.webFilter().fetch(ctx, job.url)
	}
	data, err := s.store.Open(ctx, stageKey(job.imageID))
	if err != nil {
		return nil, 0, err
	}
	return data, data.Size(), nil
}

// failImport leaves the image as upstream's reverts do with one store: a
// web-download image is queued again; a glance-direct one stays importing
// with its staged data (observed on Glance Zed: only deleting it helps);
// either way the lock is dropped and the store lists stay empty.
func (s *Service) failImport(ctx context.Context, job *importJob) {
	to := statusImporting
	if job.method == methodWebDownload {
		to = statusQueued
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := s.finishTask(tx, job, false, "Import failed"); err != nil {
			return err
		}
		held, err := dropImportLock(tx, job)
		if err != nil || !held {
			return err
		}
		_, err = tx.Exec("UPDATE image_images SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
			to, s.now().UnixMicro(), job.imageID, statusImporting)
		return err
	})
	if err != nil {
		s.log.Error("could not end a failed image import", "image", job.imageID, "task", job.taskID, "error", err)
	}
}

// dropImportLock removes the job's import lock, reporting whether it held it.
func dropImportLock(tx *db.Tx, job *importJob) (bool, error) {
	n, err := tx.ExecAffected("DELETE FROM image_properties WHERE image_id = ? AND name = ? AND value = ?",
		job.imageID, propImportTask, job.taskID)
	return n == 1, err
}

// setProperties sets free-form properties of an image.
func setProperties(tx *db.Tx, id string, props map[string]string) error {
	for _, k := range sortedKeys(props) {
		_, err := tx.Exec(`INSERT INTO image_properties (image_id, name, value) VALUES (?, ?, ?)
			ON CONFLICT (image_id, name) DO UPDATE SET value = excluded.value`, id, k, props[k])
		if err != nil {
			return err
		}
	}
	return nil
}
