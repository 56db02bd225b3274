package placement_test

import (
	"strings"
	"testing"
)

func TestDeletingCustomClassesAndTraits(t *testing.T) {
	e := start(t)
	const rp = "11111111-2222-4333-8444-555555555555"
	e.provider(t, rp, "host", 4, 4096, 10)
	must(t, e.do(t, "PUT", "/resource_classes/CUSTOM_GPU", "1.7", nil), 201)
	must(t, e.do(t, "PUT", "/traits/CUSTOM_FAST", "1.6", nil), 201)
	must(t, e.do(t, "POST", "/resource_providers/"+rp+"/inventories", "1.20",
		map[string]any{"resource_provider_generation": 1, "resource_class": "CUSTOM_GPU", "total": 2}), 201)
	must(t, e.do(t, "PUT", "/resource_providers/"+rp+"/traits", "1.20",
		map[string]any{"resource_provider_generation": 2, "traits": []string{"CUSTOM_FAST"}}), 200)

	cases := []struct {
		path, want string
		status     int
	}{
		{"/resource_classes/VCPU", "Cannot delete standard resource class VCPU.", 400},
		{"/resource_classes/CUSTOM_NONE", "No such resource class CUSTOM_NONE.", 404},
		{"/resource_classes/CUSTOM_GPU", "Class is in use in inventory.", 409},
		{"/traits/HW_CPU_X86_AVX2", "Cannot delete standard trait HW_CPU_X86_AVX2.", 400},
		{"/traits/CUSTOM_NONE", "No such trait(s): CUSTOM_NONE.", 404},
		{"/traits/CUSTOM_FAST", "The trait CUSTOM_FAST is in use by a resource provider.", 409},
	}
	for _, tc := range cases {
		if d := e.refused(t, "DELETE", tc.path, "1.23", nil, tc.status, ""); !strings.Contains(d, tc.want) {
			t.Fatalf("DELETE %s: detail %q lacks %q", tc.path, d, tc.want)
		}
	}

	must(t, e.do(t, "DELETE", "/resource_providers/"+rp+"/inventories/CUSTOM_GPU", "1.20", nil), 204)
	must(t, e.do(t, "PUT", "/resource_providers/"+rp+"/traits", "1.20",
		map[string]any{"resource_provider_generation": 4, "traits": []string{}}), 200)
	must(t, e.do(t, "DELETE", "/resource_classes/CUSTOM_GPU", "1.23", nil), 204)
	must(t, e.do(t, "DELETE", "/traits/CUSTOM_FAST", "1.23", nil), 204)
	must(t, e.do(t, "GET", "/resource_classes/CUSTOM_GPU", "1.23", nil), 404)
	must(t, e.do(t, "GET", "/traits/CUSTOM_FAST", "1.23", nil), 404)
}
