package format

import "fmt"

// MBR and protective-MBR rules, as oslo.utils checks them (UEFI 2.10
// section 5). GPT is a superset of MBR, so both are reported as "gpt".
const (
	mbrLen         = 512
	mbrSignature   = 0xaa55
	mbrPartitions  = 446
	mbrTypeGPT     = 0xee
	fatMediaFixed  = 0xf8
	fatNumFATsByte = 0x10
	fatMediaByte   = 0x15
)

func probeGPT(s *source) (match, bool) {
	if len(s.head) < mbrLen || le16(s.head[510:512]) != mbrSignature || isFAT(s.head) {
		return match{}, false
	}
	info := Info{Format: GPT, VirtualSize: s.size, Unsafe: mbrUnsafe(s.head[:mbrLen])}
	return match{info: info}, true
}

// isFAT spots a FAT volume boot record, which carries the same signature.
func isFAT(b []byte) bool {
	return b[fatNumFATsByte] == 2 && b[fatMediaByte] == fatMediaFixed
}

func mbrUnsafe(mbr []byte) string {
	var used []int
	gpt := false
	for i := range 4 {
		e := mbr[mbrPartitions+16*i : mbrPartitions+16*(i+1)]
		if e[0] != 0x00 && e[0] != 0x80 {
			return fmt.Sprintf("MBR partition %d has an invalid boot flag", i)
		}
		if e[4] != 0 {
			used = append(used, i)
		}
		if e[4] == mbrTypeGPT {
			gpt = true
			if e[1] != 0 || e[2] != 2 || e[3] != 0 || le32(e[8:12]) != 1 {
				return "protective MBR does not start at LBA 1"
			}
		}
	}
	switch {
	case len(used) == 0:
		return "MBR defines no partitions"
	case gpt && (len(used) != 1 || used[0] != 0):
		return "protective MBR defines other partitions"
	}
	return ""
}
