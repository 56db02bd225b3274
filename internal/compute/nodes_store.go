package compute

import (
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// serviceVersion is the service version rows record (Nova Zed's
// SERVICE_VERSION).
const serviceVersion = 61

// computeService is a compute_services row (Nova's services table).
type computeService struct {
	ID             int64
	UUID           string
	Host           string
	Binary         string
	Topic          string
	Disabled       bool
	DisabledReason *string
	ForcedDown     bool
	Version        int
	CreatedAt      int64
	UpdatedAt      int64
}

const serviceColumns = `id, uuid, host, binary_name, topic, disabled, disabled_reason, forced_down, version,
	created_at, updated_at`

func scanService(sc interface{ Scan(...any) error }) (*computeService, error) {
	var s computeService
	err := sc.Scan(&s.ID, &s.UUID, &s.Host, &s.Binary, &s.Topic, &s.Disabled, &s.DisabledReason, &s.ForcedDown,
		&s.Version, &s.CreatedAt, &s.UpdatedAt)
	return &s, err
}

// loadServices reads the services matching cond (all when ""), by id.
func loadServices(tx *db.Tx, cond string, args ...any) ([]*computeService, error) {
	q := `SELECT ` + serviceColumns + ` FROM compute_services`
	if cond != "" {
		q += ` WHERE ` + cond
	}
	rows, err := tx.Query(q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*computeService
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// loadService reads one service, nil when none matches.
func loadService(tx *db.Tx, cond string, args ...any) (*computeService, error) {
	s, err := scanService(tx.QueryRow(`SELECT `+serviceColumns+` FROM compute_services WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return s, err
}

// computeServiceOf is the nova-compute service of host, nil when none.
func computeServiceOf(tx *db.Tx, host string) (*computeService, error) {
	return loadService(tx, `host = ? AND binary_name = ?`, host, computerpc.ServiceName)
}

// ensureService returns the service binary on host, creating it enabled.
func (s *Service) ensureService(tx *db.Tx, host, binary, topic string) (*computeService, error) {
	cur, err := loadService(tx, `host = ? AND binary_name = ?`, host, binary)
	if err != nil || cur != nil {
		return cur, err
	}
	id, err := nextCounter(tx, "service")
	if err != nil {
		return nil, err
	}
	now := s.now().UnixMicro()
	svc := &computeService{ID: id, UUID: s.newID(), Host: host, Binary: binary, Topic: topic,
		Version: serviceVersion, CreatedAt: now, UpdatedAt: now}
	_, err = tx.Exec(`INSERT INTO compute_services (`+serviceColumns+`) VALUES (`+db.Placeholders(11)+`)`,
		svc.ID, svc.UUID, svc.Host, svc.Binary, svc.Topic, svc.Disabled, svc.DisabledReason, svc.ForcedDown,
		svc.Version, svc.CreatedAt, svc.UpdatedAt)
	return svc, err
}

// saveService writes a service's changeable columns.
func saveService(tx *db.Tx, svc *computeService, now int64) error {
	svc.UpdatedAt = now
	_, err := tx.Exec(`UPDATE compute_services SET disabled = ?, disabled_reason = ?, forced_down = ?, updated_at = ?
		WHERE id = ?`, svc.Disabled, svc.DisabledReason, svc.ForcedDown, svc.UpdatedAt, svc.ID)
	return err
}

// computeNode is a compute_nodes row; its UUID is its resource provider's.
type computeNode struct {
	ID                 int64
	UUID               string
	ServiceID          int64
	Host               string
	HypervisorHostname string
	HypervisorType     string
	HypervisorVersion  int64
	HostIP             string
	VCPUs              int
	MemoryMB           int
	LocalGB            int
	CPUInfo            string
	Traits             []string
	CreatedAt          int64
	UpdatedAt          int64
}

const nodeColumns = `id, uuid, service_id, host, hypervisor_hostname, hypervisor_type, hypervisor_version, host_ip,
	vcpus, memory_mb, local_gb, cpu_info, traits, created_at, updated_at`

func scanNode(sc interface{ Scan(...any) error }) (*computeNode, error) {
	var n computeNode
	var traits string
	err := sc.Scan(&n.ID, &n.UUID, &n.ServiceID, &n.Host, &n.HypervisorHostname, &n.HypervisorType,
		&n.HypervisorVersion, &n.HostIP, &n.VCPUs, &n.MemoryMB, &n.LocalGB, &n.CPUInfo, &traits, &n.CreatedAt,
		&n.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return &n, json.Unmarshal([]byte(traits), &n.Traits)
}

// loadNodes reads the compute nodes matching cond (all when ""), by id.
func loadNodes(tx *db.Tx, cond string, args ...any) ([]*computeNode, error) {
	q := `SELECT ` + nodeColumns + ` FROM compute_nodes`
	if cond != "" {
		q += ` WHERE ` + cond
	}
	rows, err := tx.Query(q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*computeNode
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// saveNode inserts a node (ID 0) or updates it from what its agent
// reported; the uuid never changes.
func saveNode(tx *db.Tx, n *computeNode) error {
	traits, err := json.Marshal(nonNil(n.Traits))
	if err != nil {
		return err
	}
	if n.ID == 0 {
		if n.ID, err = nextCounter(tx, "compute_node"); err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO compute_nodes (`+nodeColumns+`) VALUES (`+db.Placeholders(15)+`)`,
			n.ID, n.UUID, n.ServiceID, n.Host, n.HypervisorHostname, n.HypervisorType, n.HypervisorVersion,
			n.HostIP, n.VCPUs, n.MemoryMB, n.LocalGB, n.CPUInfo, string(traits), n.CreatedAt, n.UpdatedAt)
		return err
	}
	_, err = tx.Exec(`UPDATE compute_nodes SET service_id = ?, hypervisor_type = ?, hypervisor_version = ?,
		host_ip = ?, vcpus = ?, memory_mb = ?, local_gb = ?, cpu_info = ?, traits = ?, updated_at = ? WHERE id = ?`,
		n.ServiceID, n.HypervisorType, n.HypervisorVersion, n.HostIP, n.VCPUs, n.MemoryMB, n.LocalGB, n.CPUInfo,
		string(traits), n.UpdatedAt, n.ID)
	return err
}

// hostInstanceCount counts the live instances on host (Nova's
// InstanceList.get_count_by_hosts).
func hostInstanceCount(tx *db.Tx, hosts ...string) (int, error) {
	n := 0
	for _, h := range hosts {
		var c int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM compute_instances WHERE host = ? AND deleted = FALSE`, h).
			Scan(&c); err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}
