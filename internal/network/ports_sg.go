package network

import (
	"strings"

	"github.com/monostack/monostack/internal/db"
)

// portSecurityGroups sets a new port's groups: the given ones, or the
// project's default group for a port with port security that is not a
// network device.
func (s *Service) portSecurityGroups(tx *db.Tx, p *port, item map[string]any) error {
	if v, ok := item["security_groups"]; ok {
		p.SecurityGroups = stringsOf(v)
		return s.checkPortGroups(tx, p)
	}
	if !p.PortSecurity || strings.HasPrefix(p.Owner, "network:") {
		return nil
	}
	id, err := s.defaultGroupOf(tx, p.ProjectID)
	if err != nil || id == "" {
		return err
	}
	p.SecurityGroups = []string{id}
	return nil
}

// checkPortGroups checks the groups a port names exist for its project.
func (s *Service) checkPortGroups(tx *db.Tx, p *port) error {
	if len(p.SecurityGroups) == 0 {
		return nil
	}
	return s.checkSecurityGroups(tx, p.ProjectID, p.SecurityGroups)
}

// defaultGroupOf is the project's default security group, made on first use.
func (s *Service) defaultGroupOf(tx *db.Tx, project string) (string, error) {
	return s.ensureDefaultSecurityGroup(tx, project)
}
