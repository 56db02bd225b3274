package identity

import (
	"net/http"

	api "github.com/monostack/monostack/api/identity"
)

// projectInput is the body of project and domain create and update.
type projectInput struct {
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Enabled     *bool           `json:"enabled"`
	DomainID    *string         `json:"domain_id"`
	ParentID    *string         `json:"parent_id"`
	IsDomain    *bool           `json:"is_domain"`
	Tags        *[]string       `json:"tags"`
	Options     *map[string]any `json:"options"`
	ID          *string         `json:"id"`
	ExplicitID  *string         `json:"explicit_domain_id"`
}

func (s *Service) domainView(r *http.Request, p *project) api.Domain {
	return api.Domain{ID: p.ID, Name: p.Name, Description: p.Description, Enabled: p.Enabled,
		Tags: nonNilStrings(p.Tags), Options: optionsOf(p.Extra), Extra: withoutOptions(p.Extra),
		Links: api.Links{Self: s.selfLink(r, "/v3/domains/"+p.ID)}}
}

func (s *Service) projectView(r *http.Request, p *project) api.Project {
	v := api.Project{ID: p.ID, Name: p.Name, Description: p.Description, Enabled: p.Enabled,
		IsDomain: p.IsDomain, Tags: nonNilStrings(p.Tags), Options: optionsOf(p.Extra), Extra: withoutOptions(p.Extra),
		Links: api.Links{Self: s.selfLink(r, "/v3/projects/"+p.ID)}}
	if p.IsDomain {
		v.DomainID = ""
	} else {
		v.DomainID = p.DomainID
	}
	if p.ParentID != "" {
		parent := p.ParentID
		v.ParentID = &parent
	}
	return v
}

// projectTarget is the policy target form of a project.
func projectTarget(p *project) map[string]any {
	t := map[string]any{"id": p.ID, "name": p.Name, "domain_id": p.DomainID, "enabled": p.Enabled,
		"is_domain": p.IsDomain, "parent_id": p.ParentID, "description": p.Description}
	if p.IsDomain {
		t["domain_id"] = nil
	}
	return t
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Resource options live in extra under this key.
const optionsKey = "__options__"

func optionsOf(extra map[string]any) map[string]any {
	if o, ok := extra[optionsKey].(map[string]any); ok {
		return o
	}
	return map[string]any{}
}

func withoutOptions(extra map[string]any) map[string]any {
	if _, ok := extra[optionsKey]; !ok {
		return extra
	}
	out := make(map[string]any, len(extra))
	for k, v := range extra {
		if k != optionsKey {
			out[k] = v
		}
	}
	return out
}

// isImmutable reports the "immutable" resource option.
func isImmutable(extra map[string]any) bool {
	v, _ := optionsOf(extra)["immutable"].(bool)
	return v
}
