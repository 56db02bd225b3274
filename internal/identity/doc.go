// Package identity is the Keystone v3 identity service: authentication and
// Fernet tokens, domains, projects, users, groups, roles and their
// assignments, the service catalog, application credentials, credentials,
// trusts, domain-specific configuration (stored and served only: there is
// no LDAP backend to apply it to) and the admin bootstrap. Handlers (one
// file per resource), service logic and store code are separate files;
// routes.go is the route table.
//
// It may import internal/{db,httpx,errs,auth,policy} and api/identity; no
// other service imports it except through auth.Validator.
package identity
