package image

import (
	"net/url"
	"strings"
)

// Metadef bodies as the API shows them, in upstream's key order; absent
// (null) attributes are left out, as wsme does.

type namespaceView struct {
	Namespace    string            `json:"namespace"`
	DisplayName  *string           `json:"display_name,omitempty"`
	Description  *string           `json:"description,omitempty"`
	Visibility   string            `json:"visibility"`
	Protected    bool              `json:"protected"`
	Owner        string            `json:"owner"`
	CreatedAt    string            `json:"created_at,omitempty"`
	UpdatedAt    string            `json:"updated_at,omitempty"`
	Associations []associationView `json:"resource_type_associations,omitempty"`
	Properties   propertyMap       `json:"properties,omitempty"`
	Objects      []objectView      `json:"objects,omitempty"`
	Tags         []tagName         `json:"tags,omitempty"`
	Self         string            `json:"self"`
	Schema       string            `json:"schema"`
}

type objectView struct {
	Name        string       `json:"name"`
	Required    *[]string    `json:"required,omitempty"`
	Description *string      `json:"description,omitempty"`
	Properties  *propertyMap `json:"properties,omitempty"`
	CreatedAt   string       `json:"created_at,omitempty"`
	UpdatedAt   string       `json:"updated_at,omitempty"`
	Self        string       `json:"self,omitempty"`
	Schema      string       `json:"schema,omitempty"`
}

type tagView struct {
	Name      string `json:"name"`
	CreatedAt string `json:"created_at,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
}

type tagName struct {
	Name string `json:"name"`
}

type associationView struct {
	Name             string  `json:"name"`
	Prefix           *string `json:"prefix,omitempty"`
	PropertiesTarget *string `json:"properties_target,omitempty"`
	CreatedAt        string  `json:"created_at,omitempty"`
	UpdatedAt        string  `json:"updated_at,omitempty"`
}

type resourceTypeView struct {
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at,omitempty"`
}

// namespacePath is a namespace's self link (its name as it is, as upstream).
func namespacePath(name string) string { return "/v2/metadefs/namespaces/" + name }

func objectPath(namespace, name string) string { return namespacePath(namespace) + "/objects/" + name }

func viewNamespace(ns *mdNamespace) namespaceView {
	return namespaceView{Namespace: ns.Namespace, DisplayName: ns.DisplayName, Description: ns.Description,
		Visibility: ns.Visibility, Protected: ns.Protected, Owner: ns.Owner, CreatedAt: isoTime(ns.CreatedAt),
		UpdatedAt: optTime(ns.UpdatedAt), Self: namespacePath(ns.Namespace), Schema: "/v2/schemas/metadefs/namespace"}
}

// viewObject is a stored object: required and properties always shown.
func viewObject(namespace string, o *mdObject) objectView {
	required, props := o.Required, o.Properties
	if props == nil {
		props = propertyMap{}
	}
	return objectView{Name: o.Name, Required: &required, Description: o.Description, Properties: &props,
		CreatedAt: isoTime(o.CreatedAt), UpdatedAt: optTime(o.UpdatedAt), Self: objectPath(namespace, o.Name),
		Schema: "/v2/schemas/metadefs/object"}
}

func viewMetadefTag(t *mdTag) tagView {
	return tagView{Name: t.Name, CreatedAt: isoTime(t.CreatedAt), UpdatedAt: optTime(t.UpdatedAt)}
}

func tagNames(tags []*mdTag) []tagName {
	out := make([]tagName, len(tags))
	for i, t := range tags {
		out[i] = tagName{Name: t.Name}
	}
	return out
}

func viewAssociation(a *mdAssociation) associationView {
	return associationView{Name: a.Name, Prefix: a.Prefix, PropertiesTarget: a.PropertiesTarget,
		CreatedAt: isoTime(a.CreatedAt), UpdatedAt: optTime(a.UpdatedAt)}
}

func viewAssociations(list []*mdAssociation) []associationView {
	out := make([]associationView, len(list))
	for i, a := range list {
		out[i] = viewAssociation(a)
	}
	return out
}

// namedView is a property definition with its name first, as the
// property endpoints show it.
func namedView(name string, d *propertyDef) *propertyDef {
	v := *d
	v.Name = &name
	return &v
}

// queryWithout re-encodes a request's query in its order, leaving out key
// (Python's urlencode of the request's parameters).
func queryWithout(rawQuery, key string) string {
	var parts []string
	seen := map[string]int{}
	var vals []string
	for _, kv := range splitQuery(rawQuery) {
		k, v := kv[0], kv[1]
		if k == key {
			continue
		}
		if i, ok := seen[k]; ok {
			vals[i] = v
			continue
		}
		seen[k] = len(parts)
		parts = append(parts, k)
		vals = append(vals, v)
	}
	enc := make([]string, len(parts))
	for i, k := range parts {
		enc[i] = url.QueryEscape(k) + "=" + url.QueryEscape(vals[i])
	}
	return strings.Join(enc, "&")
}

func splitQuery(raw string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		ku, err1 := url.QueryUnescape(k)
		vu, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, [2]string{ku, vu})
	}
	return out
}
