package image

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

var memberStatuses = []string{"pending", "accepted", "rejected"}

// readMembersBody reads a members API body as Glance's JSON deserializer
// does: present, valid JSON, and an object or a list; isObject is false for
// a list, which has no keys to read.
func readMembersBody(r *http.Request) (body map[string]json.RawMessage, isObject bool, err error) {
	b, err := httpx.ReadBody(r)
	if err != nil {
		return nil, false, err
	}
	if len(b) == 0 {
		return nil, false, errs.BadRequestf("Body expected in request.")
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, false, errs.BadRequestf("Malformed JSON in request body.")
	}
	switch v.(type) {
	case map[string]any:
		err := json.Unmarshal(b, &body)
		return body, true, err
	case []any:
		return nil, false, nil
	}
	return nil, false, errs.BadRequestf("Unexpected body type. Expected list/dict.")
}

// readNewMember reads {"member": "<project id>"}. Upstream also takes
// other non-empty JSON values (storing numbers as text, failing with a 500
// on lists and objects); only strings are taken here.
func readNewMember(r *http.Request) (string, error) {
	body, isObject, err := readMembersBody(r)
	if err != nil {
		return "", err
	}
	form := errs.BadRequestf(`Expected a member in the form: {"member": "image_id"}`)
	if !isObject {
		return "", form
	}
	raw, ok := body["member"]
	if !ok {
		return "", errs.BadRequestf("Member to be added not specified")
	}
	if pyFalsy(raw) {
		return "", errs.BadRequestf("Member can't be empty")
	}
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		return "", form
	}
	return id, nil
}

// readMemberStatus reads {"status": ...}; the value is checked later, after
// the lookups, as upstream.
func readMemberStatus(r *http.Request) (json.RawMessage, error) {
	body, isObject, err := readMembersBody(r)
	if err != nil {
		return nil, err
	}
	if !isObject {
		return nil, errs.BadRequestf(`Expected a status in the form: {"status": "status"}`)
	}
	raw, ok := body["status"]
	if !ok {
		return nil, errs.BadRequestf("Status not specified")
	}
	return raw, nil
}

// memberStatus checks a requested membership status.
func memberStatus(raw json.RawMessage) (string, error) {
	var status string
	if err := json.Unmarshal(raw, &status); err != nil || !slices.Contains(memberStatuses, status) {
		return "", errs.BadRequestf(`Incorrect request: Status must be "pending", "accepted" or "rejected".`)
	}
	return status, nil
}

// pyFalsy tells whether a JSON value is false in Python: null, false, 0,
// "", [] and {}.
func pyFalsy(raw json.RawMessage) bool {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return false
	}
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
