package identity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// CatalogEntry is one service the catalog should list, with the URL of
// its public, internal and admin endpoints.
type CatalogEntry struct {
	Type string
	Name string
	URL  string
}

// BootstrapOptions names what bootstrap creates.
type BootstrapOptions struct {
	AdminUser     string
	AdminPassword string
	AdminProject  string
	Region        string
	Catalog       []CatalogEntry
}

// BootstrapResult reports the ids bootstrap ensured.
type BootstrapResult struct {
	AdminUserID    string
	AdminProjectID string
	Created        []string
}

// Bootstrap makes the identity service usable, and is idempotent: the
// Default domain, the reader/member/admin roles (admin implies member
// implies reader), the admin and service projects, the admin user with
// the admin role on the admin project and the system, the region, and a
// catalog entry per service whose endpoint URLs follow the configuration.
func (s *Service) Bootstrap(ctx context.Context, o BootstrapOptions) (*BootstrapResult, error) {
	res := &BootstrapResult{}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		b := &bootstrapper{s: s, tx: tx, res: res}
		return b.run(o)
	})
	return res, err
}

type bootstrapper struct {
	s   *Service
	tx  *db.Tx
	res *BootstrapResult
}

func (b *bootstrapper) run(o BootstrapOptions) error {
	if err := b.domain(); err != nil {
		return err
	}
	roles := map[string]string{}
	for _, name := range []string{"reader", "member", "admin", "service"} {
		id, err := b.role(name)
		if err != nil {
			return err
		}
		roles[name] = id
	}
	if err := b.implies(roles["admin"], roles["member"]); err != nil {
		return err
	}
	if err := b.implies(roles["member"], roles["reader"]); err != nil {
		return err
	}
	adminProject, err := b.project(o.AdminProject, "Bootstrap project for initializing the cloud.")
	if err != nil {
		return err
	}
	if _, err := b.project("service", "Project for the services' own users."); err != nil {
		return err
	}
	userID, err := b.user(o.AdminUser, o.AdminPassword)
	if err != nil {
		return err
	}
	for _, a := range []struct{ typ, target string }{{userProject, adminProject}, {userSystem, systemTarget}} {
		if _, err := b.tx.Exec(`INSERT INTO identity_assignments (type, actor_id, target_id, role_id, inherited)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, a.typ, userID, a.target, roles["admin"], false); err != nil {
			return err
		}
	}
	if err := b.region(o.Region); err != nil {
		return err
	}
	for _, c := range o.Catalog {
		if err := b.service(c, o.Region); err != nil {
			return err
		}
	}
	b.res.AdminUserID, b.res.AdminProjectID = userID, adminProject
	return nil
}

func (b *bootstrapper) note(format string, args ...any) {
	b.res.Created = append(b.res.Created, fmt.Sprintf(format, args...))
}

func (b *bootstrapper) domain() error {
	d, err := findProjectRow(b.tx, defaultDomainID)
	if err != nil || d != nil {
		return err
	}
	b.note("domain Default")
	return insertProject(b.tx, &project{ID: defaultDomainID, Name: "Default", Description: "The default domain",
		Enabled: true, DomainID: rootDomainID, IsDomain: true})
}

func (b *bootstrapper) role(name string) (string, error) {
	var id string
	err := b.tx.QueryRow("SELECT id FROM identity_roles WHERE name = ? AND domain_id = ?", name, nullDomainID).Scan(&id)
	if err == nil {
		return id, nil
	}
	ro := &role{ID: b.s.newID(), Name: name, Extra: map[string]any{optionsKey: map[string]any{"immutable": true}}}
	b.note("role %s", name)
	return ro.ID, insertRole(b.tx, ro)
}

func (b *bootstrapper) implies(prior, implied string) error {
	_, err := b.tx.Exec("INSERT INTO identity_implied_roles (prior_role_id, implied_role_id) VALUES (?, ?) ON CONFLICT DO NOTHING", prior, implied)
	return err
}

func (b *bootstrapper) project(name, description string) (string, error) {
	p, err := getProjectByName(b.tx, defaultDomainID, name)
	if err == nil {
		return p.ID, nil
	}
	if !errs.Is(err, errs.NotFound) {
		return "", err
	}
	p = &project{ID: b.s.newID(), Name: name, Description: description, Enabled: true,
		DomainID: defaultDomainID, ParentID: defaultDomainID}
	b.note("project %s", name)
	return p.ID, insertProject(b.tx, p)
}

// user ensures the admin user exists, is enabled and has the password.
func (b *bootstrapper) user(name, password string) (string, error) {
	u, err := getUserByName(b.tx, defaultDomainID, name)
	if errs.Is(err, errs.NotFound) {
		u = &user{ID: b.s.newID(), DomainID: defaultDomainID, Name: name, Enabled: true, CreatedAt: b.s.now()}
		b.note("user %s", name)
		if err := insertUser(b.tx, u); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	if !u.Enabled {
		u.Enabled = true
		if err := updateUserRow(b.tx, u); err != nil {
			return "", err
		}
	}
	recent, err := recentPasswords(b.tx, u.ID, 1)
	if err != nil {
		return "", err
	}
	if len(recent) > 0 && checkPassword(recent[0].Hash, password) {
		return u.ID, nil
	}
	hash, err := hashPassword(password, b.s.opts.BcryptCost)
	if err != nil {
		return "", err
	}
	return u.ID, insertPassword(b.tx, b.s.newID(), u.ID, hash, b.s.now(), nil, false)
}

func (b *bootstrapper) region(id string) error {
	_, err := b.tx.Exec("INSERT INTO identity_regions (id, description, extra) VALUES (?, '', '{}') ON CONFLICT DO NOTHING", id)
	return err
}

// service ensures one catalog service and its three endpoints, moving
// their URL when the configuration changed.
func (b *bootstrapper) service(c CatalogEntry, region string) error {
	var id string
	err := b.tx.QueryRow("SELECT id FROM identity_services WHERE type = ? ORDER BY id LIMIT 1", c.Type).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		id = b.s.newID()
		b.note("service %s", c.Type)
		err = insertService(b.tx, &catalogService{ID: id, Type: c.Type, Enabled: true, Extra: map[string]any{"name": c.Name}})
	}
	if err != nil {
		return err
	}
	for _, iface := range []string{"public", "internal", "admin"} {
		n, err := b.tx.ExecAffected("UPDATE identity_endpoints SET url = ? WHERE service_id = ? AND interface = ? AND region_id = ?",
			c.URL, id, iface, region)
		if err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if err := insertEndpoint(b.tx, &endpoint{ID: b.s.newID(), ServiceID: id, Interface: iface, URL: c.URL,
			RegionID: region, Enabled: true}); err != nil {
			return err
		}
	}
	return nil
}
