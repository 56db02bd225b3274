package identity

import (
	"net/http"

	"github.com/monostack/monostack/internal/httpx"
)

// Handler returns the identity API: the route table wrapped in the shared
// middleware.
func (s *Service) Handler() http.Handler {
	rt := httpx.NewRouter(httpx.Config{Faults: faults{publicURL: s.opts.PublicURL, log: s.log},
		Validator: s, Log: s.log, MaxBody: s.opts.MaxBodySize, JSONBodies: true})
	s.addRoutes(rt)
	s.routes = rt.Routes()
	return rt.Handler()
}

// addRoutes is the identity route table.
func (s *Service) addRoutes(rt *httpx.Router) {
	pub := httpx.Public
	rt.Handle("GET", "/{$}", s.versions, pub)
	rt.Handle("GET", "/v3", s.version, pub)

	rt.Handle("POST", "/v3/auth/tokens", s.issueToken, pub)
	rt.Handle("GET", "/v3/auth/tokens", s.validateTokenHandler)
	rt.Handle("HEAD", "/v3/auth/tokens", s.checkTokenHandler)
	rt.Handle("DELETE", "/v3/auth/tokens", s.revokeTokenHandler)
	rt.Handle("GET", "/v3/auth/projects", s.authProjects)
	rt.Handle("GET", "/v3/auth/domains", s.authDomains)
	rt.Handle("GET", "/v3/auth/system", s.authSystem)
	rt.Handle("GET", "/v3/auth/catalog", s.authCatalog)
	rt.Handle("POST", "/v3/ec2tokens", s.ec2Tokens) // upstream requires a service or admin token

	rt.Handle("GET", "/v3/domains", s.listDomains)
	rt.Handle("POST", "/v3/domains", s.createDomain)
	rt.Handle("GET", "/v3/domains/{domain_id}", s.getDomainHandler)
	rt.Handle("PATCH", "/v3/domains/{domain_id}", s.updateDomain)
	rt.Handle("DELETE", "/v3/domains/{domain_id}", s.deleteDomain)
	dc := "/v3/domains/{domain_id}/config"
	rt.Handle("PUT", dc, s.createDomainConfig)
	rt.Handle("GET", dc, s.getDomainConfig)
	rt.Handle("PATCH", dc, s.updateDomainConfig)
	rt.Handle("DELETE", dc, s.deleteDomainConfig)
	rt.Handle("GET", dc+"/{group}", s.getDomainConfig)
	rt.Handle("PATCH", dc+"/{group}", s.updateDomainConfig)
	rt.Handle("DELETE", dc+"/{group}", s.deleteDomainConfig)
	rt.Handle("GET", dc+"/{group}/{option}", s.getDomainConfig)
	rt.Handle("PATCH", dc+"/{group}/{option}", s.updateDomainConfig)
	rt.Handle("DELETE", dc+"/{group}/{option}", s.deleteDomainConfig)
	rt.Handle("GET", "/v3/domains/config/default", s.getDomainConfigDefault)
	// /v3/domains/config/{group}[/{option}]/default overlap the patterns
	// above, which ServeMux refuses: catch-alls check "config" and "default".
	rt.Handle("GET", "/v3/domains/{config}/{group}/{default}", s.getDomainConfigDefaultAt)
	rt.Handle("GET", "/v3/domains/{config}/{group}/{option}/{default}", s.getDomainConfigDefaultAt)

	rt.Handle("GET", "/v3/projects", s.listProjects)
	rt.Handle("POST", "/v3/projects", s.createProject)
	rt.Handle("GET", "/v3/projects/{project_id}", s.getProjectHandler)
	rt.Handle("PATCH", "/v3/projects/{project_id}", s.updateProjectHandler)
	rt.Handle("DELETE", "/v3/projects/{project_id}", s.deleteProjectHandler)
	rt.Handle("GET", "/v3/projects/{project_id}/tags", s.listProjectTags)
	rt.Handle("PUT", "/v3/projects/{project_id}/tags", s.replaceProjectTags)
	rt.Handle("DELETE", "/v3/projects/{project_id}/tags", s.deleteProjectTags)
	rt.Handle("GET", "/v3/projects/{project_id}/tags/{tag}", s.checkProjectTag)
	rt.Handle("PUT", "/v3/projects/{project_id}/tags/{tag}", s.addProjectTag)
	rt.Handle("DELETE", "/v3/projects/{project_id}/tags/{tag}", s.deleteProjectTag)

	rt.Handle("GET", "/v3/users", s.listUsers)
	rt.Handle("POST", "/v3/users", s.createUser)
	rt.Handle("GET", "/v3/users/{user_id}", s.getUserHandler)
	rt.Handle("PATCH", "/v3/users/{user_id}", s.updateUserHandler)
	rt.Handle("DELETE", "/v3/users/{user_id}", s.deleteUserHandler)
	rt.Handle("POST", "/v3/users/{user_id}/password", s.changePassword, pub)
	rt.Handle("GET", "/v3/users/{user_id}/groups", s.listGroupsForUser)
	rt.Handle("GET", "/v3/users/{user_id}/projects", s.listUserProjects)

	rt.Handle("GET", "/v3/groups", s.listGroups)
	rt.Handle("POST", "/v3/groups", s.createGroup)
	rt.Handle("GET", "/v3/groups/{group_id}", s.getGroupHandler)
	rt.Handle("PATCH", "/v3/groups/{group_id}", s.updateGroupHandler)
	rt.Handle("DELETE", "/v3/groups/{group_id}", s.deleteGroupHandler)
	rt.Handle("GET", "/v3/groups/{group_id}/users", s.listUsersInGroup)
	rt.Handle("PUT", "/v3/groups/{group_id}/users/{user_id}", s.addUserToGroup)
	rt.Handle("HEAD", "/v3/groups/{group_id}/users/{user_id}", s.checkUserInGroup)
	rt.Handle("GET", "/v3/groups/{group_id}/users/{user_id}", s.checkUserInGroup)
	rt.Handle("DELETE", "/v3/groups/{group_id}/users/{user_id}", s.removeUserFromGroup)

	rt.Handle("GET", "/v3/roles", s.listRoles)
	rt.Handle("POST", "/v3/roles", s.createRole)
	rt.Handle("GET", "/v3/roles/{role_id}", s.getRoleHandler)
	rt.Handle("PATCH", "/v3/roles/{role_id}", s.updateRoleHandler)
	rt.Handle("DELETE", "/v3/roles/{role_id}", s.deleteRoleHandler)
	rt.Handle("GET", "/v3/roles/{prior_role_id}/implies", s.listImpliedRoles)
	rt.Handle("PUT", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", s.createImpliedRole)
	rt.Handle("GET", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", s.getImpliedRole)
	rt.Handle("HEAD", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", s.getImpliedRole)
	rt.Handle("DELETE", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", s.deleteImpliedRole)
	rt.Handle("GET", "/v3/role_inferences", s.listRoleInferences)
	rt.Handle("GET", "/v3/role_assignments", s.listRoleAssignments)
	s.grantRoutes(rt)

	rt.Handle("GET", "/v3/regions", s.listRegions)
	rt.Handle("POST", "/v3/regions", s.createRegion)
	rt.Handle("GET", "/v3/regions/{region_id}", s.getRegionHandler)
	rt.Handle("PUT", "/v3/regions/{region_id}", s.putRegion)
	rt.Handle("PATCH", "/v3/regions/{region_id}", s.updateRegion)
	rt.Handle("DELETE", "/v3/regions/{region_id}", s.deleteRegion)
	rt.Handle("GET", "/v3/services", s.listServices)
	rt.Handle("POST", "/v3/services", s.createService)
	rt.Handle("GET", "/v3/services/{service_id}", s.getServiceHandler)
	rt.Handle("PATCH", "/v3/services/{service_id}", s.updateService)
	rt.Handle("DELETE", "/v3/services/{service_id}", s.deleteService)
	rt.Handle("GET", "/v3/endpoints", s.listEndpoints)
	rt.Handle("POST", "/v3/endpoints", s.createEndpoint)
	rt.Handle("GET", "/v3/endpoints/{endpoint_id}", s.getEndpointHandler)
	rt.Handle("PATCH", "/v3/endpoints/{endpoint_id}", s.updateEndpoint)
	rt.Handle("DELETE", "/v3/endpoints/{endpoint_id}", s.deleteEndpoint)

	ep := "/v3/OS-EP-FILTER"
	rt.Handle("GET", ep+"/endpoint_groups", s.listEndpointGroups)
	rt.Handle("POST", ep+"/endpoint_groups", s.createEndpointGroup)
	rt.Handle("GET", ep+"/endpoint_groups/{endpoint_group_id}", s.getEndpointGroup)
	rt.Handle("HEAD", ep+"/endpoint_groups/{endpoint_group_id}", s.getEndpointGroup)
	rt.Handle("PATCH", ep+"/endpoint_groups/{endpoint_group_id}", s.updateEndpointGroup)
	rt.Handle("DELETE", ep+"/endpoint_groups/{endpoint_group_id}", s.deleteEndpointGroup)
	rt.Handle("GET", ep+"/endpoint_groups/{endpoint_group_id}/endpoints", s.listEndpointGroupEndpoints)
	rt.Handle("GET", ep+"/endpoint_groups/{endpoint_group_id}/projects", s.listEndpointGroupProjects)
	rt.Handle("PUT", ep+"/endpoint_groups/{endpoint_group_id}/projects/{project_id}", s.addEndpointGroupProject)
	rt.Handle("GET", ep+"/endpoint_groups/{endpoint_group_id}/projects/{project_id}", s.checkEndpointGroupProject)
	rt.Handle("HEAD", ep+"/endpoint_groups/{endpoint_group_id}/projects/{project_id}", s.checkEndpointGroupProject)
	rt.Handle("DELETE", ep+"/endpoint_groups/{endpoint_group_id}/projects/{project_id}", s.removeEndpointGroupProject)
	rt.Handle("GET", ep+"/projects/{project_id}/endpoints", s.listProjectEndpoints)
	rt.Handle("GET", ep+"/projects/{project_id}/endpoint_groups", s.listProjectEndpointGroups)
	rt.Handle("GET", ep+"/endpoints/{endpoint_id}/projects", s.listEndpointProjects)
	rt.Handle("PUT", ep+"/projects/{project_id}/endpoints/{endpoint_id}", s.addProjectEndpoint)
	rt.Handle("GET", ep+"/projects/{project_id}/endpoints/{endpoint_id}", s.checkProjectEndpoint)
	rt.Handle("HEAD", ep+"/projects/{project_id}/endpoints/{endpoint_id}", s.checkProjectEndpoint)
	rt.Handle("DELETE", ep+"/projects/{project_id}/endpoints/{endpoint_id}", s.removeProjectEndpoint)

	rt.Handle("GET", "/v3/policies", s.listPolicies)
	rt.Handle("POST", "/v3/policies", s.createPolicy)
	rt.Handle("GET", "/v3/policies/{policy_id}", s.getPolicyHandler)
	rt.Handle("PATCH", "/v3/policies/{policy_id}", s.updatePolicy)
	rt.Handle("DELETE", "/v3/policies/{policy_id}", s.deletePolicy)

	ac := "/v3/users/{user_id}/application_credentials"
	rt.Handle("GET", ac, s.listAppCreds)
	rt.Handle("POST", ac, s.createAppCred)
	rt.Handle("GET", ac+"/{application_credential_id}", s.getAppCredHandler)
	rt.Handle("DELETE", ac+"/{application_credential_id}", s.deleteAppCred)
	rt.Handle("GET", "/v3/users/{user_id}/access_rules", s.listAccessRules)
	rt.Handle("GET", "/v3/users/{user_id}/access_rules/{access_rule_id}", s.getAccessRule)
	rt.Handle("DELETE", "/v3/users/{user_id}/access_rules/{access_rule_id}", s.deleteAccessRule)

	rt.Handle("GET", "/v3/credentials", s.listCredentials)
	rt.Handle("POST", "/v3/credentials", s.createCredential)
	rt.Handle("GET", "/v3/credentials/{credential_id}", s.getCredentialHandler)
	rt.Handle("PATCH", "/v3/credentials/{credential_id}", s.updateCredential)
	rt.Handle("DELETE", "/v3/credentials/{credential_id}", s.deleteCredential)
	ec2 := "/v3/users/{user_id}/credentials/OS-EC2"
	rt.Handle("GET", ec2, s.listEC2Credentials)
	rt.Handle("POST", ec2, s.createEC2Credential)
	rt.Handle("GET", ec2+"/{credential_id}", s.getEC2Credential)
	rt.Handle("DELETE", ec2+"/{credential_id}", s.deleteEC2Credential)

	tr := "/v3/OS-TRUST/trusts"
	rt.Handle("GET", tr, s.listTrusts)
	rt.Handle("POST", tr, s.createTrust)
	rt.Handle("GET", tr+"/{trust_id}", s.getTrustHandler)
	rt.Handle("DELETE", tr+"/{trust_id}", s.deleteTrust)
	rt.Handle("GET", tr+"/{trust_id}/roles", s.listTrustRoles)
	rt.Handle("GET", tr+"/{trust_id}/roles/{role_id}", s.getTrustRole)
	rt.Handle("HEAD", tr+"/{trust_id}/roles/{role_id}", s.getTrustRole)

	rt.Handle("GET", "/v3/OS-REVOKE/events", s.listRevocationEvents)
}
