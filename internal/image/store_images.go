package image

import (
	"database/sql"
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

func imageNotFound(id string) error { return errs.NotFoundf("No image found with ID %s", id) }

// loadImage reads an image with its properties and tags; missing is a 404.
func loadImage(tx *db.Tx, id string) (*image, error) {
	im, err := scanImage(tx.QueryRow("SELECT "+imageColumns+" FROM image_images WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, imageNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	return im, loadDetails(tx, []*image{im})
}

// loadDetails fills the properties and tags of images.
func loadDetails(tx *db.Tx, ims []*image) error {
	byID := make(map[string]*image, len(ims))
	for _, im := range ims {
		im.Props, im.Tags = map[string]string{}, []string{}
		byID[im.ID] = im
	}
	for _, im := range ims {
		rows, err := tx.Query("SELECT name, value FROM image_properties WHERE image_id = ?", im.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			im.Props[k] = v
		}
		rows.Close()
		tags, err := tx.Strings("SELECT value FROM image_tags WHERE image_id = ? ORDER BY value", im.ID)
		if err != nil {
			return err
		}
		im.Tags = tags
	}
	return nil
}

// insertImage writes a new image row with its properties and tags.
func insertImage(tx *db.Tx, im *image) error {
	_, err := tx.Exec("INSERT INTO image_images ("+imageColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		im.ID, nullable(im.Name), im.Status, im.Visibility, nullable(im.Owner), nullable(im.DiskFormat), nullable(im.ContainerFormat),
		nullable(im.Size), nullable(im.VirtualSize), nullable(im.Checksum), nullable(im.HashAlgo), nullable(im.HashValue),
		im.MinDisk, im.MinRAM, im.Protected, im.Hidden, nullIfEmpty(im.StoreKey), im.CreatedAt.UnixMicro(), im.UpdatedAt.UnixMicro())
	if err != nil {
		if errors.Is(err, db.ErrConflict) {
			return errs.Conflictf("Image ID %s already exists!", im.ID)
		}
		return err
	}
	return writeDetails(tx, im)
}

func writeDetails(tx *db.Tx, im *image) error {
	for _, k := range sortedKeys(im.Props) {
		if _, err := tx.Exec("INSERT INTO image_properties (image_id, name, value) VALUES (?, ?, ?)", im.ID, k, im.Props[k]); err != nil {
			return err
		}
	}
	for _, t := range im.Tags {
		if _, err := tx.Exec("INSERT INTO image_tags (image_id, value) VALUES (?, ?)", im.ID, t); err != nil {
			return err
		}
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
