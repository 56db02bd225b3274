package image

import (
	"database/sql"
	"errors"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// member is a project an image is shared with, and whether it took it.
type member struct {
	ImageID   string
	MemberID  string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

const memberColumns = "image_id, member, status, created_at, updated_at"

func scanMember(sc interface{ Scan(...any) error }) (*member, error) {
	var m member
	var created, updated int64
	if err := sc.Scan(&m.ImageID, &m.MemberID, &m.Status, &created, &updated); err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	return &m, nil
}

func memberNotFound(imageID, memberID string) error {
	return errs.NotFoundf("%s not found in the member list of the image %s.", memberID, imageID)
}

// selectMember reads one membership; missing is Glance's 404.
func selectMember(tx *db.Tx, imageID, memberID string) (*member, error) {
	m, err := scanMember(tx.QueryRow("SELECT "+memberColumns+" FROM image_members WHERE image_id = ? AND member = ?", imageID, memberID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, memberNotFound(imageID, memberID)
	}
	return m, err
}

// selectMembers reads an image's memberships in the order they were made.
func selectMembers(tx *db.Tx, imageID string) ([]*member, error) {
	rows, err := tx.Query("SELECT "+memberColumns+" FROM image_members WHERE image_id = ? ORDER BY created_at, member", imageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// countMembers is the number of memberships of an image.
func countMembers(tx *db.Tx, imageID string) (int, error) {
	var n int
	err := tx.QueryRow("SELECT COUNT(*) FROM image_members WHERE image_id = ?", imageID).Scan(&n)
	return n, err
}

// insertMember writes a new membership; an existing one is a 409.
func insertMember(tx *db.Tx, m *member) error {
	_, err := tx.Exec("INSERT INTO image_members ("+memberColumns+") VALUES (?, ?, ?, ?, ?)",
		m.ImageID, m.MemberID, m.Status, m.CreatedAt.UnixMicro(), m.UpdatedAt.UnixMicro())
	if errors.Is(err, db.ErrConflict) {
		return memberDuplicated(m.ImageID, m.MemberID)
	}
	return err
}

func memberDuplicated(imageID, memberID string) error {
	return errs.Conflictf("Member %s is duplicated for image %s", memberID, imageID)
}

// saveMemberStatus stores a membership's new status and update time.
func saveMemberStatus(tx *db.Tx, m *member) error {
	_, err := tx.Exec("UPDATE image_members SET status = ?, updated_at = ? WHERE image_id = ? AND member = ?",
		m.Status, m.UpdatedAt.UnixMicro(), m.ImageID, m.MemberID)
	return err
}

// removeMember deletes a membership.
func removeMember(tx *db.Tx, m *member) error {
	_, err := tx.Exec("DELETE FROM image_members WHERE image_id = ? AND member = ?", m.ImageID, m.MemberID)
	return err
}
