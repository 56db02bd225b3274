package network

import (
	"net/http"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// taggable is a resource type the tags API serves (standard-attr-tag).
type taggable struct {
	Path   string // URL collection ("security-groups")
	Type   string // resource type in network_tags ("security_groups")
	Table  string // the resource's table, whose revision a tag change bumps
	Update string // the rule that allows changing the resource
	// Read returns the resource's dict when the caller may see it.
	Read func(s *Service, r *http.Request, tx *db.Tx, id string) (map[string]any, error)
}

// taggables lists the resource types with tags; each resource adds its line.
var taggables = []taggable{
	{Path: "networks", Type: "networks", Table: "network_networks", Update: "update_network",
		Read: func(s *Service, r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
			n, err := getNetwork(tx, id, s.scope(r))
			if err != nil {
				return nil, err
			}
			if m, ok := s.showable(r, n); ok {
				return m, nil
			}
			return nil, neutronerr.NetworkNotFound(id)
		}},
	{Path: "segments", Type: "segments", Table: "network_segments", Update: "update_segment",
		Read: (*Service).readSegment},
	{Path: "network_segment_ranges", Type: "network_segment_ranges", Table: "network_segment_ranges",
		Update: "update_network_segment_range", Read: (*Service).readRange},
	{Path: "subnets", Type: "subnets", Table: "network_subnets", Update: "update_subnet",
		Read: func(s *Service, r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
			sub, err := getSubnet(tx, id, s.scope(r))
			if err != nil {
				return nil, err
			}
			if m, ok := s.subnetView(r, sub); ok {
				return m, nil
			}
			return nil, neutronerr.SubnetNotFound(id)
		}},
	{Path: "ports", Type: "ports", Table: "network_ports", Update: "update_port",
		Read: func(s *Service, r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
			p, err := getPort(tx, id, s.scope(r))
			if err != nil {
				return nil, err
			}
			if m, ok := s.portView(r, p); ok {
				return m, nil
			}
			return nil, neutronerr.PortNotFound(id)
		}},
	{Path: "subnetpools", Type: "subnetpools", Table: "network_subnetpools", Update: "update_subnetpool", Read: (*Service).readSubnetPool},
	{Path: "routers", Type: "routers", Table: "network_routers", Update: "update_router", Read: (*Service).readRouter},
	{Path: "floatingips", Type: "floatingips", Table: "network_floatingips", Update: "update_floatingip", Read: (*Service).readFloatingIP},
	{Path: "trunks", Type: "trunks", Table: "network_trunks", Update: "update_trunk", Read: (*Service).readTrunk},
	{Path: "security-groups", Type: "security_groups", Table: "network_security_groups", Update: "update_security_group", Read: (*Service).readSecurityGroup},
	{Path: "policies", Type: "policies", Table: "network_qos_policies", Update: "update_policy", Read: (*Service).readQoSPolicy},
}

// addTagRoutes adds the tags routes of every taggable type.
func (s *Service) addTagRoutes(add func(method, pattern string, h httpx.HandlerFunc)) {
	for _, t := range taggables {
		base := "/v2.0/" + t.Path + "/{id}/tags"
		add("GET", base, s.listTags(t))
		add("PUT", base, s.replaceTags(t))
		add("DELETE", base, s.clearTags(t))
		add("GET", base+"/{tag}", s.showTag(t))
		add("PUT", base+"/{tag}", s.addTag(t))
		add("DELETE", base+"/{tag}", s.removeTag(t))
	}
}

// tagged reads a resource's tags after checking the caller may see it
// (and, for changes, update it); resource not found is TagResourceNotFound.
func (s *Service) tagged(r *http.Request, tx *db.Tx, t taggable, write bool) ([]string, error) {
	id := r.PathValue("id")
	m, err := t.Read(s, r, tx, id)
	if ne, ok := neutronerr.As(err); ok && ne.Status == http.StatusNotFound {
		return nil, neutronerr.New("TagResourceNotFound", "Resource %s %s could not be found.", t.Type, id)
	}
	if err != nil {
		return nil, err
	}
	if write {
		if err := s.enforce(r, t.Update, m, nil); err != nil {
			return nil, err
		}
	}
	tags, err := loadTags(tx, t.Type, []string{id})
	return tags[id], err
}

func (s *Service) listTags(t taggable) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var tags []string
		err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
			tags, err = s.tagged(r, tx, t, false)
			return err
		})
		if err != nil {
			return err
		}
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{"tags": nonNil(tags)})
	}
}

func (s *Service) showTag(t taggable) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tag := r.PathValue("tag")
		if err := validTag(tag); err != nil {
			return err
		}
		err := s.db.Read(r.Context(), func(tx *db.Tx) error {
			tags, err := s.tagged(r, tx, t, false)
			if err == nil && !slices.Contains(tags, tag) {
				err = neutronerr.New("TagNotFound", "Tag %s could not be found.", tag)
			}
			return err
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Service) addTag(t taggable) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tag := r.PathValue("tag")
		if err := validTag(tag); err != nil {
			return err
		}
		err := s.db.Write(r.Context(), func(tx *db.Tx) error {
			tags, err := s.tagged(r, tx, t, true)
			if err != nil || slices.Contains(tags, tag) {
				return err
			}
			return s.setTags(tx, t, r.PathValue("id"), append(tags, tag))
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusCreated)
		return nil
	}
}

func (s *Service) replaceTags(t taggable) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tags, err := decodeTags(r)
		if err != nil {
			return err
		}
		err = s.db.Write(r.Context(), func(tx *db.Tx) error {
			if _, err := s.tagged(r, tx, t, true); err != nil {
				return err
			}
			return s.setTags(tx, t, r.PathValue("id"), tags)
		})
		if err != nil {
			return err
		}
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{"tags": tags})
	}
}

func (s *Service) removeTag(t taggable) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tag := r.PathValue("tag")
		if err := validTag(tag); err != nil {
			return err
		}
		err := s.db.Write(r.Context(), func(tx *db.Tx) error {
			tags, err := s.tagged(r, tx, t, true)
			if err != nil {
				return err
			}
			if !slices.Contains(tags, tag) {
				return neutronerr.New("TagNotFound", "Tag %s could not be found.", tag)
			}
			return s.setTags(tx, t, r.PathValue("id"), slices.DeleteFunc(tags, func(x string) bool { return x == tag }))
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Service) clearTags(t taggable) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := s.db.Write(r.Context(), func(tx *db.Tx) error {
			if _, err := s.tagged(r, tx, t, true); err != nil {
				return err
			}
			return s.setTags(tx, t, r.PathValue("id"), nil)
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// setTags replaces a resource's tags and bumps its revision.
func (s *Service) setTags(tx *db.Tx, t taggable, id string, tags []string) error {
	if err := deleteTags(tx, t.Type, id); err != nil {
		return err
	}
	for _, tag := range tags {
		if _, err := tx.Exec(`INSERT INTO network_tags (resource_type, resource_id, tag) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, t.Type, id, tag); err != nil {
			return err
		}
	}
	_, err := tx.Exec(`UPDATE `+t.Table+` SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?`,
		micros(s.now()), id)
	return err
}

// validTag is validate_tag: a string of at most 255 characters.
func validTag(tag string) error {
	if reason := maxString(255)(tag); reason != "" {
		return neutronerr.InvalidInput(reason)
	}
	return nil
}

// decodeTags reads {"tags": [...]} (validate_tags).
func decodeTags(r *http.Request) ([]string, error) {
	var body map[string]any
	if err := httpx.DecodeJSON(r, &body); err != nil {
		return nil, neutronerr.InvalidInput("Invalid tags body")
	}
	list, ok := body["tags"]
	if !ok {
		return nil, neutronerr.InvalidInput("Invalid tags body")
	}
	if reason := stringList(255)(list); reason != "" {
		return nil, neutronerr.InvalidInput(reason)
	}
	out := []string{}
	for _, t := range list.([]any) {
		out = append(out, t.(string))
	}
	return out, nil
}
