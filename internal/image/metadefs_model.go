package image

import (
	"bytes"
	"encoding/json"
	"time"
)

// Metadata definitions (Glance's metadefs): a catalog of namespaces, each
// describing properties that images, volumes, flavors and other resources
// may carry, grouped into objects and tags, and associated with resource
// types (with the prefix the properties take on each).

// mdNamespace is a stored namespace.
type mdNamespace struct {
	ID          string
	Namespace   string
	DisplayName *string
	Description *string
	Visibility  string
	Protected   bool
	Owner       string
	CreatedAt   time.Time
	UpdatedAt   *time.Time
	Seq         int64 // insertion order
}

// mdObject is a stored object: named, required properties.
type mdObject struct {
	Name        string
	Description *string
	Required    []string
	Properties  propertyMap
	CreatedAt   time.Time
	UpdatedAt   *time.Time
}

// mdTag is a stored tag.
type mdTag struct {
	Name      string
	CreatedAt time.Time
	UpdatedAt *time.Time
}

// mdAssociation links a namespace with a resource type.
type mdAssociation struct {
	Name             string
	Prefix           *string
	PropertiesTarget *string
	CreatedAt        time.Time
	UpdatedAt        *time.Time
}

// propertyDef is one property definition, Glance's PropertyType: fields in
// upstream's order, absent ones omitted. Default is kept as Glance keeps
// it: a scalar's text, or null.
type propertyDef struct {
	Name            *string         `json:"name,omitempty"`
	Type            *string         `json:"type,omitempty"`
	Title           *string         `json:"title,omitempty"`
	Description     *string         `json:"description,omitempty"`
	Operators       *[]string       `json:"operators,omitempty"`
	Default         json.RawMessage `json:"default,omitempty"`
	Readonly        *bool           `json:"readonly,omitempty"`
	Minimum         json.Number     `json:"minimum,omitempty"`
	Maximum         json.Number     `json:"maximum,omitempty"`
	Enum            *[]string       `json:"enum,omitempty"`
	Pattern         *string         `json:"pattern,omitempty"`
	MinLength       json.Number     `json:"minLength,omitempty"`
	MaxLength       json.Number     `json:"maxLength,omitempty"`
	Confidential    *bool           `json:"confidential,omitempty"`
	Items           *itemType       `json:"items,omitempty"`
	UniqueItems     *bool           `json:"uniqueItems,omitempty"`
	MinItems        json.Number     `json:"minItems,omitempty"`
	MaxItems        json.Number     `json:"maxItems,omitempty"`
	AdditionalItems *bool           `json:"additionalItems,omitempty"`
}

// itemType describes the items of an array property.
type itemType struct {
	Type string    `json:"type"`
	Enum *[]string `json:"enum,omitempty"`
}

// namedProperty is one entry of a propertyMap.
type namedProperty struct {
	Name string
	Def  *propertyDef
}

// propertyMap is a name → definition map that keeps its order (upstream
// lists properties in the order they were stored).
type propertyMap []namedProperty

// MarshalJSON writes the map as a JSON object in order.
func (m propertyMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.Name)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalNoEscape(p.Def)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads a JSON object of definitions in order.
func (m *propertyMap) UnmarshalJSON(b []byte) error {
	v, err := parseOrdered(b)
	if err != nil {
		return err
	}
	o, ok := v.(*jsonObject)
	if !ok {
		*m = nil
		return nil
	}
	out := make(propertyMap, 0, len(o.keys))
	for _, k := range o.keys {
		raw, _ := marshalNoEscape(o.vals[k])
		var def propertyDef
		if err := json.Unmarshal(raw, &def); err != nil {
			return err
		}
		out = append(out, namedProperty{Name: k, Def: &def})
	}
	*m = out
	return nil
}

// prefixed returns the map with prefix before every name.
func (m propertyMap) prefixed(prefix string) propertyMap {
	out := make(propertyMap, len(m))
	for i, p := range m {
		out[i] = namedProperty{Name: prefix + p.Name, Def: p.Def}
	}
	return out
}

func optTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return isoTime(*t)
}
