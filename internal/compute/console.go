package compute

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// consoleControlChars are removed from console output, as Nova does.
var consoleControlChars = regexp.MustCompile("[\x00-\x08\x0B-\x1F]")

// actionConsoleOutput is {"os-getConsoleOutput": {"length": n}}: a bus
// call to the instance's host.
func (s *Service) actionConsoleOutput(w http.ResponseWriter, r *http.Request, id string, arg any) error {
	length, err := consoleLength(arg)
	if err != nil {
		return err
	}
	var inst *instance
	err = s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		if inst, err = s.visibleInstance(tx, r, id); err != nil {
			return err
		}
		return s.enforce(r, "os_compute_api:os-console-output", map[string]any{"project_id": inst.ProjectID})
	})
	if err != nil {
		return err
	}
	host := deref(inst.Host)
	if host == "" {
		return errs.Conflictf("Instance %s is not ready", id)
	}
	if s.bus == nil {
		return errs.NotFoundf("Guest does not have a console available.")
	}
	var reply computerpc.ConsoleOutputReply
	err = s.bus.Call(r.Context(), computerpc.HostSubject(host), computerpc.ConsoleOutput{InstanceUUID: id, Length: length}, &reply)
	if errs.Is(err, errs.NotFound) {
		return errs.NotFoundf("Guest does not have a console available.")
	}
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"output": consoleControlChars.ReplaceAllString(reply.Output, "")})
}

// consoleLength reads "length": an integer (or digit string) ≥ -1; -1 and
// null mean everything.
func consoleLength(arg any) (int, error) {
	obj, ok := arg.(jsonObject)
	if !ok {
		return 0, invalidInput("os-getConsoleOutput", arg, pyRepr(arg)+" is not of type 'object'")
	}
	if err := onlyKeys("os-getConsoleOutput", obj, []string{"length"}); err != nil {
		return 0, err
	}
	raw, ok := obj["length"]
	if !ok || raw == nil {
		return 0, nil
	}
	n, err := strconv.Atoi(pyStr(raw))
	if _, isBool := raw.(bool); err != nil || isBool {
		return 0, invalidInput("length", raw, pyRepr(raw)+" does not match '^-?[0-9]+$'")
	}
	if n < -1 {
		return 0, invalidInput("length", raw, pyRepr(raw)+" is less than the minimum of -1")
	}
	return max(n, 0), nil
}
