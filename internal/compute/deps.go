package compute

import (
	"context"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// Placement is what compute needs of the placement service; the placement
// service implements it in-process.
type Placement interface {
	AllocationCandidates(ctx context.Context, q placementapi.CandidatesQuery) (*placementapi.AllocationCandidates, error)
	PutAllocations(ctx context.Context, consumer string, a placementapi.AllocationsPut) error
	PostAllocations(ctx context.Context, m map[string]placementapi.AllocationsPut) error
	GetAllocations(ctx context.Context, consumer string) (*placementapi.ConsumerAllocations, error)
	DeleteAllocations(ctx context.Context, consumer string) error
	// DeleteAllocationsIn deletes inside a write transaction of the
	// database compute and placement share.
	DeleteAllocationsIn(tx *db.Tx, consumer string) error
	EnsureProvider(ctx context.Context, uuid, name, parentUUID string) (*placementapi.ResourceProvider, error)
	SetInventories(ctx context.Context, rpUUID string, inv map[string]placementapi.Inventory) error
	SetProviderTraits(ctx context.Context, rpUUID string, traits []string) error
	SetProviderAggregates(ctx context.Context, rpUUID string, aggs []string) error
	ProviderAggregates(ctx context.Context, rpUUID string) ([]string, error)
	DeleteProvider(ctx context.Context, uuid string) error
	ProviderUsages(ctx context.Context, rpUUID string) (map[string]int, error)
	ProviderInventories(ctx context.Context, rpUUID string) (map[string]placementapi.Inventory, error)
}

// ImageMeta is what compute knows of an image.
type ImageMeta struct {
	ID              string
	Name            string
	Status          string
	Owner           string
	Visibility      string
	DiskFormat      string
	ContainerFormat string
	Size            int64
	MinDiskGB       int
	MinRAMMB        int
	Properties      map[string]string
	CreatedAt       string
	UpdatedAt       string
}

// Images is what compute needs of the image service.
type Images interface {
	// Image returns an image the project may see (any image for admin).
	Image(ctx context.Context, project string, admin bool, id string) (*ImageMeta, error)
	// CreateImage makes a queued image owned by meta.Owner (a snapshot).
	CreateImage(ctx context.Context, meta ImageMeta) (*ImageMeta, error)
	// DeleteImage removes an image (a failed snapshot, a shelved
	// instance's image after unshelve).
	DeleteImage(ctx context.Context, id string) error
	// DataURL is where an agent uploads an image's data.
	DataURL(id string) string
	// List returns the images the project may see, as the image API's
	// default list (newest first).
	List(ctx context.Context, project string, admin bool) ([]ImageMeta, error)
	// UpdateProperties sets and removes an image's properties (within
	// the image property quota).
	UpdateProperties(ctx context.Context, id string, set map[string]string, remove []string) error
}

// NetworkRequest is one entry of a server create's "networks".
type NetworkRequest struct {
	NetworkID string `json:"uuid,omitempty"`
	PortID    string `json:"port,omitempty"`
	FixedIP   string `json:"fixed_ip,omitempty"`
	Tag       string `json:"tag,omitempty"`
}

// NetworkInfo describes a network as the compute API's proxies show it.
type NetworkInfo struct {
	ID    string
	Name  string
	CIDR  string
	Label string
}

// Network is what compute needs of the network service. Until the network
// service exists, stubNetwork stands in (stubnet.go).
type Network interface {
	// Validate checks requested networks and ports at API time.
	Validate(ctx context.Context, project string, reqs []NetworkRequest) error
	// Networks lists the networks project may use ("auto" picks from
	// them).
	Networks(ctx context.Context, project string) ([]NetworkInfo, error)
	// Allocate binds ports for an instance on host.
	Allocate(ctx context.Context, inst InstanceRef, reqs []NetworkRequest) ([]computerpc.NIC, error)
	// Deallocate releases the instance's ports (the ones it created).
	Deallocate(ctx context.Context, inst InstanceRef) error
	// Refresh reads the instance's ports as they are now (Nova's
	// get_instance_nw_info after a network-changed event).
	Refresh(ctx context.Context, inst InstanceRef) ([]computerpc.NIC, error)
}

// InstanceRef names an instance to other services.
type InstanceRef struct {
	UUID      string
	ProjectID string
	UserID    string
	Hostname  string
	Host      string
	AZ        string
	// NICs are the instance's ports as last allocated (nil when unknown:
	// then no port is deleted, only released).
	NICs []computerpc.NIC
}
