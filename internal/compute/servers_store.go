package compute

import (
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// instanceFault is a compute_instance_faults row.
type instanceFault struct {
	Code      int
	Message   string
	Details   string
	CreatedAt int64
}

// view is the server's "fault": details only for admins or non-500s.
func (f *instanceFault) view(admin bool) map[string]any {
	out := map[string]any{"code": f.Code, "created": serverTime(f.CreatedAt), "message": f.Message}
	if f.Details != "" && (admin || f.Code != 500) {
		out["details"] = f.Details
	}
	return out
}

// inClause is "(?, ?, …)" with args for ids.
func inClause(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + db.Placeholders(len(ids)) + ")", args
}

// loadFaults returns the latest fault of each instance.
func loadFaults(tx *db.Tx, uuids []string) (map[string]*instanceFault, error) {
	out := map[string]*instanceFault{}
	if len(uuids) == 0 {
		return out, nil
	}
	in, args := inClause(uuids)
	rows, err := tx.Query(`SELECT instance_uuid, code, message, details, created_at FROM compute_instance_faults
		WHERE instance_uuid IN `+in+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uuid string
		var f instanceFault
		if err := rows.Scan(&uuid, &f.Code, &f.Message, &f.Details, &f.CreatedAt); err != nil {
			return nil, err
		}
		out[uuid] = &f
	}
	return out, rows.Err()
}

// fillMetadata loads the metadata of many instances in one query.
func fillMetadata(tx *db.Tx, insts []*instance) error {
	if len(insts) == 0 {
		return nil
	}
	byID := indexInstances(insts)
	for _, i := range insts {
		i.Metadata = map[string]string{}
	}
	in, args := inClause(keysOf(byID))
	rows, err := tx.Query(`SELECT instance_uuid, key, value FROM compute_instance_metadata WHERE instance_uuid IN `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, k, v string
		if err := rows.Scan(&id, &k, &v); err != nil {
			return err
		}
		byID[id].Metadata[k] = v
	}
	return rows.Err()
}

// fillTags loads the tags of many instances in one query.
func fillTags(tx *db.Tx, insts []*instance) error {
	if len(insts) == 0 {
		return nil
	}
	byID := indexInstances(insts)
	for _, i := range insts {
		i.Tags = []string{}
	}
	in, args := inClause(keysOf(byID))
	rows, err := tx.Query(`SELECT instance_uuid, tag FROM compute_instance_tags WHERE instance_uuid IN `+in+` ORDER BY tag`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, tag)
	}
	return rows.Err()
}

func indexInstances(insts []*instance) map[string]*instance {
	m := make(map[string]*instance, len(insts))
	for _, i := range insts {
		m[i.UUID] = i
	}
	return m
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// groupsOfInstance lists the server groups an instance belongs to.
func groupsOfInstance(tx *db.Tx, uuid string) ([]string, error) {
	return tx.Strings(`SELECT group_uuid FROM compute_server_group_members WHERE instance_uuid = ?`, uuid)
}

// hostStatusOf is Nova's host_status: UP, DOWN, UNKNOWN or "" without a
// host.
func (s *Service) hostStatusOf(i *instance) string {
	host := deref(i.Host)
	switch {
	case host == "":
		return ""
	case s.opts.Liveness == nil:
		return "UNKNOWN"
	case s.opts.Liveness.Up(computerpc.ServiceName, host):
		return "UP"
	}
	return "DOWN"
}
