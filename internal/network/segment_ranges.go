package network

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// rangeResource is the network-segment-range extension's attribute map.
var rangeResource = NewResource("network_segment_range", "network_segment_ranges", concat([]Attr{
	{Name: "id", Filter: true, Sort: true},
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "default", Convert: toBool},
	{Name: "shared", Post: true, Default: true, Convert: toBool},
	{Name: "project_id", Post: true, Filter: true, Sort: true, Validate: maxStringOrNone(255)},
	{Name: "tenant_id", Post: true, Filter: true, Sort: true, Validate: maxStringOrNone(255)},
	{Name: "network_type", Post: true, Required: true, Filter: true, Validate: oneOf("vlan", "vxlan", "gre", "geneve")},
	{Name: "physical_network", Post: true, Filter: true, Validate: maxStringOrNone(64)},
	{Name: "minimum", Post: true, Put: true, Required: true, Convert: toInt, Validate: inRange(ml2.MinGRE, ml2.MaxGRE)},
	{Name: "maximum", Post: true, Put: true, Required: true, Convert: toInt, Validate: inRange(ml2.MinGRE, ml2.MaxGRE)},
	{Name: "used"},
	{Name: "available"},
}, stdAttrDefs()))

// segRange is a stored network segment range.
type segRange struct {
	ID, Name, Type, PhysNet string
	Default, Shared         bool
	ProjectID               *string
	ml2.Range
	Std StdAttrs
}

const rangeCols = `id, name, is_default, shared, project_id, network_type, physical_network, minimum, maximum,
	description, created_at, updated_at, revision_number`

func scanRange(sc interface{ Scan(...any) error }) (*segRange, error) {
	g := &segRange{}
	var project, physnet sql.NullString
	err := sc.Scan(&g.ID, &g.Name, &g.Default, &g.Shared, &project, &g.Type, &physnet, &g.Min, &g.Max,
		&g.Std.Description, &g.Std.CreatedAt, &g.Std.UpdatedAt, &g.Std.Revision)
	if project.Valid {
		g.ProjectID = &project.String
	}
	g.PhysNet = physnet.String
	return g, err
}

func getRange(tx *db.Tx, id string) (*segRange, error) {
	g, err := scanRange(tx.QueryRow(`SELECT `+rangeCols+` FROM network_segment_ranges WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, neutronerr.New("NetworkSegmentRangeNotFound", "Network Segment Range %s could not be found.", id)
	}
	return g, err
}

// rangeDict renders a range with its used and available ids.
func rangeDict(tx *db.Tx, g *segRange) (map[string]any, error) {
	used, err := usedInRange(tx, g)
	if err != nil {
		return nil, err
	}
	available := []int64{}
	if g.Max-g.Min < 1<<20 { // the full list upstream shows, within reason
		for id := g.Min; id <= g.Max; id++ {
			if _, taken := used[fmt.Sprint(id)]; !taken {
				available = append(available, id)
			}
		}
	}
	m := map[string]any{"id": g.ID, "name": g.Name, "default": g.Default, "shared": g.Shared,
		"project_id": g.ProjectID, "tenant_id": g.ProjectID, "network_type": g.Type,
		"physical_network": nilIfEmpty(g.PhysNet), "minimum": g.Min, "maximum": g.Max,
		"used": used, "available": available}
	g.Std.put(m)
	return m, nil
}

// usedInRange maps each allocated id of a range to its network's project.
func usedInRange(tx *db.Tx, g *segRange) (map[string]string, error) {
	rows, err := tx.Query(`SELECT a.segmentation_id, n.project_id FROM network_segment_allocations a
		JOIN network_segments s ON s.id = a.segment_id JOIN network_networks n ON n.id = s.network_id
		WHERE a.network_type = ? AND a.physical_network = ? AND a.segmentation_id BETWEEN ? AND ?`,
		g.Type, g.PhysNet, g.Min, g.Max)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id int64
		var project string
		if err := rows.Scan(&id, &project); err != nil {
			return nil, err
		}
		out[fmt.Sprint(id)] = project
	}
	return out, rows.Err()
}

func (s *Service) listRanges(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "get_network_segment_range", map[string]any{}, nil); err != nil {
		return err
	}
	lq, err := parseListQuery(r, rangeResource)
	if err != nil {
		return err
	}
	var items []map[string]any
	err = s.db.Read(r.Context(), func(tx *db.Tx) error {
		items, err = allRangeDicts(tx)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeList(w, r, rangeResource, items, lq, nil)
}

func allRangeDicts(tx *db.Tx) ([]map[string]any, error) {
	rows, err := tx.Query(`SELECT ` + rangeCols + ` FROM network_segment_ranges ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	var ranges []*segRange
	for rows.Next() {
		g, err := scanRange(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ranges = append(ranges, g)
	}
	rows.Close()
	ids := make([]string, len(ranges))
	for i, g := range ranges {
		ids[i] = g.ID
	}
	tags, err := loadTags(tx, "network_segment_ranges", ids)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(ranges))
	for i, g := range ranges {
		g.Std.Tags = tags[g.ID]
		if out[i], err = rangeDict(tx, g); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readRange reads a range an admin may see, for show and tags.
func (s *Service) readRange(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	if err := s.enforce(r, "get_network_segment_range", map[string]any{}, nil); err != nil {
		return nil, err
	}
	g, err := getRange(tx, id)
	if err != nil {
		return nil, err
	}
	tags, err := loadTags(tx, "network_segment_ranges", []string{id})
	if err != nil {
		return nil, err
	}
	g.Std.Tags = tags[id]
	return rangeDict(tx, g)
}

func (s *Service) showRange(w http.ResponseWriter, r *http.Request) error {
	var m map[string]any
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		m, err = s.readRange(r, tx, r.PathValue("range_id"))
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"network_segment_range": selectFields(m, nonEmpty(r.URL.Query()["fields"]))})
}

// checkRangeBounds is verify_vlan_range / verify_tunnel_range.
func checkRangeBounds(typ string, min, max int64) error {
	if typ == ml2.TypeVLAN {
		for _, tag := range []int64{min, max} {
			if tag < ml2.MinVLAN || tag > ml2.MaxVLAN {
				return neutronerr.New("NetworkVlanRangeError", "Invalid network VLAN range: '%d:%d' - '%d is not a valid VLAN tag'.", min, max, tag)
			}
		}
		if max < min {
			return neutronerr.New("NetworkVlanRangeError", "Invalid network VLAN range: '%d:%d' - 'End of VLAN range is less than start of VLAN range'.", min, max)
		}
		return nil
	}
	limit := map[string]int64{ml2.TypeVXLAN: ml2.MaxVNI, ml2.TypeGRE: ml2.MaxGRE, "geneve": 1<<24 - 1}[typ]
	for _, id := range []int64{min, max} {
		if id < 1 || id > limit {
			return neutronerr.New("NetworkTunnelRangeError", "Invalid network tunnel range: '%d:%d' - %d is not a valid %s identifier.", min, max, id, typ)
		}
	}
	if max < min {
		return neutronerr.New("NetworkTunnelRangeError", "Invalid network tunnel range: '%d:%d' - End of tunnel range is less than start of tunnel range.", min, max)
	}
	return nil
}

func oneOf(values ...string) func(any) string {
	return func(v any) string {
		s, _ := v.(string)
		for _, x := range values {
			if s == x {
				return ""
			}
		}
		quoted := make([]string, len(values))
		for i, x := range values {
			quoted[i] = "'" + x + "'"
		}
		return fmt.Sprintf("%s is not in [%s]", pyReprValue(v), strings.Join(quoted, ", "))
	}
}

func inRange(lo, hi int64) func(any) string {
	return func(v any) string {
		i, _ := v.(int64)
		if i < lo || i > hi {
			return fmt.Sprintf("'%d' is not in range %d through %d", i, lo, hi)
		}
		return ""
	}
}
