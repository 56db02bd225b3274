package image

import (
	"net/http"
	"time"

	"github.com/monostack/monostack/internal/db"
)

// namespaceInput is a namespace body turned into rows, with the echo of
// its contents the create response shows (what the request gave).
type namespaceInput struct {
	ns         *mdNamespace
	assocs     []*mdAssociation
	objects    []*mdObject
	objectEcho []objectView
	tags       []*mdTag
	props      propertyMap
	seeded     bool // a built-in namespace: no updated_at, protected resource types
}

// Attributes the nested items of a namespace body may carry (wsme models).
var (
	nestedObjectAttributes      = []string{"name", "required", "description", "properties", "created_at", "updated_at", "self", "schema"}
	nestedTagAttributes         = []string{"name", "created_at", "updated_at"}
	nestedAssociationAttributes = []string{"name", "prefix", "properties_target", "created_at", "updated_at"}
)

// readNamespace reads and checks the namespace body of a create or an
// update.
func (s *Service) readNamespace(r *http.Request) (*namespaceInput, error) {
	body, err := readMetadefBody(r, "namespace", namespaceReadOnly)
	if err != nil {
		return nil, err
	}
	if err := checkSchema("namespace", metadefSchemaDocs()["namespace"], body); err != nil {
		return nil, err
	}
	return readNamespaceInput(body, projectOf(r), s.newID(), s.now())
}

// readNamespaceInput converts a schema-valid namespace body; absent
// attributes take Glance's defaults (private, unprotected, owned by owner).
func readNamespaceInput(body *jsonObject, owner, id string, now time.Time) (*namespaceInput, error) {
	ns := &mdNamespace{ID: id, Namespace: *optionalString(body, "namespace"), DisplayName: optionalString(body, "display_name"),
		Description: optionalString(body, "description"), Visibility: "private", Owner: owner, CreatedAt: now, UpdatedAt: &now}
	if v := optionalString(body, "visibility"); v != nil {
		ns.Visibility = *v
	}
	if v := optionalString(body, "owner"); v != nil {
		ns.Owner = *v
	}
	if v, ok := body.get("protected"); ok {
		ns.Protected = v == true
	}
	in := &namespaceInput{ns: ns}
	return in, in.readContents(body, now)
}

func (in *namespaceInput) readContents(body *jsonObject, now time.Time) error {
	var err error
	if v, ok := body.get("properties"); ok {
		if in.props, err = toPropertyMap("namespace", v); err != nil {
			return err
		}
	}
	if in.assocs, err = toAssociations(objectsAt(body, "resource_type_associations"), now); err != nil {
		return err
	}
	for _, item := range objectsAt(body, "objects") {
		o, echo, err := toNestedObject(item, now)
		if err != nil {
			return err
		}
		in.objects, in.objectEcho = append(in.objects, o), append(in.objectEcho, echo)
	}
	for _, item := range objectsAt(body, "tags") {
		if err := nestedItem(item, nestedTagAttributes); err != nil {
			return err
		}
		in.tags = append(in.tags, &mdTag{Name: *optionalString(item, "name"), CreatedAt: now, UpdatedAt: &now})
	}
	return nil
}

// objectsAt lists the objects of an array attribute.
func objectsAt(body *jsonObject, key string) []*jsonObject {
	v, _ := body.get(key)
	arr, _ := v.([]any)
	out := make([]*jsonObject, 0, len(arr))
	for _, e := range arr {
		if o, ok := e.(*jsonObject); ok {
			out = append(out, o)
		}
	}
	return out
}

// nestedItem checks a nested item's attributes and its mandatory name.
func nestedItem(o *jsonObject, known []string) error {
	if err := unknownAttributes("namespace", o, known); err != nil {
		return err
	}
	if !o.has("name") {
		return schemaRefusal("namespace", "'name' is a required property")
	}
	return nil
}

func toAssociations(items []*jsonObject, now time.Time) ([]*mdAssociation, error) {
	var out []*mdAssociation
	for _, item := range items {
		if err := nestedItem(item, nestedAssociationAttributes); err != nil {
			return nil, err
		}
		out = append(out, &mdAssociation{Name: *optionalString(item, "name"), Prefix: optionalString(item, "prefix"),
			PropertiesTarget: optionalString(item, "properties_target"), CreatedAt: now, UpdatedAt: &now})
	}
	return out, nil
}

// toNestedObject converts one object of a namespace body.
func toNestedObject(item *jsonObject, now time.Time) (*mdObject, objectView, error) {
	if err := nestedItem(item, nestedObjectAttributes); err != nil {
		return nil, objectView{}, err
	}
	o := &mdObject{Name: *optionalString(item, "name"), Description: optionalString(item, "description"),
		CreatedAt: now, UpdatedAt: &now}
	echo := objectView{Name: o.Name, Description: o.Description}
	if v, ok := item.get("required"); ok {
		o.Required = stringsOf(v)
		echo.Required = &o.Required
	}
	if v, ok := item.get("properties"); ok {
		props, err := toPropertyMap("namespace", v)
		if err != nil {
			return nil, objectView{}, err
		}
		o.Properties, echo.Properties = props, &props
	}
	return o, echo, nil
}

// rules are the policy rules creating this namespace needs.
func (in *namespaceInput) rules() []string {
	rules := []string{"add_metadef_namespace"}
	if len(in.assocs) > 0 {
		rules = append(rules, "add_metadef_resource_type_association")
	}
	if len(in.objects) > 0 {
		rules = append(rules, "add_metadef_object")
	}
	if len(in.props) > 0 {
		rules = append(rules, "add_metadef_property")
	}
	if len(in.tags) > 0 {
		rules = append(rules, "add_metadef_tag")
	}
	return rules
}

// insertNamespaceInput stores the namespace and its contents in
// upstream's order: associations, objects, tags, properties.
func insertNamespaceInput(tx *db.Tx, in *namespaceInput) error {
	ns, now := in.ns, in.ns.CreatedAt
	updated := &now
	if in.seeded {
		updated = nil
	}
	if err := insertNamespace(tx, ns); err != nil {
		return err
	}
	for _, a := range in.assocs {
		if err := ensureResourceType(tx, a.Name, in.seeded, now, updated); err != nil {
			return err
		}
		if err := insertAssociation(tx, ns, a); err != nil {
			return err
		}
	}
	for _, o := range in.objects {
		if err := insertObject(tx, ns, o); err != nil {
			return err
		}
	}
	for _, t := range in.tags {
		if err := insertMetadefTag(tx, ns, t); err != nil {
			return err
		}
	}
	for _, p := range in.props {
		if err := insertMetadefProperty(tx, ns, p.Name, p.Def, now, updated); err != nil {
			return err
		}
	}
	return nil
}

// view is the create response: the namespace and what the request gave.
func (in *namespaceInput) view() namespaceView {
	v := viewNamespace(in.ns)
	for _, a := range in.assocs {
		v.Associations = append(v.Associations, associationView{Name: a.Name, Prefix: a.Prefix, PropertiesTarget: a.PropertiesTarget})
	}
	v.Properties, v.Objects = in.props, in.objectEcho
	for _, t := range in.tags {
		v.Tags = append(v.Tags, tagName{Name: t.Name})
	}
	return v
}
