package image

import (
	"database/sql"
	"time"
)

// Image statuses, as upstream.
const (
	statusQueued      = "queued"
	statusSaving      = "saving"
	statusActive      = "active"
	statusKilled      = "killed"
	statusDeactivated = "deactivated"
	statusUploading   = "uploading"
	statusImporting   = "importing"
)

// image is a stored image with its properties and tags.
type image struct {
	ID              string
	Name            *string
	Status          string
	Visibility      string
	Owner           *string
	DiskFormat      *string
	ContainerFormat *string
	Size            *int64
	VirtualSize     *int64
	Checksum        *string
	HashAlgo        *string
	HashValue       *string
	MinDisk         int64
	MinRAM          int64
	Protected       bool
	Hidden          bool
	StoreKey        string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Props           map[string]string
	Tags            []string
}

func (im *image) owner() string {
	if im.Owner == nil {
		return ""
	}
	return *im.Owner
}

const imageColumns = "id, name, status, visibility, owner, disk_format, container_format, size, virtual_size, checksum, " +
	"os_hash_algo, os_hash_value, min_disk, min_ram, protected, os_hidden, store_key, created_at, updated_at"

func scanImage(sc interface{ Scan(...any) error }) (*image, error) {
	var im image
	var name, owner, disk, container, checksum, algo, hash, key sql.NullString
	var size, vsize sql.NullInt64
	var created, updated int64
	err := sc.Scan(&im.ID, &name, &im.Status, &im.Visibility, &owner, &disk, &container, &size, &vsize, &checksum,
		&algo, &hash, &im.MinDisk, &im.MinRAM, &im.Protected, &im.Hidden, &key, &created, &updated)
	if err != nil {
		return nil, err
	}
	im.Name, im.Owner, im.DiskFormat, im.ContainerFormat = strPtr(name), strPtr(owner), strPtr(disk), strPtr(container)
	im.Checksum, im.HashAlgo, im.HashValue = strPtr(checksum), strPtr(algo), strPtr(hash)
	im.Size, im.VirtualSize = intPtr(size), intPtr(vsize)
	im.StoreKey = key.String
	im.CreatedAt, im.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	return &im, nil
}

func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

func intPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// nullable turns a *string or *int64 into a query argument.
func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
