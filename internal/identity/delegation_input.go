package identity

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// roleRef is one entry of a delegation's roles list: an id or a name.
type roleRef struct {
	ID   string
	Name string
}

var idStringPattern = regexp.MustCompile(`^[a-zA-Z0-9-]+$`)

// checkIDString validates upstream's id_string: 1-64 of [a-zA-Z0-9-].
func checkIDString(field, v string) error {
	if err := checkString(field, v, 1, 64); err != nil {
		return err
	}
	if !idStringPattern.MatchString(v) {
		return errs.BadRequestf("Invalid input for field '%s': '%s' does not match '^[a-zA-Z0-9-]+$'.", field, v)
	}
	return nil
}

// checkEntityName validates upstream's name type: 1-255 characters, not
// only whitespace.
func checkEntityName(field string, v *string) error {
	if err := checkName(field, v, 255); err != nil {
		return err
	}
	if strings.TrimSpace(*v) == "" {
		return errs.BadRequestf("Invalid input for field '%s': '%s' does not match '[\\S]+'.", field, *v)
	}
	return nil
}

// parseRoleRefs validates a roles list: each item is exactly {"id": ...}
// or {"name": ...}.
func parseRoleRefs(items []map[string]any) ([]roleRef, error) {
	out := make([]roleRef, 0, len(items))
	for _, item := range items {
		if len(item) != 1 {
			return nil, errs.BadRequestf("Invalid input for field 'roles': each role must have exactly one of 'id' or 'name'.")
		}
		for k, v := range item {
			s, ok := v.(string)
			if !ok || (k != "id" && k != "name") {
				return nil, errs.BadRequestf("Invalid input for field 'roles': each role must have exactly one of 'id' or 'name', a string.")
			}
			if k == "id" {
				if err := checkIDString("roles/id", s); err != nil {
					return nil, err
				}
				out = append(out, roleRef{ID: s})
				continue
			}
			if err := checkEntityName("roles/name", &s); err != nil {
				return nil, err
			}
			out = append(out, roleRef{Name: s})
		}
	}
	return out, nil
}

// resolveRoleRef turns a role reference into a role id; a name must name
// exactly one global role (404 otherwise), an id is taken as given.
func resolveRoleRef(tx *db.Tx, ref roleRef) (string, error) {
	if ref.ID != "" {
		return ref.ID, nil
	}
	ro, err := scanRole(tx.QueryRow("SELECT "+roleColumns+" FROM identity_roles WHERE name = ? AND domain_id = ?", ref.Name, nullDomainID))
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.NotFoundf("Could not find role: %s.", ref.Name)
	}
	if err != nil {
		return "", err
	}
	return ro.ID, nil
}

// resolveRoleRefs resolves every reference, dropping duplicates.
func resolveRoleRefs(tx *db.Tx, refs []roleRef) ([]string, error) {
	ids := make([]string, 0, len(refs))
	for _, ref := range refs {
		id, err := resolveRoleRef(tx, ref)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// parseExpiresAt reads an expires_at attribute as upstream: ISO 8601, UTC
// when no zone is given, not in the past. Null or absent means never.
func parseExpiresAt(v *string, now time.Time) (*time.Time, error) {
	if v == nil {
		return nil, nil
	}
	t, err := parseKeystoneTime(*v)
	if err != nil {
		return nil, errs.BadRequestf("Timestamp not in expected format. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	t = t.Truncate(time.Microsecond)
	if t.Before(now) {
		return nil, errs.BadRequestf("The 'expires_at' must not be before now. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.")
	}
	return &t, nil
}

// decodeEnforced reads a {"<name>": {...}} create body and enforces rule
// on the target built from the raw body. As upstream, malformed JSON is a
// 400 before policy, and any other bad input a 400 after it.
func (s *Service) decodeEnforced(r *http.Request, name string, dst any, rule string, target func([]byte) map[string]any) (map[string]any, error) {
	body, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	extra, err := unmarshalEntity(body, name, dst)
	if err != nil && !json.Valid(body) {
		return nil, err
	}
	if perr := s.enforce(r, rule, target(body)); perr != nil {
		return nil, perr
	}
	return extra, err
}
