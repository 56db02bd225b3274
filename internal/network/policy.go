package network

import (
	"context"
	"net/http"
	"sync"

	"github.com/monostack/monostack/internal/network/neutronerr"
	"github.com/monostack/monostack/internal/policy"
)

// creds are the policy credentials of the caller; Neutron's context also
// carries tenant_id, which its owner rules ("tenant_id:%(tenant_id)s") use.
// A request works them out once (a list checks policy per item).
func creds(r *http.Request) policy.Creds {
	if h, ok := r.Context().Value(credsKey{}).(*credsHolder); ok {
		h.once.Do(func() { h.c = credsOf(r) })
		return h.c
	}
	return credsOf(r)
}

func credsOf(r *http.Request) policy.Creds {
	c := policy.CredsFromToken(caller(r))
	c["tenant_id"] = c["project_id"]
	return c
}

type credsKey struct{}

type credsHolder struct {
	once sync.Once
	c    policy.Creds
}

// withCredsCache gives each request a place for its credentials.
func withCredsCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), credsKey{}, &credsHolder{})))
	})
}

// isAdmin is Neutron's context.is_admin: the context_is_admin rule.
func (s *Service) isAdmin(r *http.Request) bool {
	return s.policy.Check("context_is_admin", creds(r), map[string]any{})
}

// check evaluates one rule; a rule no default or file defines falls back
// to "default", as oslo.policy's default_rule does.
func (s *Service) check(r *http.Request, rule string, target map[string]any) bool {
	if !s.rules[rule] {
		rule = "default"
	}
	return s.policy.Check(rule, creds(r), target)
}

// allowed is Neutron's policy.check for an action with the attributes it
// touches: the action's rule and action:attr for each attr. Without
// enforce_new_defaults an admin context passes at once, as upstream.
func (s *Service) allowed(r *http.Request, action string, target map[string]any, attrs []string) (bool, string) {
	match := "rule:" + action
	for _, a := range attrs {
		match = "(" + match + " and rule:" + action + ":" + a + ")"
	}
	if !s.opts.EnforceNewDefaults && s.isAdmin(r) {
		return true, match
	}
	if !s.check(r, action, target) {
		return false, match
	}
	for _, a := range attrs {
		if !s.check(r, action+":"+a, target) {
			return false, match
		}
	}
	return true, match
}

// enforce is Neutron's policy.enforce: PolicyNotAuthorized naming the
// match rule as oslo.policy renders it.
func (s *Service) enforce(r *http.Request, action string, target map[string]any, attrs []string) error {
	if ok, match := s.allowed(r, action, target, attrs); !ok {
		return neutronerr.PolicyNotAuthorized(match)
	}
	return nil
}

// hiddenFields are the attributes of item the caller may not see: those
// whose "<action>:<attr>" rule denies (Neutron's
// _exclude_attributes_by_policy).
func (s *Service) hiddenFields(r *http.Request, action string, item map[string]any, attrs []string) map[string]bool {
	if !s.opts.EnforceNewDefaults && s.isAdmin(r) {
		return nil
	}
	var out map[string]bool
	for _, a := range attrs {
		if _, ok := item[a]; !ok || !s.rules[action+":"+a] {
			continue // a rule that does not exist allows (might_not_exist)
		}
		if !s.check(r, action+":"+a, item) {
			if out == nil {
				out = map[string]bool{}
			}
			out[a] = true
		}
	}
	return out
}

// enforceVisible is enforce on an existing resource: a caller refused
// action who may not even getAction it is told notFound, as Neutron hides
// what the caller cannot see.
func (s *Service) enforceVisible(r *http.Request, action string, target map[string]any, attrs []string,
	getAction string, getTarget map[string]any, notFound error) error {
	err := s.enforce(r, action, target, attrs)
	if err == nil {
		return nil
	}
	if ok, _ := s.allowed(r, getAction, getTarget, nil); !ok {
		return notFound
	}
	return err
}
