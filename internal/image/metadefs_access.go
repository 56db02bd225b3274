package image

import (
	"fmt"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/policy"
)

// How a handler reports a namespace that is missing or that the caller may
// not see; upstream's messages differ by endpoint.
type namespaceMiss int

const (
	// missDB: unknown is the database's message, hidden "Namespace X not found".
	missDB namespaceMiss = iota
	// missShort: both are "Namespace X not found".
	missShort
	// missShow: unknown is the database's message, hidden a bare 404.
	missShow
)

func namespaceUnknown(name string) error {
	return errs.NotFoundf("%s", "Metadata definition namespace="+name+" was not found.")
}

func namespaceNotFound(name string) error {
	return errs.NotFoundf("%s", "Namespace "+name+" not found")
}

func bareNotFound() error { return errs.NotFoundf("The resource could not be found.") }

// visibleNamespace loads a namespace the caller may see (Glance's
// _is_namespace_visible: admins, public ones, their project's own).
func (s *Service) visibleNamespace(r *http.Request, tx *db.Tx, name string, miss namespaceMiss) (*mdNamespace, error) {
	ns, err := findNamespace(tx, name)
	if err != nil {
		return nil, err
	}
	switch {
	case ns == nil && miss == missShort:
		return nil, namespaceNotFound(name)
	case ns == nil:
		return nil, namespaceUnknown(name)
	case s.canSeeNamespace(r, ns):
		return ns, nil
	case miss == missShow:
		return nil, bareNotFound()
	}
	return nil, namespaceNotFound(name)
}

func (s *Service) canSeeNamespace(r *http.Request, ns *mdNamespace) bool {
	project := projectOf(r)
	return s.isAdmin(r) || ns.Visibility == "public" || (project != "" && ns.Owner == project)
}

// namespaceTarget is Glance's MetadefAPIPolicy target: the namespace's
// owner and visibility, or the caller's project when there is none.
func namespaceTarget(r *http.Request, ns *mdNamespace) map[string]any {
	if ns == nil {
		return map[string]any{"project_id": projectOf(r)}
	}
	return map[string]any{"project_id": ns.Owner, "visibility": ns.Visibility}
}

// enforceMetadef checks a metadef rule as MetadefAPIPolicy does: a refusal
// on a namespace the caller may not read is a 404, not a 403.
func (s *Service) enforceMetadef(r *http.Request, rule string, ns *mdNamespace) error {
	target := namespaceTarget(r, ns)
	err := s.enforce(r, rule, target)
	if err == nil {
		return nil
	}
	if rule == "get_metadef_namespace" || !s.checkMetadef(r, "get_metadef_namespace", ns) {
		return bareNotFound()
	}
	return err
}

// checkMetadef is a soft check of a metadef rule.
func (s *Service) checkMetadef(r *http.Request, rule string, ns *mdNamespace) bool {
	return s.policy.Check(rule, policy.CredsFromToken(caller(r)), namespaceTarget(r, ns))
}

// enforceAll enforces rules in order.
func (s *Service) enforceAll(r *http.Request, ns *mdNamespace, rules ...string) error {
	for _, rule := range rules {
		if err := s.enforceMetadef(r, rule, ns); err != nil {
			return err
		}
	}
	return nil
}

// rejectBody is Glance's body_reject: these requests take no body.
func rejectBody(r *http.Request) error {
	if r.ContentLength > 0 {
		return errs.BadRequestf("A body is not expected with this request.")
	}
	return nil
}

// readMetadefBody reads a JSON object body, refusing the read-only
// attributes first as upstream.
func readMetadefBody(r *http.Request, schema string, readOnly []string) (*jsonObject, error) {
	b, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 && len(r.TransferEncoding) == 0 {
		return nil, errs.BadRequestf("Body expected in request.")
	}
	v, err := parseOrdered(b)
	if err != nil {
		return nil, errs.BadRequestf("Malformed JSON in request body.")
	}
	switch body := v.(type) {
	case *jsonObject:
		for _, k := range readOnly {
			if body.has(k) {
				return nil, errs.Forbiddenf("%s", "Attribute '"+k+"' is read-only.")
			}
		}
		return body, nil
	case []any:
		return nil, schemaRefusal(schema, fmt.Sprintf("%s is not of type 'object'", pyValue(body)))
	}
	return nil, errs.BadRequestf("Unexpected body type. Expected list/dict.")
}

// Read-only attributes of each metadef body.
var (
	namespaceReadOnly = []string{"self", "schema", "created_at", "updated_at"}
	objectReadOnly    = namespaceReadOnly
	stampsReadOnly    = []string{"created_at", "updated_at"}
)

// optionalString is a string attribute of a schema-valid body, nil when absent.
func optionalString(o *jsonObject, k string) *string {
	v, _ := o.get(k)
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}

func stringsOf(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
