package image

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Image members, as Glance v2: the owner of a shared image shares it with
// other projects; each member project accepts, rejects or leaves pending
// its own membership, and sees the image in its default list once accepted.

// defaultMemberQuota is Glance's image_member_quota default.
const defaultMemberQuota = 128

// memberView is a membership as the API shows it, in upstream's key order.
type memberView struct {
	MemberID  string `json:"member_id"`
	ImageID   string `json:"image_id"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Schema    string `json:"schema"`
}

func viewMember(m *member) memberView {
	return memberView{MemberID: m.MemberID, ImageID: m.ImageID, Status: m.Status,
		CreatedAt: isoTime(m.CreatedAt), UpdatedAt: isoTime(m.UpdatedAt), Schema: "/v2/schemas/member"}
}

// createMember is POST /v2/images/{image_id}/members: the owner shares a
// shared image with a project, whose membership starts pending.
func (s *Service) createMember(w http.ResponseWriter, r *http.Request) error {
	memberID, err := readNewMember(r)
	if err != nil {
		return err
	}
	var m *member
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		im, err := s.sharedImage(r, tx, createMembers)
		if err != nil {
			return err
		}
		if err := s.enforceMember(r, im, "add_member"); err != nil {
			return err
		}
		if err := s.checkMemberQuota(tx, im.ID); err != nil {
			return err
		}
		m, err = s.addMember(tx, im, memberID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, viewMember(m))
}

// addMember stores a new pending membership; an existing one is a 409.
func (s *Service) addMember(tx *db.Tx, im *image, memberID string) (*member, error) {
	now := s.now()
	m := &member{ImageID: im.ID, MemberID: memberID, Status: "pending", CreatedAt: now, UpdatedAt: now}
	return m, insertMember(tx, m)
}

// checkMemberQuota is Glance's image_member_quota, checked before
// duplicates as upstream; a negative quota is unlimited.
func (s *Service) checkMemberQuota(tx *db.Tx, imageID string) error {
	quota := s.opts.ImageMemberQuota
	if quota == 0 {
		quota = defaultMemberQuota
	}
	if quota < 0 {
		return nil
	}
	n, err := countMembers(tx, imageID)
	if err != nil || n < quota {
		return err
	}
	return errs.New(errs.OverLimit, "Image member limit exceeded for image %s: The limit has been exceeded on the number "+
		"of allowed image members for this image. Attempted: %d, Maximum: %d:", imageID, n+1, quota)
}

// listMembers is GET /v2/images/{image_id}/members: the owner sees every
// membership, a member only its own.
func (s *Service) listMembers(w http.ResponseWriter, r *http.Request) error {
	var list []*member
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		im, err := s.namedImage(r, tx)
		if err != nil {
			return err
		}
		if msg := s.sharingRefusal(r, im, readMembers); msg != "" {
			return errs.Forbiddenf("Not allowed to list members for image %s: %s", im.ID, msg)
		}
		if err := s.enforceMember(r, im, "get_members"); err != nil {
			return err
		}
		list, err = s.visibleMembers(r, tx, im)
		return err
	})
	if err != nil {
		return err
	}
	views := make([]memberView, len(list))
	for i, m := range list {
		views[i] = viewMember(m)
	}
	return httpx.WriteJSONList(w, "members", views, map[string]any{"schema": "/v2/schemas/members"})
}

// visibleMembers are the memberships of an image the caller may see; the
// get_member rule filters them as upstream's list does.
func (s *Service) visibleMembers(r *http.Request, tx *db.Tx, im *image) ([]*member, error) {
	if s.enforceMember(r, im, "get_member") != nil {
		return nil, nil
	}
	all, err := selectMembers(tx, im.ID)
	if err != nil || s.seesAllMembers(r, im) {
		return all, err
	}
	var own []*member
	for _, m := range all {
		if m.MemberID == projectOf(r) {
			own = append(own, m)
		}
	}
	return own, nil
}

// showMember is GET /v2/images/{image_id}/members/{member_id}; as upstream,
// every refusal is a 404 so that nothing leaks.
func (s *Service) showMember(w http.ResponseWriter, r *http.Request) error {
	var m *member
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		im, err := s.namedImage(r, tx)
		if err != nil {
			return err
		}
		if msg := s.sharingRefusal(r, im, readMembers); msg != "" {
			return errs.NotFoundf("%s", msg)
		}
		m, err = s.lookupMember(r, tx, im, r.PathValue("member_id"))
		return forbiddenAsNotFound(err)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, viewMember(m))
}

// updateMember is PUT /v2/images/{image_id}/members/{member_id}: a member
// project accepts, rejects or resets its own membership.
func (s *Service) updateMember(w http.ResponseWriter, r *http.Request) error {
	status, err := readMemberStatus(r)
	if err != nil {
		return err
	}
	var m *member
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		im, err := s.sharedImage(r, tx, updateMembers)
		if err != nil {
			return err
		}
		if m, err = s.lookupMember(r, tx, im, r.PathValue("member_id")); err != nil {
			return err
		}
		if err := s.enforceMember(r, im, "modify_member"); err != nil {
			return err
		}
		if m.Status, err = memberStatus(status); err != nil {
			return err
		}
		m.UpdatedAt = s.now()
		return saveMemberStatus(tx, m)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, viewMember(m))
}

// deleteMember is DELETE /v2/images/{image_id}/members/{member_id}: the
// owner stops sharing the image with a project.
func (s *Service) deleteMember(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		im, err := s.sharedImage(r, tx, deleteMembers)
		if err != nil {
			return err
		}
		m, err := s.lookupMember(r, tx, im, r.PathValue("member_id"))
		if err != nil {
			return err
		}
		if err := s.enforceMember(r, im, "delete_member"); err != nil {
			return err
		}
		return removeMember(tx, m)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sharedImage loads the request's image for a change to its members,
// refused as upstream when the ownership checks for op fail.
func (s *Service) sharedImage(r *http.Request, tx *db.Tx, op sharingOp) (*image, error) {
	im, err := s.namedImage(r, tx)
	if err != nil {
		return nil, err
	}
	if s.sharingRefusal(r, im, op) != "" {
		return nil, errs.Forbiddenf("Not allowed to %s members for image %s.", op, im.ID)
	}
	return im, nil
}

// sharingOp names a members operation for Glance's legacy ownership checks.
type sharingOp int

const (
	readMembers sharingOp = iota
	createMembers
	updateMembers
	deleteMembers
)

// String is the operation's verb in upstream's refusals.
func (op sharingOp) String() string {
	return [...]string{"read", "create", "update", "delete"}[op]
}

// sharingRefusal is Glance's _check_visibility_and_ownership, giving the
// reason it refuses or "": only shared images have members and, for all
// but admins, only the owner adds or removes them while only others may
// change a membership's status.
func (s *Service) sharingRefusal(r *http.Request, im *image, op sharingOp) string {
	if im.Visibility != "shared" {
		return "Only shared images have members."
	}
	if s.isAdmin(r) {
		return ""
	}
	owner, project := im.owner(), projectOf(r)
	switch {
	case op == createMembers && (im.Owner == nil || owner != project):
		return "You are not permitted to create image members for the image."
	case op == updateMembers && owner == project:
		return "You are not permitted to modify 'status' on this image member."
	case op == deleteMembers && owner != project:
		return "You cannot delete image member."
	}
	return ""
}

// enforceMember is Glance's MemberAPIPolicy: get_image, then rule, both on
// the image.
func (s *Service) enforceMember(r *http.Request, im *image, rule string) error {
	target := s.target(r, im)
	if err := s.enforce(r, "get_image", target); err != nil {
		return err
	}
	return s.enforce(r, rule, target)
}

// lookupMember is Glance's _lookup_member: get_member must allow, and a
// caller sees only the memberships upstream's database layer shows it.
func (s *Service) lookupMember(r *http.Request, tx *db.Tx, im *image, memberID string) (*member, error) {
	if err := s.enforceMember(r, im, "get_member"); err != nil {
		return nil, err
	}
	if !s.seesAllMembers(r, im) && memberID != projectOf(r) {
		return nil, memberNotFound(im.ID, memberID)
	}
	return selectMember(tx, im.ID, memberID)
}

// seesAllMembers: admins and the image's owner see every membership,
// other projects only their own.
func (s *Service) seesAllMembers(r *http.Request, im *image) bool {
	return s.isAdmin(r) || (im.Owner != nil && *im.Owner == projectOf(r))
}

// forbiddenAsNotFound turns a refusal into a 404 with the same message.
func forbiddenAsNotFound(err error) error {
	if err == nil || !errs.Is(err, errs.Forbidden) {
		return err
	}
	e := errs.As(err)
	if e.Rule != "" {
		return errs.NotFoundf("You are not authorized to complete %s action.", e.Rule)
	}
	return errs.NotFoundf("%s", e.Message)
}
