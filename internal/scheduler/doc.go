// Package scheduler is Nova's filter scheduler as pure functions over host
// snapshots the conductor builds: the allocation-candidates query a request
// turns into (PlacementQuery), the filters and weighers that pick and order
// hosts (Select), the bookkeeping between instances of one multi-create
// request (Consume), and the no-valid-host texts (Result.Reason,
// Result.UserMessage). Behaviour follows nova/scheduler of Zed.
//
// It reads no database, sends no message and serves no HTTP; it imports
// only the standard library, api/placement and internal/pyrepr.
//
// A conductor's loop for one request of N instances:
//
//	q := scheduler.PlacementQuery(spec, cfg.MaxPlacementResults) // limit 0 for a forced host of several nodes
//	hosts := hostStatesOf(candidates(q)) // one per candidate node
//	for each instance: spec.InstanceUUID = uuid
//		res := scheduler.Select(spec, hosts, cfg)
//		claim res.Hosts[0] in placement (else the next one); keep the rest as alternates
//		scheduler.ConsumeNode(hosts, chosen.NodeUUID, &spec)
//	on no host: fault message res.UserMessage(), log res.Reason()
package scheduler
