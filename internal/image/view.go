package image

import (
	"net/http"
	"time"
)

// isoTime is Glance's timeutils.isotime: seconds, UTC, "Z".
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// view is an image as the API shows it: free-form properties first, the
// base attributes over them (null when unset), then links.
func (s *Service) view(im *image) map[string]any {
	v := make(map[string]any, len(im.Props)+22)
	for k, p := range im.Props {
		v[k] = p
	}
	v["id"] = im.ID
	v["name"] = im.Name
	v["disk_format"] = im.DiskFormat
	v["container_format"] = im.ContainerFormat
	v["visibility"] = im.Visibility
	v["size"] = im.Size
	v["virtual_size"] = im.VirtualSize
	v["status"] = im.Status
	v["checksum"] = im.Checksum
	v["protected"] = im.Protected
	v["min_ram"] = im.MinRAM
	v["min_disk"] = im.MinDisk
	v["owner"] = im.Owner
	v["os_hidden"] = im.Hidden
	v["os_hash_algo"] = im.HashAlgo
	v["os_hash_value"] = im.HashValue
	v["created_at"] = isoTime(im.CreatedAt)
	v["updated_at"] = isoTime(im.UpdatedAt)
	v["tags"] = im.Tags
	v["self"] = "/v2/images/" + im.ID
	v["file"] = "/v2/images/" + im.ID + "/file"
	v["schema"] = "/v2/schemas/image"
	if im.StoreKey != "" && (im.Status == statusActive || im.Status == statusDeactivated) {
		v["stores"] = s.store.ID() // as multi-store Glance, once the image has data
	}
	return v
}

// canSee is Glance's visibility rule for reading an image: admins see
// everything; others ownerless images, their project's, public and
// community ones, and shared ones they are a member of.
func (s *Service) canSee(r *http.Request, im *image, member bool) bool {
	if s.isAdmin(r) {
		return true
	}
	switch {
	case im.Owner == nil:
		return true
	case im.owner() != "" && im.owner() == projectOf(r):
		return true
	case im.Visibility == "public" || im.Visibility == "community":
		return true
	case im.Visibility == "shared":
		return member
	}
	return false
}
