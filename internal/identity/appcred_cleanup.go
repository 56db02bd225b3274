package identity

import "github.com/monostack/monostack/internal/db"

// Upstream deletes application credentials when what they stand on goes:
// the user is deleted or disabled (with the user's access rules), the
// user's grant on the project is revoked, or a role the user holds on a
// project is deleted. Credentials of a deleted project go with it.

// deleteAppCredsOfUser removes every application credential and access
// rule of a user.
func deleteAppCredsOfUser(tx *db.Tx, userID string) error {
	if _, err := tx.Exec("DELETE FROM identity_app_creds WHERE user_id = ?", userID); err != nil {
		return err
	}
	_, err := tx.Exec("DELETE FROM identity_access_rules WHERE user_id = ?", userID)
	return err
}

// deleteAppCredsOnProject removes a user's application credentials for
// one project.
func deleteAppCredsOnProject(tx *db.Tx, userID, projectID string) error {
	_, err := tx.Exec("DELETE FROM identity_app_creds WHERE user_id = ? AND project_id = ?", userID, projectID)
	return err
}

// deleteAppCredsForRole removes the application credentials of every user
// holding role directly on a project, as upstream does before deleting
// the role.
func deleteAppCredsForRole(tx *db.Tx, roleID string) error {
	_, err := tx.Exec(`DELETE FROM identity_app_creds WHERE EXISTS (
		SELECT 1 FROM identity_assignments a WHERE a.role_id = ? AND a.type = 'UserProject'
		AND a.actor_id = identity_app_creds.user_id AND a.target_id = identity_app_creds.project_id)`, roleID)
	return err
}
