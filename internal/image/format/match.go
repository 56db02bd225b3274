package format

import "slices"

// accepts maps each Glance disk_format to the detected formats it accepts.
// doc.go explains the rule and where it comes from.
var accepts = map[string][]string{
	Raw:     {Raw, GPT},
	"ami":   {Raw},
	"ari":   {Raw},
	"aki":   {Raw},
	"ploop": {Raw},
	QCOW2:   {QCOW2},
	VMDK:    {VMDK},
	VHD:     {VHD},
	VHDX:    {VHDX},
	VDI:     {VDI},
	ISO:     {ISO},
	GPT:     {GPT},
	LUKS:    {LUKS},
}

// Matches reports whether an image declared as diskFormat may hold content
// detected as info.Format. It says nothing about safety: call Info.Check
// too, whatever the disk_format.
func Matches(diskFormat string, info Info) bool {
	return slices.Contains(accepts[diskFormat], info.Format)
}
