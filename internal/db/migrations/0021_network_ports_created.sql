-- Port lists are ordered by created_at, id: this index lets a list read
-- its ports in order instead of sorting every row it reads.
CREATE INDEX network_ports_created ON network_ports (created_at, id);
