package identity

// RoleAssignment is one entry of GET /v3/role_assignments: a role, the
// user or group holding it and the scope it applies to.
type RoleAssignment struct {
	Role  Named           `json:"role"`
	User  *Named          `json:"user,omitempty"`
	Group *Named          `json:"group,omitempty"`
	Scope AssignmentScope `json:"scope"`
	Links AssignmentLinks `json:"links"`
}

// Named is an object of an assignment: its id alone, or with include_names
// its name (and, for users, groups, projects and domain roles, its domain).
type Named struct {
	ID     string  `json:"id"`
	Name   *string `json:"name,omitempty"`
	Domain *Named  `json:"domain,omitempty"`
}

// AssignmentScope is where an assignment applies: one of project, domain or
// system, and whether it is inherited to the projects below.
type AssignmentScope struct {
	Project     *Named       `json:"project,omitempty"`
	Domain      *Named       `json:"domain,omitempty"`
	System      *SystemScope `json:"system,omitempty"`
	InheritedTo string       `json:"OS-INHERIT:inherited_to,omitempty"`
}

// SystemScope is the system scope of an assignment.
type SystemScope struct {
	All bool `json:"all"`
}

// AssignmentLinks point at the grant behind an assignment and, for an
// effective one, the membership or role inference it came through.
type AssignmentLinks struct {
	Assignment string `json:"assignment"`
	Membership string `json:"membership,omitempty"`
	PriorRole  string `json:"prior_role,omitempty"`
}
