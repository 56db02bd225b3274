package placement

import (
	"fmt"
	"net/http"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
)

// providerView is a provider as GET /resource_providers/{uuid} shows it.
func providerView(p *provider, v httpx.Microversion) map[string]any {
	url := "/resource_providers/" + p.UUID
	links := []map[string]string{{"rel": "self", "href": url}}
	rels := []string{"inventories", "usages"}
	if v.AtLeast(1) {
		rels = append(rels, "aggregates")
	}
	if v.AtLeast(6) {
		rels = append(rels, "traits")
	}
	if v.AtLeast(11) {
		rels = append(rels, "allocations")
	}
	for _, rel := range rels {
		links = append(links, map[string]string{"rel": rel, "href": url + "/" + rel})
	}
	out := map[string]any{"uuid": p.UUID, "name": p.Name, "generation": p.Generation, "links": links}
	if v.AtLeast(14) {
		out["parent_provider_uuid"] = p.Parent
		out["root_provider_uuid"] = p.Root
	}
	return out
}

// cacheHeaders are the Last-Modified and Cache-Control headers of 1.15+.
func cacheHeaders(w http.ResponseWriter, r *http.Request, micros int64) {
	if !want(r).AtLeast(15) {
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Last-Modified", time.UnixMicro(micros).UTC().Format(http.TimeFormat))
}

// providerInput is the body of POST and PUT /resource_providers.
type providerInput struct {
	Name      string
	UUID      string
	Parent    *string
	HasParent bool
}

func readProviderInput(r *http.Request, create bool) (*providerInput, error) {
	m, err := jsonObject(r)
	if err != nil {
		return nil, err
	}
	allowed := []string{}
	if create {
		allowed = append(allowed, "uuid")
	}
	if want(r).AtLeast(14) {
		allowed = append(allowed, "parent_provider_uuid")
	}
	if err := checkKeys(m, []string{"name"}, allowed...); err != nil {
		return nil, err
	}
	in := &providerInput{}
	if in.Name, err = stringValue(m["name"], 200); err != nil {
		return nil, err
	}
	if u, ok := m["uuid"]; ok {
		if in.UUID, err = uuidValue(u); err != nil {
			return nil, err
		}
	}
	if p, ok := m["parent_provider_uuid"]; ok {
		in.HasParent = true
		if p != nil {
			s, err := uuidValue(p)
			if err != nil {
				return nil, invalid(repr(p) + " is not valid under any of the given schemas")
			}
			in.Parent = &s
		}
	}
	return in, nil
}

// createProvider stores a new provider under parent (if any).
func (s *Service) createProvider(tx *db.Tx, uuid, name string, parent *string) (*provider, error) {
	p := &provider{UUID: uuid, Name: name, Root: uuid}
	fail := func(reason string) error {
		return badRequest(fmt.Sprintf("Unable to create resource provider \"%s\", %s: Object action create failed because: %s", name, uuid, reason))
	}
	if parent != nil {
		if *parent == uuid {
			return nil, fail("parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.")
		}
		pp, err := findProvider(tx, *parent)
		if err != nil {
			return nil, err
		}
		if pp == nil {
			return nil, fail("parent provider UUID does not exist.")
		}
		p.Parent, p.Root = parent, pp.Root
	}
	if err := s.insertProvider(tx, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Service) createProviderHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:create"); err != nil {
		return err
	}
	in, err := readProviderInput(r, true)
	if err != nil {
		return err
	}
	if in.UUID == "" {
		in.UUID = s.newID()
	}
	var p *provider
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err = s.createProvider(tx, in.UUID, in.Name, in.Parent)
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/resource_providers/"+p.UUID)
	if !want(r).AtLeast(20) {
		w.WriteHeader(http.StatusCreated)
		return nil
	}
	cacheHeaders(w, r, p.Updated)
	return httpx.WriteJSON(w, http.StatusOK, providerView(p, want(r)))
}

func (s *Service) showProvider(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:show"); err != nil {
		return err
	}
	var p *provider
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		p, err = mustProvider(tx, r.PathValue("uuid"))
		return err
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, p.Updated)
	return httpx.WriteJSON(w, http.StatusOK, providerView(p, want(r)))
}

func (s *Service) deleteProviderHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:delete"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		p, err := findProvider(tx, uuid)
		if err != nil {
			return err
		}
		if p == nil {
			return notFound("No resource provider with uuid " + uuid + " found for delete")
		}
		return deleteProviderRow(tx, uuid)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) updateProviderHandler(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "placement:resource_providers:update"); err != nil {
		return err
	}
	uuid := r.PathValue("uuid")
	var p *provider
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		p, err = mustProvider(tx, uuid)
		return err
	})
	if err != nil {
		return err
	}
	in, err := readProviderInput(r, false)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), func(tx *db.Tx) (err error) {
		p, err = s.updateProvider(tx, uuid, in, want(r).AtLeast(37))
		return err
	})
	if err != nil {
		return err
	}
	cacheHeaders(w, r, p.Updated)
	return httpx.WriteJSON(w, http.StatusOK, providerView(p, want(r)))
}

// updateProvider renames a provider and applies upstream's parent rules:
// a root may gain a parent; re-parenting and un-parenting need 1.37; no loops.
func (s *Service) updateProvider(tx *db.Tx, uuid string, in *providerInput, reparent bool) (*provider, error) {
	p, err := mustProvider(tx, uuid)
	if err != nil {
		return nil, err
	}
	fail := func(action, reason string) error {
		return badRequest(fmt.Sprintf("Unable to save resource provider %s: Object action %s failed because: %s", uuid, action, reason))
	}
	newRoot := ""
	if in.HasParent && !samePtr(in.Parent, p.Parent) {
		if in.Parent == nil {
			if !reparent {
				return nil, fail("update", "un-parenting a provider is not currently allowed.")
			}
			newRoot = p.UUID
		} else {
			pp, err := findProvider(tx, *in.Parent)
			if err != nil {
				return nil, err
			}
			if pp == nil {
				return nil, fail("create", "parent provider UUID does not exist.")
			}
			if p.Parent != nil && !reparent {
				return nil, fail("update", "re-parenting a provider is not currently allowed.")
			}
			sub, err := subtree(tx, p.UUID)
			if err != nil {
				return nil, err
			}
			if sub[pp.UUID] {
				return nil, fail("update", "creating loop in the provider tree is not allowed.")
			}
			newRoot = pp.Root
		}
	}
	if taken, err := tx.Exists("SELECT 1 FROM placement_providers WHERE name = ? AND uuid <> ?", in.Name, uuid); err != nil || taken {
		if err != nil {
			return nil, err
		}
		return nil, conflict("Conflicting resource provider "+in.Name+" already exists.", codeDuplicateName)
	}
	now := s.now().UnixMicro()
	if newRoot != "" {
		if err := setSubtreeRoot(tx, p.UUID, newRoot); err != nil {
			return nil, err
		}
		p.Parent, p.Root = in.Parent, newRoot
	}
	if _, err := tx.Exec("UPDATE placement_providers SET name = ?, parent_uuid = ?, updated_at = ? WHERE uuid = ?", in.Name, p.Parent, now, uuid); err != nil {
		return nil, err
	}
	p.Name, p.Updated = in.Name, now
	return p, nil
}

func samePtr(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// subtree is the set of a provider and all its descendants.
func subtree(tx *db.Tx, uuid string) (map[string]bool, error) {
	out := map[string]bool{uuid: true}
	frontier := []string{uuid}
	for len(frontier) > 0 {
		kids, err := tx.Strings("SELECT uuid FROM placement_providers WHERE parent_uuid = ?", frontier[0])
		if err != nil {
			return nil, err
		}
		frontier = append(frontier[1:], kids...)
		for _, k := range kids {
			out[k] = true
		}
	}
	return out, nil
}

// setSubtreeRoot moves a provider and its descendants under a new root.
func setSubtreeRoot(tx *db.Tx, uuid, root string) error {
	sub, err := subtree(tx, uuid)
	if err != nil {
		return err
	}
	for _, u := range sortedKeys(sub) {
		if _, err := tx.Exec("UPDATE placement_providers SET root_uuid = ? WHERE uuid = ?", root, u); err != nil {
			return err
		}
	}
	return nil
}
