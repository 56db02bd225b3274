package placement

import "github.com/monostack/monostack/internal/httpx"

// addRoutes is the placement route table; the number is the first
// microversion of each route (404 below it, as upstream).
func (s *Service) addRoutes(rt *httpx.Router) {
	h := func(method, pattern string, minor int, fn httpx.HandlerFunc) {
		rt.Handle(method, pattern, s.handler(minor, false, fn), httpx.Public)
	}
	rt.Handle("GET", "/{$}", s.handler(0, true, s.home), httpx.Public)

	const rp = "/resource_providers/{uuid}"
	h("GET", "/resource_providers", 0, s.listProviders)
	h("POST", "/resource_providers", 0, s.createProviderHandler)
	h("GET", rp, 0, s.showProvider)
	h("PUT", rp, 0, s.updateProviderHandler)
	h("DELETE", rp, 0, s.deleteProviderHandler)
	h("GET", rp+"/inventories", 0, s.listInventories)
	h("POST", rp+"/inventories", 0, s.createInventory)
	h("PUT", rp+"/inventories", 0, s.putInventories)
	h("DELETE", rp+"/inventories", 5, s.deleteInventories)
	h("GET", rp+"/inventories/{resource_class}", 0, s.showInventory)
	h("PUT", rp+"/inventories/{resource_class}", 0, s.updateInventory)
	h("DELETE", rp+"/inventories/{resource_class}", 0, s.deleteInventory)
	h("GET", rp+"/usages", 0, s.providerUsagesHandler)
	h("GET", rp+"/aggregates", 1, s.providerAggregatesHandler)
	h("PUT", rp+"/aggregates", 1, s.putProviderAggregates)
	h("GET", rp+"/allocations", 0, s.providerAllocationsHandler)
	h("GET", rp+"/traits", 6, s.providerTraitsHandler)
	h("PUT", rp+"/traits", 6, s.putProviderTraits)
	h("DELETE", rp+"/traits", 6, s.deleteProviderTraits)

	h("GET", "/resource_classes", 2, s.listClasses)
	h("POST", "/resource_classes", 2, s.createClass)
	h("GET", "/resource_classes/{name}", 2, s.showClass)
	h("PUT", "/resource_classes/{name}", 2, s.putClass)
	h("DELETE", "/resource_classes/{name}", 2, s.deleteClass)

	h("GET", "/traits", 6, s.listTraits)
	h("GET", "/traits/{name}", 6, s.showTrait)
	h("PUT", "/traits/{name}", 6, s.putTrait)
	h("DELETE", "/traits/{name}", 6, s.deleteTrait)

	h("POST", "/allocations", 13, s.postAllocationsHandler)
	h("GET", "/allocations/{consumer_uuid}", 0, s.getAllocationsHandler)
	h("PUT", "/allocations/{consumer_uuid}", 0, s.putAllocationsHandler)
	h("DELETE", "/allocations/{consumer_uuid}", 0, s.deleteAllocationsHandler)
	h("GET", "/allocation_candidates", 10, s.listCandidates)
	h("GET", "/usages", 9, s.totalUsages)
	h("POST", "/reshaper", 30, s.reshape)
}
