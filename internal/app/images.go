package app

import (
	"context"
	"time"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/image"
)

// computeImages is the image service as the compute service sees it.
type computeImages struct{ a *App }

func (c computeImages) Image(ctx context.Context, project string, admin bool, id string) (*compute.ImageMeta, error) {
	info, err := c.a.Image.Lookup(ctx, project, admin, id)
	if err != nil {
		return nil, err
	}
	return metaOf(info), nil
}

func (c computeImages) CreateImage(ctx context.Context, meta compute.ImageMeta) (*compute.ImageMeta, error) {
	info, err := c.a.Image.CreateQueued(ctx, image.Info{Name: meta.Name, Owner: meta.Owner, Visibility: meta.Visibility,
		DiskFormat: meta.DiskFormat, ContainerFormat: meta.ContainerFormat, MinDiskGB: meta.MinDiskGB,
		MinRAMMB: meta.MinRAMMB, Properties: meta.Properties})
	if err != nil {
		return nil, err
	}
	return metaOf(info), nil
}

func (c computeImages) DeleteImage(ctx context.Context, id string) error {
	return c.a.Image.Remove(ctx, id)
}

// DataURL is where an agent uploads an image's data: the image API this
// process serves, else the one in the catalog's configuration.
func (c computeImages) DataURL(id string) string {
	return c.a.URL("image") + "/v2/images/" + id + "/file"
}

func (c computeImages) List(ctx context.Context, project string, admin bool) ([]compute.ImageMeta, error) {
	infos, err := c.a.Image.List(ctx, project, admin)
	if err != nil {
		return nil, err
	}
	out := make([]compute.ImageMeta, len(infos))
	for i, info := range infos {
		out[i] = *metaOf(info)
	}
	return out, nil
}

func (c computeImages) UpdateProperties(ctx context.Context, id string, set map[string]string, remove []string) error {
	return c.a.Image.UpdateProperties(ctx, id, set, remove)
}

func metaOf(i *image.Info) *compute.ImageMeta {
	return &compute.ImageMeta{ID: i.ID, Name: i.Name, Status: i.Status, Owner: i.Owner, Visibility: i.Visibility,
		DiskFormat: i.DiskFormat, ContainerFormat: i.ContainerFormat, Size: i.Size, MinDiskGB: i.MinDiskGB,
		MinRAMMB: i.MinRAMMB, Properties: i.Properties, CreatedAt: i.CreatedAt.Format(time.RFC3339),
		UpdatedAt: i.UpdatedAt.Format(time.RFC3339)}
}
