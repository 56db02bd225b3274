package compute

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// POST /os-server-external-events: other services (the network and
// volume services) tell compute about an instance. Each event is answered
// with its own code; any event not accepted makes the whole answer 207.

// externalEventNames are the event names accepted at a microversion.
func externalEventNames(r *http.Request) []string {
	names := []string{"network-changed", "network-vif-plugged", "network-vif-unplugged", "network-vif-deleted"}
	if version(r).AtLeast(51) {
		names = append(names, "volume-extended")
	}
	if version(r).AtLeast(76) {
		names = append(names, "power-update")
	}
	return names
}

// eventsNeedingTag are Nova's TAG_REQUIRED events.
var eventsNeedingTag = []string{"volume-extended", "power-update", "accelerator-request-bound"}

// eventStatuses are Nova's EVENT_STATUSES.
var eventStatuses = []string{"failed", "completed", "in-progress"}

// parseExternalEvents checks the body as Nova's schema of the version.
func parseExternalEvents(r *http.Request) ([]jsonObject, error) {
	body, err := decodeObject(r)
	if err != nil {
		return nil, err
	}
	raw, ok := body["events"]
	if !ok {
		return nil, errs.BadRequestf("'events' is a required property")
	}
	if err := onlyKeys("", body, []string{"events"}); err != nil {
		return nil, err
	}
	list, err := schemaArray("events", raw)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, invalidInput("events", raw, "[] should be non-empty")
	}
	out := make([]jsonObject, 0, len(list))
	for n, item := range list {
		ev, err := parseExternalEvent(r, n, item)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// parseExternalEvent checks one event (errors name it by its index).
func parseExternalEvent(r *http.Request, n int, item any) (jsonObject, error) {
	field := strconv.Itoa(n)
	ev, ok := item.(jsonObject)
	if !ok {
		return nil, invalidInput(field, item, pyRepr(item)+" is not of type 'object'")
	}
	if err := requireKeys(field, ev, "server_uuid", "name"); err != nil {
		return nil, err
	}
	if err := onlyKeys(field, ev, []string{"server_uuid", "name", "status", "tag"}); err != nil {
		return nil, err
	}
	if _, err := schemaUUID("server_uuid", ev["server_uuid"]); err != nil {
		return nil, err
	}
	if err := schemaEnum("name", ev["name"], externalEventNames(r)); err != nil {
		return nil, err
	}
	if st, ok := ev["status"]; ok {
		if err := schemaEnum("status", st, eventStatuses); err != nil {
			return nil, err
		}
	}
	if tag, ok := ev["tag"]; ok {
		if _, err := schemaString("tag", tag, 0, 255); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// schemaEnum checks a string that must be one of allowed.
func schemaEnum(field string, v any, allowed []string) error {
	s, ok := v.(string)
	if !ok {
		return invalidInput(field, v, pyRepr(v)+" is not of type 'string'")
	}
	if !slices.Contains(allowed, s) {
		return invalidInput(field, v, pyRepr(v)+" is not one of "+pyRepr(anySlice(allowed)))
	}
	return nil
}

// createExternalEvents is POST /os-server-external-events.
func (s *Service) createExternalEvents(w http.ResponseWriter, r *http.Request) error {
	events, err := parseExternalEvents(r)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "os_compute_api:os-server-external-events:create", map[string]any{}); err != nil {
		return err
	}
	status := http.StatusOK
	var changed []string
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		recorded := map[string]bool{}
		changed = changed[:0]
		for _, ev := range events {
			code, err := s.acceptExternalEvent(tx, r, ev, recorded)
			if err != nil {
				return err
			}
			ev["code"], ev["status"] = code, "completed"
			if code != http.StatusOK {
				ev["status"], status = "failed", http.StatusMultiStatus
			} else if ev["name"] == "network-changed" {
				changed = append(changed, ev["server_uuid"].(string))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(changed)
	if err := s.RefreshNetworkInfo(r.Context(), slices.Compact(changed)...); err != nil {
		s.log.Warn("refreshing network info after network-changed", "err", err)
	}
	return httpx.WriteJSON(w, status, map[string]any{"events": events})
}

// acceptExternalEvent returns an event's code: 404 for an unknown
// instance, 400 for a missing tag, 422 for an instance on no host. A
// volume extension or power update is recorded as an instance action
// (once per instance).
func (s *Service) acceptExternalEvent(tx *db.Tx, r *http.Request, ev jsonObject, recorded map[string]bool) (int, error) {
	uuid, name := ev["server_uuid"].(string), ev["name"].(string)
	i, err := loadInstance(tx, uuid)
	if errs.Is(err, errs.NotFound) {
		return http.StatusNotFound, nil
	}
	if err != nil {
		return 0, err
	}
	tag, hasTag := ev["tag"].(string)
	if slices.Contains(eventsNeedingTag, name) && !hasTag {
		return http.StatusBadRequest, nil
	}
	if i.Host == nil {
		return http.StatusUnprocessableEntity, nil
	}
	action := eventAction(name, tag)
	if action == "" || recorded[uuid+action] {
		return http.StatusOK, nil
	}
	recorded[uuid+action] = true
	_, err = recordAction(tx, uuid, action, httpx.RequestID(r.Context()), projectOf(r), caller(r).UserID, s.now().UnixMicro())
	return http.StatusOK, err
}

// eventAction is the instance action Nova records for an event, if any.
func eventAction(name, tag string) string {
	switch {
	case name == "volume-extended":
		return "extend_volume"
	case name == "power-update" && tag == "POWER_ON":
		return "start"
	case name == "power-update" && tag == "POWER_OFF":
		return "stop"
	}
	return ""
}
