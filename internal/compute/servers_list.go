package compute

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// serverSortColumns maps Nova's valid sort keys to columns; keys Nova
// accepts but this store lacks sort as uuid.
var serverSortColumns = map[string]string{"access_ip_v4": "access_ip_v4", "access_ip_v6": "access_ip_v6",
	"availability_zone": "availability_zone", "config_drive": "config_drive", "created_at": "created_at",
	"display_description": "description", "display_name": "display_name", "host": "host", "hostname": "hostname",
	"image_ref": "image_ref", "instance_type_id": "flavor_id", "key_name": "key_name", "launch_index": "launch_index",
	"launched_at": "launched_at", "locked_by": "locked_by", "node": "node", "power_state": "power_state",
	"progress": "progress", "project_id": "project_id", "root_device_name": "root_device_name",
	"task_state": "task_state", "terminated_at": "terminated_at", "updated_at": "updated_at", "user_id": "user_id",
	"uuid": "uuid", "vm_state": "vm_state", "locked": "locked", "auto_disk_config": "uuid", "kernel_id": "uuid",
	"ramdisk_id": "uuid"}

// ignoredSortKeys are Nova's SERVER_LIST_IGNORE_SORT_KEY: accepted,
// then dropped.
var ignoredSortKeys = []string{"architecture", "cell_name", "cleaned", "default_ephemeral_device",
	"default_swap_device", "deleted", "deleted_at", "disable_terminate", "ephemeral_gb", "ephemeral_key_uuid", "id",
	"key_data", "launched_on", "locked", "memory_mb", "os_type", "reservation_id", "root_gb", "shutdown_terminate",
	"user_data", "vcpus", "vm_mode"}

// joinedTableFilters are Nova's JOINED_TABLE_QUERY_PARAMS_SERVERS.
var joinedTableFilters = []string{"block_device_mapping", "services", "metadata", "system_metadata",
	"info_cache", "security_groups", "pci_devices"}

// serverList is one parsed GET /servers request.
type serverList struct {
	query    *db.Query
	preds    []func(*instance) bool
	sortCols []string
	custom   bool // not the default created_at, uuid order
	limit    int  // page size
	marker   string
	empty    bool // a filter that matches nothing (unknown status before 2.38)
}

// allowedFilters are the filters non-admins may use at v.
func allowedFilters(v httpx.Microversion) []string {
	opts := []string{"reservation_id", "name", "status", "image", "flavor", "ip", "changes-since", "all_tenants"}
	if v.AtLeast(5) {
		opts = append(opts, "ip6")
	}
	if v.AtLeast(26) {
		opts = append(opts, "tags", "tags-any", "not-tags", "not-tags-any")
	}
	if v.AtLeast(66) {
		opts = append(opts, "changes-before")
	}
	if v.AtLeast(73) {
		opts = append(opts, "locked")
	}
	return opts
}

var pagingKeys = []string{"limit", "marker", "sort_key", "sort_dir"}

// listServers is GET /servers.
func (s *Service) listServers(w http.ResponseWriter, r *http.Request) error {
	return s.serveServerList(w, r, false)
}

// listServersDetail is GET /servers/detail.
func (s *Service) listServersDetail(w http.ResponseWriter, r *http.Request) error {
	return s.serveServerList(w, r, true)
}

func (s *Service) serveServerList(w http.ResponseWriter, r *http.Request, detail bool) error {
	rule := "os_compute_api:servers:index"
	if detail {
		rule = "os_compute_api:servers:detail"
	}
	if err := s.enforce(r, rule, callerTarget(r)); err != nil {
		return err
	}
	l, err := s.parseServerList(r, detail)
	if err != nil {
		return err
	}
	var page []*instance
	faults := map[string]*instanceFault{}
	if !l.empty {
		err = s.db.Read(r.Context(), func(tx *db.Tx) error {
			if page, err = l.run(tx); err != nil || !detail {
				return err
			}
			return fillPage(tx, page, version(r), faults)
		})
		if err != nil {
			return err
		}
	}
	return s.writeServerList(w, r, detail, l, page, faults)
}

// fillPage loads the joined rows of a detailed page: one query a table.
func fillPage(tx *db.Tx, page []*instance, v httpx.Microversion, faults map[string]*instanceFault) error {
	if err := fillMetadata(tx, page); err != nil {
		return err
	}
	if v.AtLeast(26) {
		if err := fillTags(tx, page); err != nil {
			return err
		}
	}
	var failed []string
	for _, i := range page {
		if i.VMState == vmError || i.Deleted {
			failed = append(failed, i.UUID)
		}
	}
	got, err := loadFaults(tx, failed)
	for k, f := range got {
		faults[k] = f
	}
	return err
}

func (s *Service) writeServerList(w http.ResponseWriter, r *http.Request, detail bool, l *serverList, page []*instance, faults map[string]*instanceFault) error {
	vc := &viewCtx{r: r, v: version(r), base: s.baseURL(r)}
	path := "/v2.1/servers"
	out := make([]map[string]any, 0, len(page))
	if detail {
		vc = s.newViewCtx(r, callerTarget(r))
		path += "/detail"
	}
	for _, i := range page {
		if !detail {
			out = append(out, vc.serverBrief(i))
			continue
		}
		out = append(out, vc.serverDetail(i, serverExtras{fault: faults[i.UUID], hostStatus: s.hostStatusOf(i)}))
	}
	body := map[string]any{"servers": out}
	if len(page) > 0 {
		if links := collectionLinks(r, vc.base, path, len(page), l.limit, page[len(page)-1].UUID); links != nil {
			body["servers_links"] = links
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, body)
}

// parseServerList turns the query string into conditions, as Nova's
// _get_servers does.
func (s *Service) parseServerList(r *http.Request, detail bool) (*serverList, error) {
	v, admin := version(r), s.isAdmin(r)
	raw := r.URL.Query()
	opts := url.Values{}
	allFilters := s.policy.Check("os_compute_api:servers:allow_all_filters", creds(r), callerTarget(r))
	for k, vals := range raw {
		if slices.Contains(pagingKeys, k) {
			continue
		}
		if allFilters || slices.Contains(allowedFilters(v), k) {
			opts[k] = vals
		}
	}
	for k := range opts {
		if slices.Contains(joinedTableFilters, k) || strings.HasPrefix(k, "_") {
			return nil, errs.BadRequestf("Invalid filter field: %s.", k)
		}
	}
	l := &serverList{query: db.NewQuery(`SELECT ` + instanceColumns + ` FROM compute_instances`)}
	steps := []func(*http.Request, url.Values, bool) error{l.parseStatus, l.parseTimes, l.parseDeleted}
	for _, step := range steps {
		if err := step(r, opts, admin); err != nil {
			return nil, err
		}
	}
	if err := s.parseScope(r, l, opts, detail); err != nil {
		return nil, err
	}
	l.parseColumns(opts, v)
	if err := l.parseSort(raw, v, admin); err != nil {
		return nil, err
	}
	return l, s.parsePaging(raw, l)
}

// parseStatus maps status values to vm_state/task_state conditions.
func (l *serverList) parseStatus(r *http.Request, opts url.Values, admin bool) error {
	statuses, ok := opts["status"]
	if !ok {
		return nil
	}
	var vms, tasks []string
	for _, st := range statuses {
		vm, task := statesOfStatus(strings.ToUpper(st))
		vms, tasks = append(vms, vm...), append(tasks, task...)
	}
	if len(vms) == 0 {
		if version(r).AtLeast(38) {
			return errs.BadRequestf("Invalid status value")
		}
		l.empty = true
		return nil
	}
	if len(vms) == 1 && vms[0] == vmDeleted {
		if !admin {
			return errs.Forbiddenf("Only administrators may list deleted instances")
		}
		opts.Set("deleted", "true")
	}
	in, args := inClause(vms)
	l.query.Where("vm_state IN "+in, args...)
	if !slices.Contains(tasks, "") {
		in, args := inClause(tasks)
		l.query.Where("task_state IN "+in, args...)
	}
	return nil
}

// parseTimes reads changes-since and changes-before (updated_at bounds).
func (l *serverList) parseTimes(_ *http.Request, opts url.Values, _ bool) error {
	var since, before time.Time
	var err error
	if v := opts.Get("changes-since"); v != "" {
		if since, err = parseISOTime(v); err != nil {
			return invalidQuery("changes-since", v, "'"+v+"' is not a 'date-time'")
		}
		l.query.Where("updated_at >= ?", since.UnixMicro())
	}
	if v := opts.Get("changes-before"); v != "" {
		if before, err = parseISOTime(v); err != nil {
			return invalidQuery("changes-before", v, "'"+v+"' is not a 'date-time'")
		}
		if !since.IsZero() && before.Before(since) {
			return errs.BadRequestf("The value of changes-since must be less than or equal to changes-before.")
		}
		l.query.Where("updated_at <= ?", before.UnixMicro())
	}
	return nil
}

func invalidQuery(name, value, why string) error {
	return errs.BadRequestf("Invalid input for query parameters %s. Value: %s. %s", name, value, why)
}

// parseISOTime reads ISO 8601 times as oslo's parse_isotime does.
func parseISOTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999", "2006-01-02T15:04:05",
		"2006-01-02T15:04:05.999999Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errs.BadRequestf("bad time")
}

// parseDeleted applies the deleted filter: without it (and without
// changes-since/before) only live servers.
func (l *serverList) parseDeleted(_ *http.Request, opts url.Values, _ bool) error {
	if v, ok := opts["deleted"]; ok {
		l.query.Where("deleted = ?", strictBool(v[0]))
		return nil
	}
	if _, ok := opts["changes-since"]; ok {
		return nil
	}
	if _, ok := opts["changes-before"]; ok {
		return nil
	}
	l.query.Where("deleted = ?", false)
	return nil
}

// strictBool is oslo's bool_from_string with default False.
func strictBool(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "on", "y", "yes":
		return true
	}
	return false
}

// parseScope limits the list to the caller's project unless an admin
// asks for all_tenants.
func (s *Service) parseScope(r *http.Request, l *serverList, opts url.Values, detail bool) error {
	allTenants := false
	if v, ok := opts["all_tenants"]; ok {
		allTenants = v[0] == "" || strictBool(v[0])
		if v[0] != "" && !strictBool(v[0]) && !isFalseWord(v[0]) {
			return errs.BadRequestf("Invalid value '%s' for all_tenants: it must be a boolean.", v[0])
		}
	}
	if !allTenants {
		opts.Del("tenant_id")
		if p := projectOf(r); p != "" {
			opts.Set("project_id", p)
		} else {
			opts.Set("user_id", caller(r).UserID)
		}
		return nil
	}
	rule := "os_compute_api:servers:index:get_all_tenants"
	if detail {
		rule = "os_compute_api:servers:detail:get_all_tenants"
	}
	if err := s.enforce(r, rule, callerTarget(r)); err != nil {
		return err
	}
	if t := opts.Get("tenant_id"); t != "" && opts.Get("project_id") == "" {
		opts.Set("project_id", t)
	}
	return nil
}

func isFalseWord(s string) bool {
	switch strings.ToLower(s) {
	case "0", "f", "false", "off", "n", "no":
		return true
	}
	return false
}

// exactColumns are filters compared for equality in SQL.
var exactColumns = map[string]string{"project_id": "project_id", "user_id": "user_id", "uuid": "uuid",
	"host": "host", "reservation_id": "reservation_id", "flavor": "flavor_id", "vm_state": "vm_state",
	"task_state": "task_state"}

// regexColumns are filters Nova matches as regular expressions.
var regexColumns = map[string]func(*instance) string{
	"name":              func(i *instance) string { return i.DisplayName },
	"node":              func(i *instance) string { return deref(i.Node) },
	"hostname":          func(i *instance) string { return i.Hostname },
	"key_name":          func(i *instance) string { return deref(i.KeyName) },
	"availability_zone": func(i *instance) string { return deref(i.AvailabilityZone) },
	"access_ip_v4":      func(i *instance) string { return deref(i.AccessIPv4) },
	"access_ip_v6":      func(i *instance) string { return deref(i.AccessIPv6) },
	"config_drive":      func(i *instance) string { return i.ConfigDrive },
	"launch_index":      func(i *instance) string { return strconv.Itoa(i.LaunchIndex) },
	"description":       func(i *instance) string { return deref(i.Description) },
}

// parseColumns adds the per-column filters.
func (l *serverList) parseColumns(opts url.Values, v httpx.Microversion) {
	for key, col := range exactColumns {
		if val, ok := opts[key]; ok {
			l.query.Where(col+" = ?", val[0])
		}
	}
	if img := firstNonEmpty(opts.Get("image"), opts.Get("image_ref")); img != "" {
		l.query.Where("image_ref = ?", idFromHref(img))
	}
	if f := opts.Get("flavor"); f != "" {
		l.query.Where("flavor_id = ?", idFromHref(f))
	}
	if val, ok := opts["locked"]; ok {
		l.query.Where("locked = ?", strictBool(val[0]))
	}
	for key, get := range regexColumns {
		if val, ok := opts[key]; ok {
			re := novaRegex(val[0])
			l.preds = append(l.preds, func(i *instance) bool { return re.MatchString(get(i)) })
		}
	}
	l.addIPFilters(opts)
	if v.AtLeast(26) {
		l.addTagFilters(opts)
	}
}

func novaRegex(expr string) *regexp.Regexp {
	re, err := regexp.Compile(expr)
	if err != nil {
		return regexp.MustCompile(regexp.QuoteMeta(expr))
	}
	return re
}

func (l *serverList) addIPFilters(opts url.Values) {
	for key, v6 := range map[string]bool{"ip": false, "ip6": true} {
		val, ok := opts[key]
		if !ok {
			continue
		}
		re, wantV6 := novaRegex(val[0]), v6
		l.preds = append(l.preds, func(i *instance) bool {
			for _, nic := range i.NetworkInfo {
				for _, ip := range nic.IPs {
					if strings.Contains(ip, ":") == wantV6 && re.MatchString(ip) {
						return true
					}
				}
			}
			return false
		})
	}
}

// addTagFilters adds tags, tags-any, not-tags and not-tags-any (2.26).
func (l *serverList) addTagFilters(opts url.Values) {
	const has = `EXISTS (SELECT 1 FROM compute_instance_tags t WHERE t.instance_uuid = compute_instances.uuid AND t.tag `
	split := func(k string) []string { return strings.Split(opts.Get(k), ",") }
	if _, ok := opts["tags"]; ok {
		for _, t := range split("tags") {
			l.query.Where(has+"= ?)", t)
		}
	}
	if _, ok := opts["tags-any"]; ok {
		in, args := inClause(split("tags-any"))
		l.query.Where(has+"IN "+in+")", args...)
	}
	if _, ok := opts["not-tags"]; ok {
		tags := split("not-tags")
		conds := make([]string, len(tags))
		args := make([]any, len(tags))
		for i, t := range tags {
			conds[i], args[i] = has+"= ?)", t
		}
		l.query.Where("NOT ("+strings.Join(conds, " AND ")+")", args...)
	}
	if _, ok := opts["not-tags-any"]; ok {
		in, args := inClause(split("not-tags-any"))
		l.query.Where("NOT "+has+"IN "+in+")", args...)
	}
}

// parseSort reads sort_key/sort_dir; the default is Nova's created_at
// desc with a unique tie-break.
func (l *serverList) parseSort(q url.Values, v httpx.Microversion, admin bool) error {
	keys, dirs := q["sort_key"], q["sort_dir"]
	var cols []string
	firstDir := "desc"
	for n, k := range keys {
		dir := "desc"
		if n < len(dirs) {
			dir = strings.ToLower(dirs[n])
		}
		if dir != "asc" && dir != "desc" {
			return errs.BadRequestf("Unknown sort direction, must be 'desc' or 'asc'")
		}
		col, known := serverSortColumns[k]
		ignored := slices.Contains(ignoredSortKeys, k) && !(k == "locked" && v.AtLeast(73))
		if !known && !ignored {
			return invalidQuery("sort_key", k, "'"+k+"' is not one of the valid sort keys")
		}
		if ignored {
			continue
		}
		if (k == "host" || k == "node") && !admin {
			return errs.Forbiddenf("Only administrators can sort servers by %s", k)
		}
		if len(cols) == 0 {
			firstDir = dir
		}
		cols = append(cols, col+" "+strings.ToUpper(dir))
	}
	l.custom = len(cols) > 0
	d := strings.ToUpper(firstDir)
	l.sortCols = append(cols, "created_at "+d, "uuid "+d)
	l.query.OrderBy(l.sortCols...)
	return nil
}

func (s *Service) parsePaging(q url.Values, l *serverList) error {
	l.limit = s.opts.ListLimit
	if v, ok := q["limit"]; ok {
		n, err := queryInt("limit", v[0])
		if err != nil {
			return err
		}
		l.limit = min(n, l.limit)
	}
	l.marker = q.Get("marker")
	return nil
}

// run reads one page: keyset after the marker under the default order,
// a scan to the marker under others; Go-side filters stop at a full page.
func (l *serverList) run(tx *db.Tx) ([]*instance, error) {
	var mk *instance
	if l.marker != "" {
		m, err := loadInstance(tx, l.marker)
		if err != nil {
			return nil, errs.BadRequestf("marker [%s] not found", l.marker)
		}
		mk = m
	}
	if l.limit == 0 {
		return nil, nil
	}
	if mk != nil && !l.custom {
		dir := "<"
		if strings.HasSuffix(l.sortCols[0], "ASC") {
			dir = ">"
		}
		l.query.Where("(created_at "+dir+" ? OR (created_at = ? AND uuid "+dir+" ?))", mk.CreatedAt, mk.CreatedAt, mk.UUID)
	}
	if len(l.preds) == 0 && (mk == nil || !l.custom) {
		l.query.Limit(l.limit)
	}
	q, args := l.query.SQL()
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seeking := mk != nil && l.custom
	var page []*instance
	for rows.Next() && len(page) < l.limit {
		i, err := scanInstance(rows)
		if err != nil {
			return nil, err
		}
		if seeking {
			seeking = i.UUID != mk.UUID
			continue
		}
		if l.matches(i) {
			page = append(page, i)
		}
	}
	return page, rows.Err()
}

func (l *serverList) matches(i *instance) bool {
	for _, p := range l.preds {
		if !p(i) {
			return false
		}
	}
	return true
}
