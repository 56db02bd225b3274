-- Network (Neutron v2.0): subnets with their pools, DNS servers, host
-- routes and service types; ports with their fixed IPs, security groups,
-- allowed address pairs and extra DHCP options. The primary key of
-- network_ip_allocations is what keeps two processes sharing the database
-- from handing out one address twice; the unique (network_id, mac_address)
-- does the same for MACs.

CREATE TABLE network_subnets (
    id                   TEXT PRIMARY KEY,
    project_id           TEXT NOT NULL,
    network_id           TEXT NOT NULL REFERENCES network_networks (id),
    name                 TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    ip_version           INTEGER NOT NULL,
    cidr                 TEXT NOT NULL,
    gateway_ip           TEXT,
    enable_dhcp          BOOLEAN NOT NULL DEFAULT TRUE,
    ipv6_ra_mode         TEXT,
    ipv6_address_mode    TEXT,
    subnetpool_id        TEXT,
    segment_id           TEXT,
    dns_publish_fixed_ip BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    revision_number      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_subnets_network ON network_subnets (network_id);
CREATE INDEX network_subnets_pool ON network_subnets (subnetpool_id);

-- Ordered child lists of a subnet (position keeps the user's order).
CREATE TABLE network_subnet_allocation_pools (
    subnet_id TEXT NOT NULL REFERENCES network_subnets (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    first_ip  TEXT NOT NULL,
    last_ip   TEXT NOT NULL,
    PRIMARY KEY (subnet_id, position)
);
CREATE TABLE network_subnet_dns_nameservers (
    subnet_id TEXT NOT NULL REFERENCES network_subnets (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    address   TEXT NOT NULL,
    PRIMARY KEY (subnet_id, position)
);
CREATE TABLE network_subnet_host_routes (
    subnet_id   TEXT NOT NULL REFERENCES network_subnets (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    destination TEXT NOT NULL,
    nexthop     TEXT NOT NULL,
    PRIMARY KEY (subnet_id, position)
);
CREATE TABLE network_subnet_service_types (
    subnet_id    TEXT NOT NULL REFERENCES network_subnets (id) ON DELETE CASCADE,
    service_type TEXT NOT NULL,
    PRIMARY KEY (subnet_id, service_type)
);

CREATE TABLE network_ports (
    id                    TEXT PRIMARY KEY,
    project_id            TEXT NOT NULL,
    network_id            TEXT NOT NULL REFERENCES network_networks (id),
    name                  TEXT NOT NULL DEFAULT '',
    description           TEXT NOT NULL DEFAULT '',
    mac_address           TEXT NOT NULL,
    admin_state_up        BOOLEAN NOT NULL DEFAULT TRUE,
    status                TEXT NOT NULL,
    device_id             TEXT NOT NULL DEFAULT '',
    device_owner          TEXT NOT NULL DEFAULT '',
    port_security_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    binding_host_id       TEXT NOT NULL DEFAULT '',
    binding_vnic_type     TEXT NOT NULL DEFAULT 'normal',
    binding_vif_type      TEXT NOT NULL DEFAULT 'unbound',
    binding_vif_details   TEXT NOT NULL DEFAULT '{}',
    binding_profile       TEXT NOT NULL DEFAULT '{}',
    dns_name              TEXT NOT NULL DEFAULT '',
    ip_allocation         TEXT NOT NULL DEFAULT 'immediate',
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    revision_number       BIGINT NOT NULL DEFAULT 0,
    UNIQUE (network_id, mac_address)
);
CREATE INDEX network_ports_project ON network_ports (project_id);
CREATE INDEX network_ports_device ON network_ports (device_id);
CREATE INDEX network_ports_host ON network_ports (binding_host_id);

CREATE TABLE network_ip_allocations (
    subnet_id  TEXT NOT NULL REFERENCES network_subnets (id),
    ip_address TEXT NOT NULL,
    port_id    TEXT NOT NULL REFERENCES network_ports (id) ON DELETE CASCADE,
    network_id TEXT NOT NULL,
    PRIMARY KEY (subnet_id, ip_address)
);
CREATE INDEX network_ip_allocations_port ON network_ip_allocations (port_id);

CREATE TABLE network_port_security_groups (
    port_id           TEXT NOT NULL REFERENCES network_ports (id) ON DELETE CASCADE,
    security_group_id TEXT NOT NULL,
    PRIMARY KEY (port_id, security_group_id)
);
CREATE INDEX network_port_security_groups_group ON network_port_security_groups (security_group_id);

CREATE TABLE network_allowed_address_pairs (
    port_id     TEXT NOT NULL REFERENCES network_ports (id) ON DELETE CASCADE,
    ip_address  TEXT NOT NULL,
    mac_address TEXT NOT NULL,
    PRIMARY KEY (port_id, ip_address, mac_address)
);

CREATE TABLE network_extra_dhcp_opts (
    port_id    TEXT NOT NULL REFERENCES network_ports (id) ON DELETE CASCADE,
    opt_name   TEXT NOT NULL,
    opt_value  TEXT NOT NULL,
    ip_version INTEGER NOT NULL DEFAULT 4,
    PRIMARY KEY (port_id, opt_name, ip_version)
);
