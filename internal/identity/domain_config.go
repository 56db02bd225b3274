package identity

import (
	"encoding/json"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// Domain-specific configuration, /v3/domains/{domain_id}/config[/{group}
// [/{option}]] and /v3/domains/config/.../default: the identity and ldap
// options an operator may set per domain. monostack has no LDAP (or any
// other per-domain) identity backend, so a stored configuration is inert
// data: kept, shown, changed and checked exactly as upstream, but it changes
// nothing about how the domain's users authenticate.

// configTarget is the policy target upstream builds here: the path's
// domain_id, group and option.
func configTarget(r *http.Request) map[string]any {
	t := map[string]any{}
	for _, k := range []string{"domain_id", "group", "option"} {
		if v := r.PathValue(k); v != "" {
			t[k] = v
		}
	}
	return t
}

// createDomainConfig replaces a domain's whole configuration: 201 when it
// had none (not even a sensitive option), 200 otherwise.
func (s *Service) createDomainConfig(w http.ResponseWriter, r *http.Request) error {
	raw, err := readConfigBody(r)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "identity:create_domain_config", configTarget(r)); err != nil {
		return err
	}
	domainID := r.PathValue("domain_id")
	var view []domainConfigRow
	var existed bool
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getDomain(tx, domainID); err != nil {
			return err
		}
		cfg, err := parseConfig(raw)
		if err != nil {
			return err
		}
		old, err := listDomainConfigRows(tx, domainID, "", "", true)
		if err != nil {
			return err
		}
		existed = len(old) > 0
		if err := deleteDomainConfigRows(tx, domainID, "", ""); err != nil {
			return err
		}
		if err := storeConfig(tx, domainID, cfg); err != nil {
			return err
		}
		view, err = listDomainConfigRows(tx, domainID, "", "", false)
		return err
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	return writeConfig(w, status, view, "")
}

func (s *Service) getDomainConfig(w http.ResponseWriter, r *http.Request) error {
	domainID, group, option := r.PathValue("domain_id"), r.PathValue("group"), r.PathValue("option")
	if group == securityComplianceGroup {
		return s.getSecurityComplianceConfig(w, r)
	}
	if err := s.enforce(r, "identity:get_domain_config", configTarget(r)); err != nil {
		return err
	}
	if err := checkConfigPath(group, option); err != nil {
		return err
	}
	var rows []domainConfigRow
	err := s.db.Read(r.Context(), func(tx *db.Tx) (err error) {
		rows, err = listDomainConfigRows(tx, domainID, group, option, false)
		return err
	})
	if err != nil {
		return err
	}
	// An unknown domain gets this 404 too: upstream's config lookup error
	// supersedes its domain lookup error.
	if len(rows) == 0 {
		return domainConfigNotFound(domainID, configWhat(group, option))
	}
	return writeConfig(w, http.StatusOK, rows, option)
}

// updateDomainConfig merges options into a domain's configuration; at a
// group or option path the body must hold just that, and it must exist.
func (s *Service) updateDomainConfig(w http.ResponseWriter, r *http.Request) error {
	raw, err := readConfigBody(r)
	if err != nil {
		return err
	}
	if err := s.enforce(r, "identity:update_domain_config", configTarget(r)); err != nil {
		return err
	}
	domainID, group, option := r.PathValue("domain_id"), r.PathValue("group"), r.PathValue("option")
	var view []domainConfigRow
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getDomain(tx, domainID); err != nil {
			return err
		}
		cfg, err := parseConfigUpdate(raw, group, option)
		if err != nil {
			return err
		}
		if err := checkConfigUpdate(tx, domainID, cfg, group, option); err != nil {
			return err
		}
		if err := storeConfig(tx, domainID, cfg); err != nil {
			return err
		}
		view, err = listDomainConfigRows(tx, domainID, "", "", false)
		return err
	})
	if err != nil {
		return err
	}
	// As upstream: an update leaving only sensitive options is kept, but
	// the whitelisted view it answers with is not found.
	if len(view) == 0 {
		return domainConfigNotFound(domainID, configWhat("", ""))
	}
	return writeConfig(w, http.StatusOK, view, "")
}

// parseConfigUpdate reads a PATCH body; at an option path its config is
// {option: value}, checked as that option's group.
func parseConfigUpdate(raw json.RawMessage, group, option string) ([]configGroupInput, error) {
	if option == "" {
		return parseConfig(raw)
	}
	g, err := parseConfigGroup(group, raw)
	if err != nil {
		return nil, err
	}
	return []configGroupInput{g}, nil
}

// checkConfigUpdate applies upstream's rules for a PATCH at a group or an
// option: the body names that group (and option) only, and it is stored.
func checkConfigUpdate(tx *db.Tx, domainID string, cfg []configGroupInput, group, option string) error {
	if err := checkConfigPath(group, option); err != nil || group == "" {
		return err
	}
	if len(cfg) != 1 || (option != "" && len(cfg[0].options) != 1) {
		if option != "" {
			return invalidDomainConfig("Trying to update option %s in group %s, so that, and only that, option must be specified  in the config", option, group)
		}
		return invalidDomainConfig("Trying to update group %s, so that, and only that, group must be specified in the config", group)
	}
	if cfg[0].group != group {
		return invalidDomainConfig("request to update group %s, but config provided contains group %s instead", group, cfg[0].group)
	}
	if option != "" && cfg[0].options[0].key != option {
		return invalidDomainConfig("Trying to update option %s in group %s, but config provided contains option %s instead", option, group, cfg[0].options[0].key)
	}
	rows, err := listDomainConfigRows(tx, domainID, group, option, true)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return domainConfigNotFound(domainID, configWhat(group, option))
	}
	return nil
}

// deleteDomainConfig removes a domain's whole configuration (even none), or
// a stored group or option.
func (s *Service) deleteDomainConfig(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:delete_domain_config", configTarget(r)); err != nil {
		return err
	}
	domainID, group, option := r.PathValue("domain_id"), r.PathValue("group"), r.PathValue("option")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := getDomain(tx, domainID); err != nil {
			return err
		}
		if err := checkConfigPath(group, option); err != nil {
			return err
		}
		if err := checkConfigStored(tx, domainID, group, option); err != nil {
			return err
		}
		return deleteDomainConfigRows(tx, domainID, group, option)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkConfigStored is the 404 of a partial delete: the group, then the
// option, must be stored (sensitive ones count).
func checkConfigStored(tx *db.Tx, domainID, group, option string) error {
	if group == "" {
		return nil
	}
	rows, err := listDomainConfigRows(tx, domainID, group, "", true)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return domainConfigNotFound(domainID, configWhat(group, ""))
	}
	for _, c := range rows {
		if option == "" || c.Option == option {
			return nil
		}
	}
	return domainConfigNotFound(domainID, configWhat(group, option))
}

// storeConfig writes a request's options, replacing stored values.
func storeConfig(tx *db.Tx, domainID string, cfg []configGroupInput) error {
	for _, g := range cfg {
		for _, o := range g.options {
			c := domainConfigRow{Group: g.group, Option: o.key, Value: o.value, Sensitive: isSensitive(g.group, o.key)}
			if err := putDomainConfigRow(tx, domainID, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeConfig answers {"config": {group: {option: value}}}, or
// {"config": {option: value}} for one option.
func writeConfig(w http.ResponseWriter, status int, rows []domainConfigRow, option string) error {
	if option != "" {
		return httpx.WriteJSON(w, status, map[string]any{"config": map[string]json.RawMessage{rows[0].Option: rows[0].Value}})
	}
	view := map[string]map[string]json.RawMessage{}
	for _, c := range rows {
		if view[c.Group] == nil {
			view[c.Group] = map[string]json.RawMessage{}
		}
		view[c.Group][c.Option] = c.Value
	}
	return httpx.WriteJSON(w, status, map[string]any{"config": view})
}

// getSecurityComplianceConfig shows the password rules of the default
// domain, read from the service's settings (unset is null).
func (s *Service) getSecurityComplianceConfig(w http.ResponseWriter, r *http.Request) error {
	if err := s.enforce(r, "identity:get_security_compliance_domain_config", configTarget(r)); err != nil {
		return err
	}
	domainID, option := r.PathValue("domain_id"), r.PathValue("option")
	if domainID != defaultDomainID {
		return invalidDomainConfig("Reading security compliance information for any domain other than the default domain is not allowed or supported.")
	}
	sec := s.opts.Security
	values := map[string]any{"password_regex": nullIfEmpty(sec.PasswordRegex),
		"password_regex_description": nullIfEmpty(sec.PasswordRegexDescription)}
	out := map[string]any{securityComplianceGroup: values}
	if option != "" {
		v, ok := values[option]
		if !ok {
			return invalidDomainConfig("Reading security compliance values other than password_regex and password_regex_description is not allowed.")
		}
		out = map[string]any{option: v}
	}
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		_, err := getDomain(tx, domainID)
		return err
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"config": out})
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// getDomainConfigDefault shows the upstream defaults of the whitelisted
// options: all, a group's, or one option's.
func (s *Service) getDomainConfigDefault(w http.ResponseWriter, r *http.Request) error {
	group, option := r.PathValue("group"), r.PathValue("option")
	if err := s.enforce(r, "identity:get_domain_config_default", configTarget(r)); err != nil {
		return err
	}
	if err := checkConfigPath(group, option); err != nil {
		return err
	}
	if option == "" {
		return httpx.WriteJSON(w, http.StatusOK, map[string]any{"config": configDefaults(group)})
	}
	v, ok := configDefaultOf(group, option)
	if !ok {
		return invalidDomainConfig("Reading the default for option %s in group %s is not supported", option, group)
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"config": map[string]any{option: v}})
}

// getDomainConfigDefaultAt serves /v3/domains/config/{group}[/{option}]/default
// through the catch-all patterns {config}/.../{default} (ServeMux cannot
// hold them beside /v3/domains/{domain_id}/config/...); other paths there
// are not found.
func (s *Service) getDomainConfigDefaultAt(w http.ResponseWriter, r *http.Request) error {
	if r.PathValue("config") != "config" || r.PathValue("default") != "default" {
		return errs.NotFoundf("The resource could not be found.")
	}
	return s.getDomainConfigDefault(w, r)
}
