-- Network (Neutron v2.0) L3: routers with their ports (interfaces and
-- gateway) and extra routes, floating IPs and their port forwardings. A
-- router's ports are ordinary network_ports rows; network_router_ports
-- says which router owns each and as what. The unique key on
-- network_floatingips keeps one fixed address from getting two floating
-- IPs on one external network, even from two processes.

CREATE TABLE network_routers (
    id                      TEXT PRIMARY KEY,
    project_id              TEXT NOT NULL,
    name                    TEXT NOT NULL DEFAULT '',
    description             TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL,
    admin_state_up          BOOLEAN NOT NULL DEFAULT TRUE,
    gw_port_id              TEXT,
    enable_snat             BOOLEAN NOT NULL DEFAULT TRUE,
    distributed             BOOLEAN NOT NULL DEFAULT FALSE,
    ha                      BOOLEAN NOT NULL DEFAULT FALSE,
    availability_zone_hints TEXT NOT NULL DEFAULT '[]',
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    revision_number         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_routers_project ON network_routers (project_id);

CREATE TABLE network_router_ports (
    port_id   TEXT PRIMARY KEY REFERENCES network_ports (id) ON DELETE CASCADE,
    router_id TEXT NOT NULL REFERENCES network_routers (id),
    port_type TEXT NOT NULL
);
CREATE INDEX network_router_ports_router ON network_router_ports (router_id);

CREATE TABLE network_router_routes (
    router_id   TEXT NOT NULL REFERENCES network_routers (id) ON DELETE CASCADE,
    destination TEXT NOT NULL,
    nexthop     TEXT NOT NULL,
    PRIMARY KEY (router_id, destination, nexthop)
);

CREATE TABLE network_floatingips (
    id                   TEXT PRIMARY KEY,
    project_id           TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    floating_ip_address  TEXT NOT NULL,
    floating_network_id  TEXT NOT NULL REFERENCES network_networks (id),
    floating_port_id     TEXT NOT NULL REFERENCES network_ports (id),
    fixed_port_id        TEXT REFERENCES network_ports (id),
    fixed_ip_address     TEXT,
    router_id            TEXT REFERENCES network_routers (id),
    last_known_router_id TEXT,
    status               TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    revision_number      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (floating_network_id, fixed_port_id, fixed_ip_address)
);
CREATE INDEX network_floatingips_project ON network_floatingips (project_id);
CREATE INDEX network_floatingips_router ON network_floatingips (router_id);
CREATE INDEX network_floatingips_fixed_port ON network_floatingips (fixed_port_id);

CREATE TABLE network_port_forwardings (
    id                  TEXT PRIMARY KEY,
    floatingip_id       TEXT NOT NULL REFERENCES network_floatingips (id) ON DELETE CASCADE,
    protocol            TEXT NOT NULL,
    external_port_start INTEGER NOT NULL,
    external_port_end   INTEGER NOT NULL,
    internal_port_start INTEGER NOT NULL,
    internal_port_end   INTEGER NOT NULL,
    internal_port_id    TEXT NOT NULL REFERENCES network_ports (id) ON DELETE CASCADE,
    internal_ip_address TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    UNIQUE (floatingip_id, protocol, external_port_start)
);
CREATE INDEX network_port_forwardings_port ON network_port_forwardings (internal_port_id);
