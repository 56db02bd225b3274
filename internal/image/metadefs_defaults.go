package image

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// The built-in metadata definitions: our own definitions of the namespaces
// Glance ships (same names, resource type associations, property names,
// types, enums and defaults; our own descriptions), one JSON file each.
// Glance's loader owns them by "admin" and leaves updated_at unset; the
// resource types they name are protected.

//go:embed metadefs_defaults/*.json
var defaultMetadefFiles embed.FS

// defaultMetadefOwner is the owner Glance's loader gives its namespaces.
const defaultMetadefOwner = "admin"

// standardResourceTypes are created first, so that they list in this order.
var standardResourceTypes = []string{"OS::Glance::Image", "OS::Cinder::Volume", "OS::Nova::Server",
	"OS::Nova::Aggregate", "OS::Nova::Flavor", "OS::Trove::Instance"}

// LoadDefaultMetadefs installs the built-in namespaces not installed
// before. It runs at every start: a namespace is installed once, so one
// an operator deleted or replaced stays as they left it, and a namespace
// that already exists by name is left alone.
func (s *Service) LoadDefaultMetadefs(ctx context.Context) error {
	bodies, err := defaultMetadefBodies()
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err = s.db.Write(ctx, func(tx *db.Tx) error { return s.installDefaults(tx, bodies) })
		// Another controller installing at the same time wins; look again.
		if attempt < 3 && (errors.Is(err, db.ErrConflict) || errs.Is(err, errs.Conflict)) {
			continue
		}
		return err
	}
}

// defaultMetadefBodies reads and checks the built-in definitions.
func defaultMetadefBodies() ([]*jsonObject, error) {
	files, err := fs.Glob(defaultMetadefFiles, "metadefs_defaults/*.json")
	if err != nil {
		return nil, err
	}
	var out []*jsonObject
	for _, f := range files {
		b, err := defaultMetadefFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		v, err := parseOrdered(b)
		if err != nil {
			return nil, fmt.Errorf("metadefs %s: %w", path.Base(f), err)
		}
		body, ok := v.(*jsonObject)
		if !ok {
			return nil, fmt.Errorf("metadefs %s: not a JSON object", path.Base(f))
		}
		if err := checkSchema("namespace", metadefSchemaDocs()["namespace"], body); err != nil {
			return nil, fmt.Errorf("metadefs %s: %w", path.Base(f), err)
		}
		out = append(out, body)
	}
	return out, nil
}

func (s *Service) installDefaults(tx *db.Tx, bodies []*jsonObject) error {
	now := s.now()
	for _, rt := range standardResourceTypes {
		if err := ensureResourceType(tx, rt, true, now, nil); err != nil {
			return err
		}
	}
	for _, body := range bodies {
		if err := s.installDefault(tx, body); err != nil {
			return err
		}
	}
	return nil
}

// installDefault installs one built-in namespace unless it was installed
// before or its name is taken, and records it.
func (s *Service) installDefault(tx *db.Tx, body *jsonObject) error {
	name := *optionalString(body, "namespace")
	done, err := tx.Exists("SELECT 1 FROM image_metadef_defaults WHERE namespace = ?", name)
	if err != nil || done {
		return err
	}
	taken, err := tx.Exists("SELECT 1 FROM image_metadef_namespaces WHERE namespace = ?", name)
	if err != nil {
		return err
	}
	now := s.now()
	if !taken {
		in, err := readNamespaceInput(body, defaultMetadefOwner, s.newID(), now)
		if err != nil {
			return fmt.Errorf("metadefs %s: %w", name, err)
		}
		in.markSeeded()
		if err := insertNamespaceInput(tx, in); err != nil {
			return err
		}
	}
	_, err = tx.Exec("INSERT INTO image_metadef_defaults (namespace, installed_at) VALUES (?, ?)", name, micros(now))
	return err
}

// markSeeded makes the rows look as Glance's loader leaves them: created,
// never updated.
func (in *namespaceInput) markSeeded() {
	in.seeded = true
	in.ns.UpdatedAt = nil
	for _, a := range in.assocs {
		a.UpdatedAt = nil
	}
	for _, o := range in.objects {
		o.UpdatedAt = nil
	}
	for _, t := range in.tags {
		t.UpdatedAt = nil
	}
}
