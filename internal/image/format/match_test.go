package format

import "testing"

func TestMatches(t *testing.T) {
	tests := []struct {
		diskFormat string
		detected   string
		want       bool
	}{
		{"raw", Raw, true},
		{"raw", GPT, true}, // whole-disk images; Nova allows them too
		{"raw", QCOW2, false},
		{"raw", VMDK, false},
		{"raw", ISO, false},
		{"raw", LUKS, false},
		{"ami", Raw, true},
		{"ari", Raw, true},
		{"aki", Raw, true},
		{"ami", GPT, false},
		{"aki", QCOW2, false},
		{"ploop", Raw, true},
		{"ploop", QCOW2, false},
		{"qcow2", QCOW2, true},
		{"qcow2", Raw, false},
		{"qcow2", VMDK, false},
		{"vmdk", VMDK, true},
		{"vhd", VHD, true},
		{"vhd", VHDX, false},
		{"vhdx", VHDX, true},
		{"vdi", VDI, true},
		{"iso", ISO, true},
		{"iso", GPT, false},
		{"iso", Raw, false},
		{"gpt", GPT, true},
		{"luks", LUKS, true},
		{"qed", QED, false},
		{"QCOW2", QCOW2, false},
		{"", Raw, false},
		{"docker", Raw, false},
		{"raw", "iso+qcow2", false},
		{"qcow2", "qcow2+vhd", false},
	}
	for _, tc := range tests {
		if got := Matches(tc.diskFormat, Info{Format: tc.detected}); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tc.diskFormat, tc.detected, got, tc.want)
		}
	}
}

func TestQCOW2DeclaredRawIsRefused(t *testing.T) {
	img := qcow2v3(gib).bytes()
	info := inspectBytes(t, img)
	if info.Check() != nil || Matches(Raw, info) || !Matches(QCOW2, info) {
		t.Fatalf("qcow2 %+v: Check=%v Matches(raw)=%v Matches(qcow2)=%v",
			info, info.Check(), Matches(Raw, info), Matches(QCOW2, info))
	}
}
