package compute

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The images proxy (removed at 2.36; its metadata part at 2.39): images
// as the image service lists them, in Nova's older shape. Nova checks no
// policy here; the image service decides what the caller sees.

// imageStatus is Nova's view of the image status; unknown ones are
// UNKNOWN.
var imageStatus = map[string]string{"active": "ACTIVE", "queued": "SAVING", "saving": "SAVING",
	"deleted": "DELETED", "pending_delete": "DELETED", "killed": "ERROR"}

var imageProgress = map[string]int{"queued": 25, "saving": 50, "active": 100}

// imageFilterProps are the query filters that match image properties.
var imageFilterProps = map[string]string{"server": "instance_uuid", "type": "image_type"}

func imageNotFoundProxy() error { return errs.NotFoundf("Image not found.") }

// proxiedImage is an image the caller may see; anything else is Nova's
// 404.
func (s *Service) proxiedImage(r *http.Request, id string) (*ImageMeta, error) {
	if s.opts.Images == nil {
		return nil, imageNotFoundProxy()
	}
	img, err := s.opts.Images.Image(r.Context(), projectOf(r), s.isAdmin(r), id)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.BadRequest) {
		return nil, imageNotFoundProxy()
	}
	return img, err
}

// listImagesProxy is GET /images.
func (s *Service) listImagesProxy(w http.ResponseWriter, r *http.Request) error {
	return s.serveImageList(w, r, false)
}

// listImagesDetailProxy is GET /images/detail.
func (s *Service) listImagesDetailProxy(w http.ResponseWriter, r *http.Request) error {
	return s.serveImageList(w, r, true)
}

func (s *Service) serveImageList(w http.ResponseWriter, r *http.Request, detail bool) error {
	if err := proxyGone(r); err != nil {
		return err
	}
	q := r.URL.Query()
	match, err := imageMatcher(q)
	if err != nil {
		return err
	}
	limit, err := s.imageLimit(q)
	if err != nil {
		return err
	}
	var all []ImageMeta
	if s.opts.Images != nil {
		if all, err = s.opts.Images.List(r.Context(), projectOf(r), s.isAdmin(r)); err != nil {
			return err
		}
	}
	all = slices.DeleteFunc(all, func(m ImageMeta) bool { return !match(&m) })
	page, err := imagePage(all, q.Get("marker"), limit)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(page))
	for n := range page {
		if detail {
			items[n] = s.imageView(r, &page[n])
		} else {
			items[n] = map[string]any{"id": page[n].ID, "name": page[n].Name, "links": s.imageLinks(r, page[n].ID)}
		}
	}
	body := map[string]any{"images": items}
	path := "/v2.1/images"
	if detail {
		path += "/detail"
	}
	if len(page) > 0 {
		if links := collectionLinks(r, s.baseURL(r), path, len(page), limit, page[len(page)-1].ID); links != nil {
			body["images_links"] = links
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// imageLimit is the page size: the limit asked for, at most max_limit;
// without one, every image is listed (links once max_limit are shown).
func (s *Service) imageLimit(q url.Values) (int, error) {
	maxLimit := s.opts.ListLimit
	if maxLimit <= 0 {
		maxLimit = 1000
	}
	if !q.Has("limit") {
		return maxLimit, nil
	}
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil {
		return 0, errs.BadRequestf("limit param must be an integer")
	}
	if n < 0 {
		return 0, errs.BadRequestf("limit param must be positive")
	}
	return min(n, maxLimit), nil
}

// imagePage is the images after marker, at most limit of them (all when
// no limit was asked for and fewer exist).
func imagePage(all []ImageMeta, marker string, limit int) ([]ImageMeta, error) {
	if marker != "" {
		i := slices.IndexFunc(all, func(m ImageMeta) bool { return m.ID == marker })
		if i < 0 {
			return nil, errs.BadRequestf("marker not found")
		}
		all = all[i+1:]
	}
	return all[:min(len(all), limit)], nil
}

// imageMatcher turns the filters Nova passes to the image service (name,
// status, changes-since, server, type, minRam, minDisk, property-*) into
// a test; other query parameters are ignored as Nova does.
func imageMatcher(q url.Values) (func(*ImageMeta) bool, error) {
	var tests []func(*ImageMeta) bool
	if q.Has("name") {
		name := q.Get("name")
		tests = append(tests, func(m *ImageMeta) bool { return m.Name == name })
	}
	if q.Has("status") {
		st := strings.ToLower(q.Get("status"))
		tests = append(tests, func(m *ImageMeta) bool { return m.Status == st })
	}
	if q.Has("changes-since") {
		since, err := parseISOTime(q.Get("changes-since"))
		if err != nil {
			return nil, errs.BadRequestf("Invalid changes-since value: %s", q.Get("changes-since"))
		}
		tests = append(tests, func(m *ImageMeta) bool {
			t, err := time.Parse(time.RFC3339, m.UpdatedAt)
			return err == nil && !t.Before(since)
		})
	}
	for key, prop := range imageFilterProps {
		if q.Has(key) {
			tests = append(tests, propertyIs(prop, lastSegment(q.Get(key))))
		}
	}
	for key := range q {
		if p, ok := strings.CutPrefix(key, "property-"); ok {
			tests = append(tests, propertyIs(p, q.Get(key)))
		}
	}
	for key, field := range map[string]func(*ImageMeta) int{"minRam": func(m *ImageMeta) int { return m.MinRAMMB },
		"minDisk": func(m *ImageMeta) int { return m.MinDiskGB }} {
		if !q.Has(key) {
			continue
		}
		n, err := strconv.Atoi(q.Get(key))
		if err != nil {
			return nil, errs.BadRequestf("Invalid %s value: %s", key, q.Get(key))
		}
		tests = append(tests, func(m *ImageMeta) bool { return field(m) >= n })
	}
	return func(m *ImageMeta) bool {
		for _, t := range tests {
			if !t(m) {
				return false
			}
		}
		return true
	}, nil
}

func propertyIs(key, value string) func(*ImageMeta) bool {
	return func(m *ImageMeta) bool { v, ok := m.Properties[key]; return ok && v == value }
}

// lastSegment is what follows the last "/" (a server href's id).
func lastSegment(s string) string {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// showImageProxy is GET /images/{id}.
func (s *Service) showImageProxy(w http.ResponseWriter, r *http.Request) error {
	if err := proxyGone(r); err != nil {
		return err
	}
	img, err := s.proxiedImage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"image": s.imageView(r, img)})
}

// deleteImageProxy is DELETE /images/{id}; only the owner (or an admin)
// may, as the image service's delete_image rule.
func (s *Service) deleteImageProxy(w http.ResponseWriter, r *http.Request) error {
	if err := proxyGone(r); err != nil {
		return err
	}
	img, err := s.proxiedImage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !s.isAdmin(r) && img.Owner != projectOf(r) {
		return errs.Forbiddenf("You are not allowed to delete the image.")
	}
	if err := s.opts.Images.DeleteImage(r.Context(), img.ID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return imageNotFoundProxy()
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// imageView is Nova's detailed image.
func (s *Service) imageView(r *http.Request, m *ImageMeta) map[string]any {
	md := m.Properties
	if md == nil {
		md = map[string]string{}
	}
	status, ok := imageStatus[m.Status]
	if !ok {
		status = "UNKNOWN"
	}
	var size any = m.Size
	if m.Size == 0 && (m.Status == "queued" || m.Status == "saving") {
		size = nil
	}
	out := map[string]any{"id": m.ID, "name": m.Name, "minRam": m.MinRAMMB, "minDisk": m.MinDiskGB, "metadata": md,
		"created": nilIfEmpty(m.CreatedAt), "updated": nilIfEmpty(m.UpdatedAt), "status": status,
		"progress": imageProgress[m.Status], "OS-EXT-IMG-SIZE:size": size, "links": s.imageLinks(r, m.ID)}
	if uuid, ok := md["instance_uuid"]; ok {
		out["server"] = map[string]any{"id": uuid, "links": linksFor(s.baseURL(r), "servers", uuid)}
	}
	if v, ok := md["auto_disk_config"]; ok {
		out["OS-DCF:diskConfig"] = map[bool]string{true: "AUTO", false: "MANUAL"}[pyTrue(v)]
	}
	return out
}

// pyTrue is oslo's bool_from_string (unknown strings are false).
func pyTrue(v string) bool {
	return slices.Contains([]string{"1", "t", "true", "on", "y", "yes"}, strings.ToLower(strings.TrimSpace(v)))
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// imageLinks are self, bookmark and the image service's own URL.
func (s *Service) imageLinks(r *http.Request, id string) []map[string]string {
	links := linksFor(s.baseURL(r), "images", id)
	if s.opts.Images != nil {
		root := strings.TrimSuffix(s.opts.Images.DataURL(id), "/v2/images/"+id+"/file")
		links = append(links, map[string]string{"rel": "alternate", "type": "application/vnd.openstack.image",
			"href": root + "/images/" + id})
	}
	return links
}
