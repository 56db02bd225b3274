// Package placement holds the wire types of the Placement API (1.x) that
// other services use in-process too: the conductor asks the placement
// service for allocation candidates and claims allocations with exactly the
// bodies an HTTP client would send. Standard library only.
package placement

// Inventory is one resource class's inventory on a provider.
type Inventory struct {
	Total           int     `json:"total"`
	Reserved        int     `json:"reserved"`
	MinUnit         int     `json:"min_unit"`
	MaxUnit         int     `json:"max_unit"`
	StepSize        int     `json:"step_size"`
	AllocationRatio float64 `json:"allocation_ratio"`
}

// ResourceProvider is a provider as GET /resource_providers/{uuid} shows it
// (without links).
type ResourceProvider struct {
	UUID               string  `json:"uuid"`
	Name               string  `json:"name"`
	Generation         int     `json:"generation"`
	ParentProviderUUID *string `json:"parent_provider_uuid"`
	RootProviderUUID   string  `json:"root_provider_uuid"`
}

// CandidatesQuery is GET /allocation_candidates's unnumbered request group
// plus its global parameters.
type CandidatesQuery struct {
	Resources map[string]int // resource class → amount
	Required  []string       // traits; a leading "!" forbids one
	MemberOf  [][]string     // each inner list: member of any of these aggregates
	InTree    string         // provider uuid
	Limit     int            // 0 means no limit
}

// Resources is an amount per resource class.
type Resources struct {
	Resources map[string]int `json:"resources"`
}

// AllocationRequest is one way to satisfy a query: resources per provider.
type AllocationRequest struct {
	Allocations map[string]Resources `json:"allocations"`
	Mappings    map[string][]string  `json:"mappings,omitempty"`
}

// ResourceSummary is a provider's capacity and usage of one class.
type ResourceSummary struct {
	Capacity int `json:"capacity"`
	Used     int `json:"used"`
}

// ProviderSummary describes a provider named in allocation requests.
type ProviderSummary struct {
	Resources          map[string]ResourceSummary `json:"resources"`
	Traits             []string                   `json:"traits"`
	ParentProviderUUID *string                    `json:"parent_provider_uuid"`
	RootProviderUUID   string                     `json:"root_provider_uuid"`
}

// AllocationCandidates is GET /allocation_candidates's body.
type AllocationCandidates struct {
	AllocationRequests []AllocationRequest        `json:"allocation_requests"`
	ProviderSummaries  map[string]ProviderSummary `json:"provider_summaries"`
}

// AllocationsPut is PUT /allocations/{consumer}'s body (1.38 form).
// ConsumerGeneration nil means a new consumer.
type AllocationsPut struct {
	Allocations        map[string]Resources `json:"allocations"`
	ProjectID          string               `json:"project_id"`
	UserID             string               `json:"user_id"`
	ConsumerGeneration *int                 `json:"consumer_generation"`
	ConsumerType       string               `json:"consumer_type,omitempty"`
}

// ProviderAllocation is one provider's part of a consumer's allocations.
type ProviderAllocation struct {
	Generation int            `json:"generation"`
	Resources  map[string]int `json:"resources"`
}

// ConsumerAllocations is GET /allocations/{consumer}'s body.
type ConsumerAllocations struct {
	Allocations        map[string]ProviderAllocation `json:"allocations"`
	ConsumerGeneration *int                          `json:"consumer_generation,omitempty"`
	ProjectID          string                        `json:"project_id,omitempty"`
	UserID             string                        `json:"user_id,omitempty"`
	ConsumerType       string                        `json:"consumer_type,omitempty"`
}
