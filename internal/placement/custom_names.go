package placement

import (
	"net/http"

	"github.com/monostack/monostack/internal/db"
)

// customName describes a kind of custom name (resource class, trait) for
// deleteCustomName: what guards it and what each refusal says.
type customName struct {
	rule                              string
	standard                          map[string]bool
	exists                            func(tx *db.Tx, name string) (bool, error)
	usedBy                            string // a query that finds a use of the name
	table                             string // where the custom names live
	standardMsg, missingMsg, inUseMsg func(name string) string
}

// deleteCustomName is DELETE of a custom resource class or trait: standard
// names, unknown names and names in use are refused.
func (s *Service) deleteCustomName(w http.ResponseWriter, r *http.Request, k customName) error {
	if err := s.enforce(r, k.rule); err != nil {
		return err
	}
	name := r.PathValue("name")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if k.standard[name] {
			return badRequest(k.standardMsg(name))
		}
		ok, err := k.exists(tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return notFound(k.missingMsg(name))
		}
		inUse, err := tx.Exists(k.usedBy, name)
		if err != nil {
			return err
		}
		if inUse {
			return conflict(k.inUseMsg(name), codeDefault)
		}
		_, err = tx.Exec("DELETE FROM "+k.table+" WHERE name = ?", name)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
