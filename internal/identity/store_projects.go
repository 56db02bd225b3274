package identity

import (
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
)

// rootDomainID is the domain_id every domain row carries, as upstream.
const rootDomainID = "<<keystone.domain.root>>"

// defaultDomainID is the id of the Default domain.
const defaultDomainID = "default"

// project is a row of identity_projects: a project, or a domain when
// IsDomain is set.
type project struct {
	ID          string
	Name        string
	Description string
	Enabled     bool
	DomainID    string
	ParentID    string
	IsDomain    bool
	Extra       map[string]any
	Tags        []string
}

const projectColumns = "id, name, description, enabled, domain_id, parent_id, is_domain, extra"

// projectSelect reads a project row with its tags in the same statement
// (tags cannot contain commas).
const projectSelect = projectColumns + ", (SELECT string_agg(t.name, ',') FROM identity_project_tags t WHERE t.project_id = identity_projects.id)"

func scanProject(sc interface{ Scan(...any) error }) (*project, error) {
	var p project
	var parent sql.NullString
	var extra string
	var tags sql.NullString
	if err := sc.Scan(&p.ID, &p.Name, &p.Description, &p.Enabled, &p.DomainID, &parent, &p.IsDomain, &extra, &tags); err != nil {
		return nil, err
	}
	p.ParentID = parent.String
	p.Extra = unmarshalExtra(extra)
	p.Tags = []string{}
	if tags.Valid {
		p.Tags = strings.Split(tags.String, ",")
		slices.Sort(p.Tags)
	}
	return &p, nil
}

// findProjectRow loads any row of identity_projects by id, or nil.
func findProjectRow(tx *db.Tx, id string) (*project, error) {
	p, err := scanProject(tx.QueryRow("SELECT "+projectSelect+" FROM identity_projects WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// getProject loads a project (not a domain... unless allowDomain).
func getProject(tx *db.Tx, id string) (*project, error) {
	p, err := findProjectRow(tx, id)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errs.NotFoundf("Could not find project: %s.", id)
	}
	return p, nil
}

// getDomain loads a domain.
func getDomain(tx *db.Tx, id string) (*project, error) {
	p, err := findProjectRow(tx, id)
	if err != nil {
		return nil, err
	}
	if p == nil || !p.IsDomain {
		return nil, errs.NotFoundf("Could not find domain: %s.", id)
	}
	return p, nil
}

// getDomainByName loads a domain by its name.
func getDomainByName(tx *db.Tx, name string) (*project, error) {
	p, err := scanProject(tx.QueryRow("SELECT "+projectSelect+" FROM identity_projects WHERE domain_id = ? AND name = ?", rootDomainID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find domain: %s.", name)
	}
	return p, err
}

// getProjectByName loads a project of a domain by its name.
func getProjectByName(tx *db.Tx, domainID, name string) (*project, error) {
	p, err := scanProject(tx.QueryRow("SELECT "+projectSelect+" FROM identity_projects WHERE domain_id = ? AND name = ?", domainID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("Could not find project: %s.", name)
	}
	if err != nil {
		return nil, err
	}
	p.Tags, err = projectTags(tx, p.ID)
	return p, err
}

func projectTags(tx *db.Tx, id string) ([]string, error) {
	return tx.Strings("SELECT name FROM identity_project_tags WHERE project_id = ? ORDER BY name", id)
}

// queryProjects runs a list query over identity_projects and loads tags.
func queryProjects(tx *db.Tx, q *db.Query) ([]*project, error) {
	stmt, args := q.SQL()
	rows, err := tx.Query(stmt, args...)
	if err != nil {
		return nil, err
	}
	var out []*project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// insertProject stores a new project or domain with its tags; a name taken
// in the same domain is a 409.
func insertProject(tx *db.Tx, p *project) error {
	_, err := tx.Exec("INSERT INTO identity_projects ("+projectColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		p.ID, p.Name, p.Description, p.Enabled, p.DomainID, nullString(p.ParentID), p.IsDomain, marshalExtra(p.Extra))
	if errors.Is(err, db.ErrConflict) {
		return duplicateProject(p)
	}
	if err != nil {
		return err
	}
	return setTags(tx, p.ID, p.Tags)
}

func duplicateProject(p *project) error {
	if p.IsDomain {
		return errs.Conflictf("Conflict occurred attempting to store domain - Duplicate entry found with name %s.", p.Name)
	}
	return errs.Conflictf("Conflict occurred attempting to store project - Duplicate entry found with name %s at domain ID %s.", p.Name, p.DomainID)
}

// updateProject stores changed attributes and tags.
func updateProject(tx *db.Tx, p *project) error {
	_, err := tx.Exec("UPDATE identity_projects SET name = ?, description = ?, enabled = ?, extra = ? WHERE id = ?",
		p.Name, p.Description, p.Enabled, marshalExtra(p.Extra), p.ID)
	if errors.Is(err, db.ErrConflict) {
		return duplicateProject(p)
	}
	if err != nil {
		return err
	}
	return setTags(tx, p.ID, p.Tags)
}

func setTags(tx *db.Tx, id string, tags []string) error {
	if _, err := tx.Exec("DELETE FROM identity_project_tags WHERE project_id = ?", id); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := tx.Exec("INSERT INTO identity_project_tags (project_id, name) VALUES (?, ?)", id, t); err != nil {
			return err
		}
	}
	return nil
}

// childIDs lists the direct children of a project or domain.
func childIDs(tx *db.Tx, id string) ([]string, error) {
	return tx.Strings("SELECT id FROM identity_projects WHERE parent_id = ? ORDER BY id", id)
}

// ancestors lists a project's parents up to and including its domain,
// nearest first.
func ancestors(tx *db.Tx, p *project) ([]*project, error) {
	var out []*project
	for id := p.ParentID; id != ""; {
		a, err := findProjectRow(tx, id)
		if err != nil {
			return nil, err
		}
		if a == nil || len(out) > 64 {
			break
		}
		out = append(out, a)
		id = a.ParentID
	}
	return out, nil
}

// subtree lists every project below id, parents before children.
func subtree(tx *db.Tx, id string) ([]*project, error) {
	var out []*project
	queue := []string{id}
	for len(queue) > 0 {
		rows, err := queryProjects(tx, db.NewQuery("SELECT "+projectSelect+" FROM identity_projects").
			Where("parent_id = ?", queue[0]).Where("is_domain = ?", false).OrderBy("id"))
		if err != nil {
			return nil, err
		}
		queue = queue[1:]
		for _, c := range rows {
			out = append(out, c)
			queue = append(queue, c.ID)
		}
	}
	return out, nil
}

// ancestorIDs lists the ids of a project's ancestors (domain included).
func ancestorIDs(tx *db.Tx, projectID string) ([]string, error) {
	var out []string
	id := projectID
	for range 65 {
		var parent sql.NullString
		err := tx.QueryRow("SELECT parent_id FROM identity_projects WHERE id = ?", id).Scan(&parent)
		if errors.Is(err, sql.ErrNoRows) || !parent.Valid {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, parent.String)
		id = parent.String
	}
	return out, nil
}
