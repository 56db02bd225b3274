package identity

import (
	"database/sql"
	"errors"
	"net/http"
	"slices"
	"strings"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// accessRuleRef is one access rule of a create request: the id of one of
// the user's rules, or a service, path and method.
type accessRuleRef struct {
	ID      string
	Service string
	Path    string
	Method  string
}

var accessRuleMethods = []string{"POST", "GET", "HEAD", "PATCH", "PUT", "DELETE"}

// parseAccessRules validates an access_rules list as upstream's schema
// does; a rule without an id needs service, path and method.
func parseAccessRules(items []map[string]any) ([]accessRuleRef, error) {
	out := make([]accessRuleRef, 0, len(items))
	for _, item := range items {
		var ref accessRuleRef
		for k, v := range item {
			s, ok := v.(string)
			if !ok {
				return nil, errs.BadRequestf("Invalid input for field 'access_rules/%s': %v is not of type 'string'.", k, v)
			}
			if err := setAccessRuleField(&ref, k, s); err != nil {
				return nil, err
			}
		}
		if ref.ID == "" && (ref.Service == "" || ref.Path == "" || ref.Method == "") {
			return nil, errs.BadRequestf("Invalid input for field 'access_rules': each access rule needs an id, or a service, path and method.")
		}
		out = append(out, ref)
	}
	return out, nil
}

func setAccessRuleField(ref *accessRuleRef, key, v string) error {
	switch key {
	case "id":
		ref.ID = v
		return checkIDString("access_rules/id", v)
	case "service":
		ref.Service = v
		return checkIDString("access_rules/service", v)
	case "path":
		ref.Path = v
		if len(v) > 225 || !strings.HasPrefix(v, "/") {
			return errs.BadRequestf("Invalid input for field 'access_rules/path': '%s' does not match '^\\/.*' or is longer than 225 characters.", v)
		}
		return nil
	case "method":
		ref.Method = v
		if !slices.Contains(accessRuleMethods, v) {
			return errs.BadRequestf("Invalid input for field 'access_rules/method': '%s' does not match '^(POST|GET|HEAD|PATCH|PUT|DELETE)$'.", v)
		}
		return nil
	}
	return errs.BadRequestf("Invalid input for field 'access_rules': Additional properties are not allowed ('%s' was unexpected).", key)
}

// linkAccessRules links a new credential to its access rules: a rule
// given by id must be one of the user's; an identical rule of the user is
// reused; otherwise a new rule is stored.
func (s *Service) linkAccessRules(tx *db.Tx, a *appCred, refs []accessRuleRef) error {
	for _, ref := range refs {
		rule, err := s.accessRuleFor(tx, a.UserID, ref)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(a.AccessRules, func(x auth.AccessRule) bool { return x.ID == rule.ID }) {
			continue
		}
		if _, err := tx.Exec("INSERT INTO identity_app_cred_access_rules (app_cred_id, access_rule_id) VALUES (?, ?)", a.ID, rule.ID); err != nil {
			return err
		}
		a.AccessRules = append(a.AccessRules, *rule)
	}
	slices.SortFunc(a.AccessRules, func(x, y auth.AccessRule) int { return strings.Compare(x.ID, y.ID) })
	return nil
}

func (s *Service) accessRuleFor(tx *db.Tx, userID string, ref accessRuleRef) (*auth.AccessRule, error) {
	if ref.ID != "" {
		return getAccessRuleOf(tx, userID, ref.ID)
	}
	rule, err := scanAccessRule(tx.QueryRow("SELECT "+accessRuleColumns+" FROM identity_access_rules WHERE user_id = ? AND service = ? AND path = ? AND method = ?",
		userID, ref.Service, ref.Path, ref.Method))
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return rule, err
	}
	rule = &auth.AccessRule{ID: s.newID(), Service: ref.Service, Path: ref.Path, Method: ref.Method}
	_, err = tx.Exec("INSERT INTO identity_access_rules (id, user_id, service, path, method) VALUES (?, ?, ?, ?, ?)",
		rule.ID, userID, rule.Service, rule.Path, rule.Method)
	return rule, err
}

const accessRuleColumns = "id, service, method, path"

func scanAccessRule(sc interface{ Scan(...any) error }) (*auth.AccessRule, error) {
	var ar auth.AccessRule
	if err := sc.Scan(&ar.ID, &ar.Service, &ar.Method, &ar.Path); err != nil {
		return nil, err
	}
	return &ar, nil
}

// getAccessRuleOf loads one of a user's access rules.
func getAccessRuleOf(tx *db.Tx, userID, id string) (*auth.AccessRule, error) {
	ar, err := scanAccessRule(tx.QueryRow("SELECT "+accessRuleColumns+" FROM identity_access_rules WHERE id = ? AND user_id = ?", id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find Access Rule: %s.", id)
	}
	return ar, err
}

func (s *Service) listAccessRules(w http.ResponseWriter, r *http.Request) error {
	userID := r.PathValue("user_id")
	q := db.NewQuery("SELECT "+accessRuleColumns+" FROM identity_access_rules").Where("user_id = ?", userID)
	for _, f := range httpx.ParseFilters(r.URL.Query(), []string{"service", "path", "method"}, nil) {
		q.Match(f.Key, string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*auth.AccessRule
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		if err := s.enforce(r, "identity:list_access_rules", accessRuleTarget(tx, userID)); err != nil {
			return err
		}
		list, err = queryAccessRules(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(ar *auth.AccessRule) string { return ar.ID })
	out := make([]api.AccessRuleResource, len(list))
	for i, ar := range list {
		out[i] = s.accessRuleView(r, ar)
	}
	return s.writeCollection(w, r, "access_rules", out, next, truncated)
}

func queryAccessRules(tx *db.Tx, q *db.Query) ([]*auth.AccessRule, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*auth.AccessRule
	for rows.Next() {
		ar, err := scanAccessRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ar)
	}
	return out, rows.Err()
}

// accessRuleTarget is the policy target of the access rule API: the
// path's user, when it exists.
func accessRuleTarget(tx *db.Tx, userID string) map[string]any {
	u, err := getUser(tx, userID)
	if err != nil {
		return map[string]any{}
	}
	return userTarget(u)
}

func (s *Service) getAccessRule(w http.ResponseWriter, r *http.Request) error {
	var ar *auth.AccessRule
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		ar, err = s.pathAccessRule(tx, r, "identity:get_access_rule")
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"access_rule": s.accessRuleView(r, ar)})
}

func (s *Service) deleteAccessRule(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		ar, err := s.pathAccessRule(tx, r, "identity:delete_access_rule")
		if err != nil {
			return err
		}
		used, err := tx.Exists("SELECT 1 FROM identity_app_cred_access_rules WHERE access_rule_id = ?", ar.ID)
		if err != nil {
			return err
		}
		if used {
			return errs.Forbiddenf("May not delete access rule in use")
		}
		_, err = tx.Exec("DELETE FROM identity_access_rules WHERE id = ?", ar.ID)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// pathAccessRule enforces rule for the path's user and loads the path's
// access rule, which must be that user's.
func (s *Service) pathAccessRule(tx *db.Tx, r *http.Request, rule string) (*auth.AccessRule, error) {
	userID := r.PathValue("user_id")
	if err := s.enforce(r, rule, accessRuleTarget(tx, userID)); err != nil {
		return nil, err
	}
	return getAccessRuleOf(tx, userID, r.PathValue("access_rule_id"))
}

// accessRuleView renders an access rule with upstream's self link.
func (s *Service) accessRuleView(r *http.Request, ar *auth.AccessRule) api.AccessRuleResource {
	return api.AccessRuleResource{ID: ar.ID, Service: ar.Service, Path: ar.Path, Method: ar.Method,
		Links: api.Links{Self: s.selfLink(r, "/v3/access_rules/"+ar.ID)}}
}
