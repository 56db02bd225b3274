package image

import (
	"context"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// List returns the images project may see, as GET /v2/images lists them
// by default (its own, public ones and shared ones it accepted; an admin
// also sees other projects' non-community images), newest first.
func (s *Service) List(ctx context.Context, project string, admin bool) ([]*Info, error) {
	query := db.NewQuery("SELECT " + imageColumns + " FROM image_images")
	switch {
	case admin && project == "":
		query.Where("visibility <> 'community'")
	case admin:
		query.Where("(owner = ? OR visibility <> 'community')", project)
	default:
		query.Where(`(owner = ? OR visibility = 'public' OR (visibility = 'shared' AND EXISTS (SELECT 1
			FROM image_members m WHERE m.image_id = image_images.id AND m.member = ? AND m.status = 'accepted')))`,
			project, project)
	}
	query.OrderBy(defaultOrder...)
	var out []*Info
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		stmt, args := query.SQL()
		rows, err := tx.Query(stmt, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var list []*image
		for rows.Next() {
			im, err := scanImage(rows)
			if err != nil {
				return err
			}
			list = append(list, im)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if err := loadDetails(tx, list); err != nil {
			return err
		}
		for _, im := range list {
			out = append(out, infoOf(im))
		}
		return nil
	})
	return out, err
}

// UpdateProperties sets and removes an image's extra properties, as a
// PATCH of them would: Glance's own os_glance* ones are refused and the
// image property quota applies when one is added.
func (s *Service) UpdateProperties(ctx context.Context, id string, set map[string]string, remove []string) error {
	for k := range set {
		if strings.HasPrefix(k, reservedNamespace) {
			return errs.Forbiddenf("Attribute '%s' is reserved.", k)
		}
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		im, err := loadImage(tx, id)
		if err != nil {
			return err
		}
		after := make(map[string]string, len(im.Props)+len(set))
		for k, v := range im.Props {
			after[k] = v
		}
		for _, k := range remove {
			delete(after, k)
		}
		for k, v := range set {
			after[k] = v
		}
		if err := s.checkPropertyQuota(im.Props, after); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM image_properties WHERE image_id = ?", id); err != nil {
			return err
		}
		for _, k := range sortedKeys(after) {
			if _, err := tx.Exec("INSERT INTO image_properties (image_id, name, value) VALUES (?, ?, ?)", id, k, after[k]); err != nil {
				return err
			}
		}
		_, err = tx.Exec("UPDATE image_images SET updated_at = ? WHERE id = ?", s.now().UnixMicro(), id)
		return err
	})
}
