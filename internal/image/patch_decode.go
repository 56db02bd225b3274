package image

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Decoding a PATCH as Glance's RequestDeserializer.update does, before the
// image is read: media type, body, each operation's form and pointer,
// read-only and reserved names, and the value against the image schema.

// decodePatch is RequestDeserializer.update.
func decodePatch(w http.ResponseWriter, r *http.Request) ([]imageChange, error) {
	mediaType, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if mediaType != patchV20 && mediaType != patchV21 {
		w.Header().Set("Accept-Patch", patchV20+", "+patchV21)
		return nil, errs.New(errs.UnsupportedMediaType, "Unsupported media type %s.", mediaType)
	}
	ops, err := readOperations(r)
	if err != nil {
		return nil, err
	}
	changes := make([]imageChange, 0, len(ops))
	for _, raw := range ops {
		c, err := decodeChange(raw, mediaType == patchV20)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// readOperations reads the body: a JSON array of operations.
func readOperations(r *http.Request) ([]json.RawMessage, error) {
	if r.ContentLength == 0 {
		return nil, errs.BadRequestf("Body expected in request.")
	}
	b, err := httpx.ReadBody(r)
	if err != nil {
		return nil, err
	}
	if !json.Valid(b) {
		return nil, errs.BadRequestf("Malformed JSON in request body.")
	}
	switch firstByte(b) {
	case '[':
	case '{':
		return nil, errs.BadRequestf("Request body must be a JSON array of operation objects.")
	default:
		return nil, errs.BadRequestf("Unexpected body type. Expected list/dict.")
	}
	var ops []json.RawMessage
	return ops, json.Unmarshal(b, &ops)
}

func firstByte(b []byte) byte {
	if b = bytes.TrimLeft(b, " \t\r\n"); len(b) == 0 {
		return 0
	}
	return b[0]
}

// decodeChange decodes and checks one operation.
func decodeChange(raw json.RawMessage, draft4 bool) (imageChange, error) {
	var fields map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &fields) != nil {
		return imageChange{}, errs.BadRequestf("Operations must be JSON objects.")
	}
	op, pointer, err := opAndPointer(fields, draft4)
	if err != nil {
		return imageChange{}, err
	}
	c := imageChange{op: op, draft4: draft4}
	if c.path, err = decodePointer(pointer); err != nil {
		return imageChange{}, err
	}
	if err := checkDepth(c); err != nil {
		return imageChange{}, err
	}
	if op != "remove" {
		var ok bool
		if c.value, ok = fields["value"]; !ok {
			return imageChange{}, errs.BadRequestf(`Operation "%s" requires a member named "value".`, op)
		}
	}
	return c, checkChange(c)
}

// opAndPointer finds the operation and its pointer in either draft's form.
func opAndPointer(fields map[string]json.RawMessage, draft4 bool) (op string, pointer json.RawMessage, err error) {
	if draft4 {
		for _, k := range patchOps {
			if _, ok := fields[k]; ok && op != "" {
				return "", nil, errs.BadRequestf(`Operation objects must contain only one member named "add", "remove", or "replace".`)
			} else if ok {
				op = k
			}
		}
		if op == "" {
			return "", nil, errs.BadRequestf(`Operation objects must contain exactly one member named "add", "remove", or "replace".`)
		}
		return op, fields[op], nil
	}
	rawOp, ok := fields["op"]
	if !ok || string(rawOp) == "null" {
		return "", nil, errs.BadRequestf("Unable to find `op` in JSON Schema change. It must be one of the following: add, remove, replace.")
	}
	if json.Unmarshal(rawOp, &op) != nil || !slices.Contains(patchOps, op) {
		return "", nil, errs.BadRequestf("Invalid operation: `%s`. It must be one of the following: add, remove, replace.", pyText(rawOp))
	}
	if pointer, ok = fields["path"]; !ok {
		return "", nil, errs.BadRequestf("Unable to find 'path' in JSON Schema change")
	}
	return op, pointer, nil
}

var (
	adjacentSlashes = regexp.MustCompile(`/\s*?/`)
	strayTilde      = regexp.MustCompile(`~[^01]`)
)

// decodePointer checks the limited JSON pointers Glance accepts and splits
// one into its unescaped, trimmed tokens.
func decodePointer(raw json.RawMessage) ([]string, error) {
	var p string
	if json.Unmarshal(raw, &p) != nil {
		return nil, errs.BadRequestf("Pointer `%s` does not start with \"/\".", pyText(raw))
	}
	switch {
	case !strings.HasPrefix(p, "/"):
		return nil, errs.BadRequestf("Pointer `%s` does not start with \"/\".", p)
	case adjacentSlashes.MatchString(p[1:]):
		return nil, errs.BadRequestf("Pointer `%s` contains adjacent \"/\".", p)
	case len(p) > 1 && strings.HasSuffix(p, "/"):
		return nil, errs.BadRequestf("Pointer `%s` end with \"/\".", p)
	case strings.TrimSpace(p[1:]) == "/":
		return nil, errs.BadRequestf("Pointer `%s` does not contains valid token.", p)
	case strayTilde.MatchString(p) || strings.HasSuffix(p, "~"):
		return nil, errs.BadRequestf("Pointer `%s` contains \"~\" not part of a recognized escape sequence.", p)
	}
	parts := strings.Split(strings.TrimLeft(p, "/"), "/")
	for i, part := range parts {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~"))
	}
	return parts, nil
}

// checkDepth allows one token, or two for adding or removing a location.
func checkDepth(c imageChange) error {
	depth := 1
	if c.root() == "locations" && c.op != "replace" {
		depth = 2
	}
	if len(c.path) != depth {
		return errs.BadRequestf("Invalid JSON pointer for this resource: '/%s'", strings.Join(c.path, "/"))
	}
	return nil
}

// checkChange refuses read-only and reserved names and values the image
// schema refuses.
func checkChange(c imageChange) error {
	root := c.root()
	switch {
	case slices.Contains(readOnly, root):
		return errs.Forbiddenf("Attribute '%s' is read-only.", root)
	case slices.Contains(reserved, root) || strings.HasPrefix(root, reservedNamespace):
		return errs.Forbiddenf("Attribute '%s' is reserved.", root)
	case c.op == "remove":
		return nil
	case root == "locations":
		return checkLocations(c)
	case root == "min_disk" || root == "min_ram":
		if _, negative := negativeInt(c.value); negative {
			return nil // the schema has no minimum; the domain refuses it when applied
		}
	}
	return applyChecked(&image{Props: map[string]string{}}, root, c.value)
}

// checkLocations validates a locations value (a list, or one location for
// /locations/N) against the image schema.
func checkLocations(c imageChange) error {
	value := c.value
	if len(c.path) == 2 {
		value = json.RawMessage("[" + string(c.value) + "]")
	}
	props, _ := imageSchemaDoc.get("properties")
	def, _ := props.(*jsonObject).get("locations")
	return checkAgainst(def.(*jsonObject), value)
}

// negativeInt reports a negative JSON integer.
func negativeInt(raw json.RawMessage) (int64, bool) {
	var n int64
	if strings.ContainsAny(string(raw), ".eE") || json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	return n, n < 0
}
