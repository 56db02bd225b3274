package rpc

import "github.com/monostack/monostack/internal/bus"

// ReportState is an agent's call on SubjectReportState: who it is and how it
// is configured (Neutron's report_state payload, agents_db
// create_or_update_agent). Agents send it on start (StartFlag), after a bus
// reconnect, and whenever Configurations change; liveness comes from the
// agent's bus heartbeat, not from this message.
type ReportState struct {
	AgentType        string `json:"agent_type"` // AgentType* constant
	Binary           string `json:"binary"`     // Binary* constant
	Host             string `json:"host"`
	AvailabilityZone string `json:"availability_zone,omitempty"` // DHCP and L3 agents only
	Topic            string `json:"topic"`                       // Topic* constant
	// Configurations is shown as is in the agents API (Conf* keys).
	Configurations map[string]any `json:"configurations"`
	// StartFlag is true on the first report after the agent process started;
	// the controller then sets the agent's started_at.
	StartFlag bool `json:"start_flag,omitempty"`
	// ResourceVersions maps a resource name (Port, Network, SecurityGroup,
	// …) to the object version the agent understands.
	ResourceVersions map[string]string `json:"resource_versions,omitempty"`
}

// MessageType implements bus.Versioned.
func (ReportState) MessageType() string { return "network.report_state" }

// MessageVersion implements bus.Versioned.
func (ReportState) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the fields the controller stores.
func (r ReportState) Validate() error {
	if err := required("host", r.Host, "binary", r.Binary, "topic", r.Topic); err != nil {
		return err
	}
	return oneOf("agent_type", r.AgentType, AgentTypes()...)
}

// AgentTypes lists the agent types the contract knows, sorted.
func AgentTypes() []string {
	return []string{AgentTypeDHCP, AgentTypeL3, AgentTypeLinuxBridge, AgentTypeMetadata, AgentTypeOVS}
}

// ReportStateReply is the controller's answer to ReportState.
type ReportStateReply struct {
	AgentID string `json:"agent_id"` // the agents API id
	Status  string `json:"status"`   // AgentNew, AgentAlive or AgentRevived
	// AdminStateUp is the agent's admin state; a DHCP or L3 agent that is
	// administratively down is given no networks or routers.
	AdminStateUp bool `json:"admin_state_up"`
}

// MessageType implements bus.Versioned.
func (ReportStateReply) MessageType() string { return "network.report_state_reply" }

// MessageVersion implements bus.Versioned.
func (ReportStateReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }
