-- Network L3 scheduling: the host whose L3 agent holds each router, ''
-- while none does. An L3 agent's sync_routers claims the routers without
-- one (UPDATE ... WHERE l3_host = '', so two controllers never both win).
ALTER TABLE network_routers ADD COLUMN l3_host TEXT NOT NULL DEFAULT '';
CREATE INDEX network_routers_l3_host ON network_routers (l3_host);

-- update_floatingip_statuses finds the floating IPs last known on a router.
CREATE INDEX network_floatingips_last_known_router ON network_floatingips (last_known_router_id);
