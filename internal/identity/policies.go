package identity

import (
	"database/sql"
	"errors"
	"net/http"

	api "github.com/monostack/monostack/api/identity"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// The v3 policy API stores opaque policy blobs for other services; it is
// deprecated upstream and has no effect on enforcement here.

// storedPolicy is a row of identity_policies.
type storedPolicy struct {
	ID    string
	Type  string
	Blob  string
	Extra map[string]any
}

// policyInput is the body of policy create and update.
type policyInput struct {
	ID   any     `json:"id"`
	Blob *string `json:"blob"`
	Type *string `json:"type"`
}

// check validates the typed attributes of a policy body.
func (in *policyInput) check(fields entityFields) error {
	if err := refuseNulls(fields, "string", "blob", "type"); err != nil {
		return err
	}
	if in.Type != nil {
		return checkString("type", *in.Type, 0, 255)
	}
	return nil
}

const policyColumns = "id, type, blob, extra"

func scanPolicy(sc interface{ Scan(...any) error }) (*storedPolicy, error) {
	var p storedPolicy
	var extra string
	if err := sc.Scan(&p.ID, &p.Type, &p.Blob, &extra); err != nil {
		return nil, err
	}
	p.Extra = unmarshalExtra(extra)
	return &p, nil
}

func getStoredPolicy(tx *db.Tx, id string) (*storedPolicy, error) {
	p, err := scanPolicy(tx.QueryRow("SELECT "+policyColumns+" FROM identity_policies WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find policy: %s.", id)
	}
	return p, err
}

func queryPolicies(tx *db.Tx, q *db.Query) ([]*storedPolicy, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*storedPolicy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Service) policyView(r *http.Request, p *storedPolicy) api.Policy {
	return api.Policy{ID: p.ID, Blob: p.Blob, Type: p.Type, Extra: p.Extra,
		Links: api.Links{Self: s.selfLink(r, "/v3/policies/"+p.ID)}}
}

func (s *Service) createPolicy(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:create_policy", nil); err != nil {
		return err
	}
	var in policyInput
	extra, fields, err := decodeFields(r, "policy", &in)
	if err != nil {
		return err
	}
	for _, k := range []string{"blob", "type"} {
		if !fields.has(k) {
			return requiredProperty(k)
		}
	}
	if err := in.check(fields); err != nil {
		return err
	}
	p := &storedPolicy{ID: s.newID(), Type: *in.Type, Blob: *in.Blob, Extra: normalizeKeys(extra)}
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		_, err := tx.Exec("INSERT INTO identity_policies ("+policyColumns+") VALUES (?, ?, ?, ?)",
			p.ID, p.Type, p.Blob, marshalExtra(p.Extra))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"policy": s.policyView(r, p)})
}

func (s *Service) listPolicies(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:list_policies", nil); err != nil {
		return err
	}
	q := db.NewQuery("SELECT " + policyColumns + " FROM identity_policies")
	for _, f := range httpx.ParseFilters(r.URL.Query(), []string{"type"}, []string{"type"}) {
		q.Match("type", string(f.Op), f.Value)
	}
	page, err := s.listPage(r, q)
	if err != nil {
		return err
	}
	var list []*storedPolicy
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		list, err = queryPolicies(tx, q)
		return err
	})
	if err != nil {
		return err
	}
	list, next, truncated := cutPage(r, s, page, list, func(p *storedPolicy) string { return p.ID })
	out := make([]api.Policy, len(list))
	for i, p := range list {
		out[i] = s.policyView(r, p)
	}
	return s.writeCollection(w, r, "policies", out, next, truncated)
}

func (s *Service) getPolicyHandler(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("policy_id")
	if err := s.enforce(r, "identity:get_policy", map[string]any{"policy_id": id}); err != nil {
		return err
	}
	var p *storedPolicy
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		p, err = getStoredPolicy(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"policy": s.policyView(r, p)})
}

func (s *Service) updatePolicy(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("policy_id")
	if err := s.enforce(r, "identity:update_policy", map[string]any{"policy_id": id}); err != nil {
		return err
	}
	var in policyInput
	extra, fields, err := decodeFields(r, "policy", &in)
	if err != nil {
		return err
	}
	if err := requireAttributes(fields); err != nil {
		return err
	}
	if err := in.check(fields); err != nil {
		return err
	}
	if fields.has("id") && in.ID != any(id) {
		return errs.BadRequestf("Cannot change policy ID")
	}
	var p *storedPolicy
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		if p, err = getStoredPolicy(tx, id); err != nil {
			return err
		}
		applyPolicyUpdate(p, &in, extra)
		_, err = tx.Exec("UPDATE identity_policies SET type = ?, blob = ?, extra = ? WHERE id = ?",
			p.Type, p.Blob, marshalExtra(p.Extra), p.ID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"policy": s.policyView(r, p)})
}

// applyPolicyUpdate changes what an update names.
func applyPolicyUpdate(p *storedPolicy, in *policyInput, extra map[string]any) {
	if in.Type != nil {
		p.Type = *in.Type
	}
	if in.Blob != nil {
		p.Blob = *in.Blob
	}
	p.Extra = mergeExtra(p.Extra, extra)
}

func (s *Service) deletePolicy(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("policy_id")
	if err := s.enforce(r, "identity:delete_policy", map[string]any{"policy_id": id}); err != nil {
		return err
	}
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		n, err := tx.ExecAffected("DELETE FROM identity_policies WHERE id = ?", id)
		if err == nil && n == 0 {
			return errs.NotFoundf("Could not find policy: %s.", id)
		}
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
