package image

import (
	"context"
	"io"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// Info is what in-process callers (the compute service) learn of an image.
type Info struct {
	ID              string
	Name            string
	Status          string
	Owner           string
	Visibility      string
	DiskFormat      string
	ContainerFormat string
	Size            int64
	MinDiskGB       int
	MinRAMMB        int
	Properties      map[string]string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func infoOf(im *image) *Info {
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	out := &Info{ID: im.ID, Name: deref(im.Name), Status: im.Status, Owner: im.owner(), Visibility: im.Visibility,
		DiskFormat: deref(im.DiskFormat), ContainerFormat: deref(im.ContainerFormat), MinDiskGB: int(im.MinDisk),
		MinRAMMB: int(im.MinRAM), Properties: im.Props, CreatedAt: im.CreatedAt, UpdatedAt: im.UpdatedAt}
	if im.Size != nil {
		out.Size = *im.Size
	}
	return out
}

// Lookup returns an image project may see, as GET /v2/images/{id} would
// (admin sees every image).
func (s *Service) Lookup(ctx context.Context, project string, admin bool, id string) (*Info, error) {
	var out *Info
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		im, err := loadImage(tx, id)
		if err != nil {
			return err
		}
		member, err := isMember(tx, id, project)
		if err != nil {
			return err
		}
		if !admin && !(im.owner() == project || im.Visibility == "public" || im.Visibility == "community" ||
			(im.Visibility == "shared" && member)) {
			return imageNotFound(id)
		}
		if err := loadDetails(tx, []*image{im}); err != nil {
			return err
		}
		out = infoOf(im)
		return nil
	})
	return out, err
}

// CreateQueued makes a queued image owned by info.Owner (a snapshot whose
// data an agent uploads next), within the owner's image quota.
func (s *Service) CreateQueued(ctx context.Context, info Info) (*Info, error) {
	now := s.now()
	im := &image{ID: s.newID(), Status: statusQueued, Visibility: "private", CreatedAt: now, UpdatedAt: now,
		MinDisk: int64(info.MinDiskGB), MinRAM: int64(info.MinRAMMB), Props: map[string]string{}, Tags: []string{}}
	if info.Visibility != "" {
		im.Visibility = info.Visibility
	}
	for k, v := range info.Properties {
		im.Props[k] = v
	}
	set := func(dst **string, v string) {
		if v != "" {
			*dst = &v
		}
	}
	set(&im.Name, info.Name)
	set(&im.Owner, info.Owner)
	set(&im.DiskFormat, info.DiskFormat)
	set(&im.ContainerFormat, info.ContainerFormat)
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := s.checkImageCount(tx, info.Owner); err != nil {
			return err
		}
		return insertImage(tx, im)
	})
	if err != nil {
		return nil, err
	}
	return infoOf(im), nil
}

// Remove deletes an image and its data (a failed snapshot, a shelved
// instance's image after unshelve).
func (s *Service) Remove(ctx context.Context, id string) error {
	var key string
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		im, err := loadImage(tx, id)
		if err != nil {
			return err
		}
		key = im.StoreKey
		_, err = tx.Exec("DELETE FROM image_images WHERE id = ?", id)
		return err
	})
	if err == nil && key != "" {
		if err := s.store.Delete(ctx, key); err != nil {
			s.log.Warn("image data left in the store", "key", key, "error", err)
		}
	}
	return err
}

// UploadData stores data for a queued image, as PUT …/file would, and
// activates it (the bootstrap's test image).
func (s *Service) UploadData(ctx context.Context, id, project string, data io.Reader) error {
	im, err := s.queuedToSaving(ctx, id)
	if err != nil {
		return err
	}
	up, err := s.receive(ctx, data, im, project, -1)
	if err == nil {
		err = s.activate(ctx, id, statusSaving, up, func(tx *db.Tx) error { return s.recheckQuota(tx, project, id, up.size) })
	}
	if err != nil {
		s.failUpload(id, err)
	}
	return err
}

func (s *Service) queuedToSaving(ctx context.Context, id string) (*image, error) {
	var im *image
	err := s.db.Write(ctx, func(tx *db.Tx) (err error) {
		if im, err = loadImage(tx, id); err != nil {
			return err
		}
		if im.Status != statusQueued {
			return errs.Conflictf("Image status transition from %s to saving is not allowed", im.Status)
		}
		_, err = tx.Exec("UPDATE image_images SET status = ?, updated_at = ? WHERE id = ?", statusSaving, s.now().UnixMicro(), id)
		return err
	})
	return im, err
}

// PublicNamed says whether a public image of that name exists.
func (s *Service) PublicNamed(ctx context.Context, name string) (bool, error) {
	var found bool
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		found, err = tx.Exists("SELECT 1 FROM image_images WHERE name = ? AND visibility = 'public'", name)
		return err
	})
	return found, err
}
